"""End to end through the real connectors (slow): sandboxes -> dlt -> dbt -> scores and touchpoints.

The other dbt tests load the world's files with dlt directly; this one proves the dbt project reads
what the connectors really land. The load and build are the session's shared pipeline run
(tests/conftest.py ``tiny_pipeline``: every connector against the tiny world's sandboxes, then dbt),
not a run of its own.
"""

import duckdb
import pandas as pd
import pytest

from evaluation.identity import score_identity


@pytest.mark.slow
def test_connector_loads_resolve_and_match_the_true_touchpoints(tiny_pipeline):
    assert tiny_pipeline.snapshot.exists()  # the run went through (its outcome is named when it did not)
    warehouse, truth_dir = tiny_pipeline.data_dir / "warehouse.duckdb", tiny_pipeline.world_dir / "truth"

    scores = score_identity(warehouse, truth_dir)
    assert scores["keyed"]["precision"] >= 0.99 and scores["keyed"]["recall"] >= 0.97, scores

    truth = pd.read_parquet(truth_dir / "touchpoints.parquet")
    expected = truth.groupby(["channel", "touchpoint_type"]).size().to_dict()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        built = {(channel, kind): n for channel, kind, n in con.execute(
            "select channel, touchpoint_type, count(*) from marts.fct_touchpoints group by all").fetchall()}
    assert built == expected
