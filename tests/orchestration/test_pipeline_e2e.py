"""The whole graph on the tiny world, in-process through Dagster (slow: a few minutes on 2 cores).

Uses the session's shared run (tests/conftest.py ``tiny_pipeline``) and, for the bad batch, a copy
of its data dir with bad rows written straight into the raw tables, re-audited by
``seamline_transform_job`` (dbt + every check + publish, no re-ingestion).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from seamline_core import snapshots
from tests.orchestration.check_results import BAD_BATCH, check_results, differences, recorded_before

pytestmark = pytest.mark.slow


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_full_graph_publishes_marts_with_real_row_counts(tiny_pipeline) -> None:
    outcome = tiny_pipeline.outcome
    assert outcome.published, f"not published; failing: {outcome.failing_checks}"
    assert outcome.checks["failed_blocking"] == 0
    manifest = json.loads((tiny_pipeline.world_dir / "manifest.json").read_text())
    raw_path = tiny_pipeline.data_dir / "raw.duckdb"
    with duckdb.connect(str(tiny_pipeline.snapshot), read_only=True) as snap, \
            duckdb.connect(str(raw_path), read_only=True) as raw:
        assert count(raw, "select count(*) from shopify.orders") == manifest["counts"]["shopify/orders"]
        assert count(snap, "select count(*) from marts.dim_locations") == len(manifest["locations"])
        assert count(snap, "select count(*) from marts.fct_touchpoints where touchpoint_type = 'review'") == \
            count(raw, "select count(*) from google_reviews.reviews")
        assert count(snap, "select count(*) from marts.dim_customers") > 100
        channels = {c for (c,) in snap.execute("select distinct channel from marts.fct_touchpoints").fetchall()}
        assert channels == {"web", "store", "review", "social"}
        assert count(snap, "select count(*) from ops.source_freshness where last_loaded_at is not null") == 5
        assert count(snap, "select count(*) from ops.quality_results") == sum(outcome.checks.values())
        assert count(snap, "select count(*) from ops.publish_log") == 1
    assert outcome.rows_per_mart["dim_customers"] > 100
    assert snapshots.read_run_status(tiny_pipeline.data_dir / "serving").status == "published"


def _inject_bad_batch(raw_path: Path) -> None:
    """Duplicate order id, negative total, a rating of 7, and Square silent for its last 5 days."""
    with duckdb.connect(str(raw_path)) as raw:
        raw.execute("insert into shopify.orders select * from shopify.orders order by id limit 1")
        raw.execute("update shopify.orders set total_price = '-25.00' "
                    "where id = (select max(id) from shopify.orders)")
        raw.execute("update google_reviews.reviews set star_rating = 'SEVEN' "
                    "where review_id = (select min(review_id) from google_reviews.reviews)")
        raw.execute("delete from square.orders where try_cast(updated_at as timestamptz) > "
                    "(select max(try_cast(updated_at as timestamptz)) - interval 5 days from square.orders)")


def test_bad_batch_blocks_publish_and_keeps_the_last_good_snapshot(tiny_pipeline, copy_data_dir) -> None:
    from orchestration.cli import environment
    from orchestration.runner import run_job

    data_dir = copy_data_dir(tiny_pipeline.data_dir)
    good = snapshots.current_snapshot(data_dir / "serving")
    before = hashlib.sha256(good.read_bytes()).hexdigest()
    _inject_bad_batch(data_dir / "raw.duckdb")

    env = {**tiny_pipeline.env, "SEAMLINE_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(data_dir / "dagster_home")}
    with environment(env):
        outcome = run_job("seamline_transform_job")

    assert not outcome.published
    assert snapshots.current_snapshot(data_dir / "serving") == good
    assert hashlib.sha256(good.read_bytes()).hexdigest() == before
    status = snapshots.read_run_status(data_dir / "serving")
    assert status.status == "blocked" and status.failing_since is not None
    failing = {(row["asset"], row["check_name"]): row["description"] for row in status.failing_checks}
    assert {("shopify/orders", "source_unique_shopify_orders_id"), ("shopify/orders", "orders__total_price_in_range"),
            ("google_reviews/reviews", "reviews__star_rating_accepted_values"),
            ("square/orders", "orders__freshness")} <= set(failing)
    assert failing[("square/orders", "orders__freshness")].startswith("square.orders.record_at: observed ")
    # every rule judges the bad batch as it did before issue 24, with the same failing rows
    assert not differences(recorded_before()[BAD_BATCH], check_results(data_dir, outcome.run_id))


def test_everything_holding_raw_pii_is_owner_only_after_a_run(tiny_pipeline) -> None:
    """Issue 18 item 6, through Dagster: raw and warehouse databases 0600, the data and dlt folders 0700,
    dlt's completed load files gone (they held every raw email)."""
    data = tiny_pipeline.data_dir
    assert data.stat().st_mode & 0o077 == 0
    for database in ("raw.duckdb", "warehouse.duckdb"):
        assert (data / database).stat().st_mode & 0o077 == 0, database
    pipelines = data / "dlt_pipelines"
    assert pipelines.stat().st_mode & 0o077 == 0
    group_or_other_readable = [path for path in pipelines.rglob("*") if path.stat().st_mode & 0o077]
    assert not group_or_other_readable, group_or_other_readable[:5]
    completed = [path for path in pipelines.rglob("completed_jobs/*") if path.is_file()]
    assert not completed, completed[:5]
