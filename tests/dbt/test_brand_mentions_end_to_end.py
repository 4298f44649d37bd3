"""Brand mentions end to end: a tiny world whose brand name is an ordinary word, loaded raw and built by
dbt; the classifier meets the issue's target against the world's labels, the marts count only the
posts about the brand, and no stranger's off-topic post becomes an identity record (a customer)."""

import json

import duckdb
import pytest

from evaluation.brand_mentions import read_truth, score_brand_mentions
from sandbox.direct_load import load_world, run_dbt
from sandbox.world.generate import generate_world

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def common_word_world(tmp_path_factory):
    world = generate_world("tiny", 11, tmp_path_factory.mktemp("common_word_world"), dialect="common_word_brand")
    assert json.loads((world / "manifest.json").read_text())["dialect"]["brand_is_common_word"]
    return world


@pytest.fixture(scope="module")
def common_word_warehouse(dbt_env, common_word_world, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("common_word_data")
    load_world(common_word_world, data_dir)
    run_dbt(data_dir, "build")
    return data_dir / "warehouse.duckdb"


def test_classifier_meets_the_target_on_a_common_word_brand(common_word_warehouse, common_word_world):
    truth = read_truth(common_word_world / "truth")
    assert (~truth["about_brand"]).sum() > truth["about_brand"].sum(), "most search hits are off topic"
    score = score_brand_mentions(common_word_warehouse, common_word_world / "truth")
    assert score["unclassified"] == 0
    assert score["precision"] >= 0.95 and score["recall"] >= 0.90, score


def test_marts_count_only_posts_about_the_brand(common_word_warehouse, common_word_world):
    with duckdb.connect(str(common_word_warehouse), read_only=True) as warehouse:
        about, off_topic = warehouse.execute("""
            select count(*) filter (where about_brand), count(*) filter (where not about_brand)
            from intermediate.int_social_posts_classified where feed = 'search'""").fetchone()
        touchpoints = warehouse.execute("""
            select count(*), count(*) filter (where not classified.about_brand)
            from marts.fct_touchpoints
            inner join intermediate.int_social_posts_classified as classified
                on touchpoint_id = 'bluesky:posts:' || classified.post_uri
            where touchpoint_type = 'social_mention'""").fetchone()
        weekly = warehouse.execute("select sum(social_mentions) from marts.kpi_reviews_social_weekly").fetchone()[0]
        per_customer = warehouse.execute("select sum(social_posts) from marts.dim_customers").fetchone()[0]
        all_mentions = warehouse.execute(
            "select count(*) from marts.fct_touchpoints where touchpoint_type = 'social_mention'").fetchone()[0]
        # a stranger's off-topic post is no identity record, so no customer is made of it
        off_topic_nodes = warehouse.execute("""
            select count(*) from intermediate.int_identity_nodes
            inner join intermediate.int_social_posts_classified as classified
                on node_id = 'bluesky:posts:' || classified.post_uri
            where not classified.about_brand""").fetchone()[0]
    assert off_topic > 0
    assert touchpoints == (about, 0) and all_mentions == about
    assert weekly == about
    assert per_customer <= about
    assert off_topic_nodes == 0
    brand_mentions = json.loads((common_word_world / "truth" / "kpis.json").read_text())["brand_mentions"]
    assert abs(weekly - brand_mentions) <= 0.1 * brand_mentions
