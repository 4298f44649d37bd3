"""Degrade, don't stop (issue 18 item 2): one source down, the run still publishes the rest, marked stale.

Starts from a copy of the session's shared run (tests/conftest.py ``tiny_pipeline``), then runs the whole
job twice against the tiny world's sandboxes: first with a wrong Bluesky app password, then with the
right one. Real connectors, real Dagster, real dbt and checks; nothing is mocked (slow: two runs).
"""

from __future__ import annotations

import json

import dagster as dg
import duckdb
import pytest

from seamline_core import snapshots

pytestmark = pytest.mark.slow

WRONG_PASSWORD = "wrong-app-password-1234"
OTHER_SOURCES = ("shopify", "square", "google_reviews", "web_events")


def _ops(snapshot, table: str) -> dict[str, dict]:
    return {row["source"]: row for row in snapshots.read_ops_table(snapshot, table)}


def _loaded_check(data_dir, run_id: str) -> dict:
    from orchestration.cli import environment
    from orchestration.publish import audit_run

    with environment({"DAGSTER_HOME": str(data_dir / "dagster_home")}), dg.DagsterInstance.get() as instance:
        evaluations = audit_run(instance, run_id).evaluations
    (check,) = [row for row in evaluations if row["check_name"] == "loaded_this_run" and row["asset"].startswith("bluesky/")]
    return check


def test_a_source_with_a_wrong_token_is_published_stale_then_recovers(tiny_pipeline, copy_data_dir) -> None:
    from orchestration.cli import environment
    from orchestration.runner import run_job, summary

    data_dir = copy_data_dir(tiny_pipeline.data_dir)
    serving_dir = data_dir / "serving"
    good = snapshots.current_snapshot(serving_dir)
    with duckdb.connect(str(good), read_only=True) as con:
        social_before = con.execute("select count(*) from marts.fct_touchpoints where channel = 'social'").fetchone()[0]
    assert social_before > 0
    env = {**tiny_pipeline.env, "SEAMLINE_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(data_dir / "dagster_home")}

    # 1. Bluesky refuses the app password: the other four load, everything is checked and published.
    with environment({**env, "SOURCES__BLUESKY__APP_PASSWORD": WRONG_PASSWORD}):
        degraded = run_job("seamline_job")
        text = summary(degraded)
    assert degraded.published, f"a run with one source down must publish the rest: {text}"
    assert degraded.checks["failed_blocking"] == 0
    snapshot = snapshots.current_snapshot(serving_dir)
    assert snapshot != good and snapshot.name == snapshots.snapshot_file_name(degraded.run_id)

    loads = _ops(snapshot, "source_loads")
    assert loads["bluesky"]["status"] == "failed"
    assert "SourceAuthError" in loads["bluesky"]["error"] and "SOURCES__BLUESKY__APP_PASSWORD" in loads["bluesky"]["error"]
    assert loads["bluesky"]["last_successful_load_at"] is not None  # stale since the shared run's load
    for source in OTHER_SOURCES:
        assert loads[source]["status"] == "loaded" and loads[source]["run_id"] == degraded.run_id, loads[source]
        assert loads[source]["error"] is None
    with duckdb.connect(str(snapshot), read_only=True) as con:
        channels = dict(con.execute("select channel, count(*) from marts.fct_touchpoints group by 1").fetchall())
    assert set(channels) == {"web", "store", "review", "social"}
    assert channels["social"] == social_before  # Bluesky's last good data, not an empty channel

    status = snapshots.read_run_status(serving_dir)
    assert status.status == "published" and status.run_id == degraded.run_id
    assert [row["source"] for row in status.stale_sources] == ["bluesky"]
    assert "SOURCES__BLUESKY__APP_PASSWORD" in status.stale_sources[0]["error"]
    assert status.stale_sources[0]["last_successful_load_at"]

    check = _loaded_check(data_dir, degraded.run_id)
    assert check["status"] == "failed" and check["severity"] == "WARN"
    assert "SourceAuthError" in check["description"] and "SOURCES__BLUESKY__APP_PASSWORD" in check["description"]
    published_checks = {(row["asset"], row["check_name"]): row for row in snapshots.read_ops_table(snapshot, "quality_results")}
    assert published_checks[("bluesky/posts", "loaded_this_run")]["status"] == "failed"

    assert "SOURCE FAILED bluesky: SourceAuthError" in text and "Error occurred while executing op" not in text
    for artefact in (serving_dir / "last_run.json", data_dir / "logs" / "pipeline.log"):
        assert WRONG_PASSWORD not in artefact.read_text(errors="replace")
    assert WRONG_PASSWORD not in json.dumps(snapshots.read_ops_table(snapshot, "source_loads"), default=str)

    # 2. The password fixed: Bluesky loads again and the stale mark is gone everywhere.
    with environment(env):
        recovered = run_job("seamline_job")
    assert recovered.published and not recovered.source_failures, summary(recovered)
    snapshot = snapshots.current_snapshot(serving_dir)
    loads = _ops(snapshot, "source_loads")
    assert {source: row["status"] for source, row in loads.items()} == dict.fromkeys(loads, "loaded")
    assert loads["bluesky"]["run_id"] == recovered.run_id and loads["bluesky"]["error"] is None
    status = snapshots.read_run_status(serving_dir)
    assert status.status == "published" and status.stale_sources == []
    assert _loaded_check(data_dir, recovered.run_id)["status"] == "passed"


def test_a_source_failing_on_its_first_run_blocks_with_a_clear_outcome(tiny_world, tiny_sandboxes, tmp_path) -> None:
    """No last good data at all: its raw tables do not exist, so its blocking raw checks block the publish."""
    from orchestration.cli import environment
    from orchestration.runner import run_job, sandbox_env, summary

    data_dir = tmp_path / "data"
    env = {**sandbox_env(tiny_sandboxes.base_urls, tiny_sandboxes.token, tiny_world),
           "SEAMLINE_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(data_dir / "dagster_home"),
           "SOURCES__BLUESKY__APP_PASSWORD": WRONG_PASSWORD}
    with environment(env):
        outcome = run_job("seamline_job")
        text = summary(outcome)

    assert not outcome.published and snapshots.current_snapshot(data_dir / "serving") is None
    status = snapshots.read_run_status(data_dir / "serving")
    assert status.status == "blocked"
    assert [(row["source"], row["last_successful_load_at"]) for row in status.stale_sources] == [("bluesky", None)]
    assert "SOURCES__BLUESKY__APP_PASSWORD" in status.stale_sources[0]["error"]
    blocking = {row["check_name"]: row["description"] for row in status.failing_checks if row["status"] == "failed"}
    assert blocking and all(row_asset.startswith("bluesky/") for row_asset in
                            {row["asset"] for row in status.failing_checks if row["status"] == "failed"})
    # since issue 24 the row-level rules on raw tables are dbt source tests: on the missing table they fail
    # (all on the failed source's assets, above); why is told by stale_sources and the summary (below)
    assert {"source_not_null_bluesky_posts_uri", "source_unique_bluesky_posts_uri"} <= set(blocking), blocking
    assert "SOURCE FAILED bluesky: SourceAuthError" in text and "it has never loaded" in text
    assert WRONG_PASSWORD not in (data_dir / "serving" / "last_run.json").read_text()
