"""The brand-mentions section scores a warehouse's classified posts against the world's labels, and says
so when a world has no labels (instead of a made-up figure)."""

import duckdb
import pandas as pd

from benchmarks.brand_mentions import score


def test_score_reads_the_classifier_table_and_the_truth(tmp_path):
    truth_dir = tmp_path / "truth"
    truth_dir.mkdir()
    pd.DataFrame({"uri": ["a", "b", "c", "own"], "about_brand": [True, False, True, True],
                  "kind": ["person_post", "off_topic", "person_post", "brand_post"]}).to_parquet(
        truth_dir / "brand_mentions.parquet")
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema intermediate")
        connection.execute("""create table intermediate.int_social_posts_classified as
            select * from (values ('a', true, 'rule:product'), ('b', true, 'model'), ('c', false, 'model'),
                                  ('own', true, 'own_post')) as t (post_uri, about_brand, method)""")
    result = score(str(warehouse), str(truth_dir))
    assert (result["posts"], result["precision"], result["recall"]) == (3, 0.5, 0.5)  # the brand's own post left out
    assert result["by_method"]["model"] == {"claimed": 1, "correct": 0}


def test_a_world_without_labels_is_reported_missing(tmp_path):
    assert "missing" in score(str(tmp_path / "warehouse.duckdb"), str(tmp_path))
