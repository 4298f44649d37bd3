"""The pipeline's stages as the benchmark runs them, each called in its own child process.

generate -> ingest -> transform -> checks -> publish, calling each layer's public entry point
(docs/INTERFACES.md), with `SEAMLINE_DATA_DIR` pointing at the benchmark's scratch directory. The
sandboxes (the stand-in for the vendors) run in the harness process, not in the measured child, so
the measured time is the client side only, as it would be against the real services.

Every function returns a JSON-serialisable summary (rows, models, tests) that the measurement
modules turn into figures.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from benchmarks.context import require

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"


def generate(scale: str, seed: int, out: str) -> dict[str, Any]:
    """Generate a world with the simulator; returns the manifest's record counts."""
    generate_world = require("sandbox.world", "generate_world")
    generate_world(scale, seed, Path(out))
    return json.loads((Path(out) / "manifest.json").read_text()).get("counts", {})


def advance(world: str, days: int) -> dict[str, Any]:
    """Move a world forward by `days` (new activity, updated records)."""
    advance_world = require("sandbox.world", "advance_world")
    advance_world(Path(world), days)
    return json.loads((Path(world) / "manifest.json").read_text()).get("counts", {})


def ingest(sources: list[str] | None = None) -> dict[str, Any]:
    """Run the dlt connectors (configured by the SOURCES__* env) into $SEAMLINE_DATA_DIR/raw.duckdb.

    Returns, per source, rows loaded per table as the connectors report them and the seconds its
    `run_source` took (library imports excluded: they happen once, before the first source).
    """
    import time

    pipelines = require("ingestion.pipelines")
    loaded: dict[str, Any] = {}
    for name in sources or list(pipelines.SOURCES):
        started = time.perf_counter()
        result = pipelines.run_source(name)
        loaded[name] = {"rows_loaded": dict(result.rows_loaded), "quarantined": result.quarantined,
                        "seconds": round(time.perf_counter() - started, 4)}
    return loaded


def dbt(args: list[str], target_path: str, allow_test_failures: bool = False) -> dict[str, Any]:
    """Invoke dbt in-process on the project (own target/log paths, so others' runs are untouched).

    Returns success, node counts by type and status, and each node's execution time, so callers can
    report the time of a group of models (e.g. identity resolution) without a second run. Failing
    tests raise unless `allow_test_failures` (the checks stage reports them as findings instead).
    """
    from dbt.cli.main import dbtRunner

    command = [*args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
               "--target-path", target_path, "--log-path", str(Path(target_path) / "logs"), "--quiet"]
    outcome = dbtRunner().invoke(command)
    nodes: list[dict[str, Any]] = []
    results = getattr(outcome.result, "results", None) or []
    for node_result in results:
        node = node_result.node
        nodes.append({
            "unique_id": node.unique_id,
            "resource_type": str(node.resource_type),
            "path": str(getattr(node, "original_file_path", "")),
            "status": str(node_result.status),
            "seconds": round(float(node_result.execution_time or 0.0), 4),
            "failures": getattr(node_result, "failures", None),
        })
    failed_tests = [n for n in nodes if n["resource_type"] in ("test", "unit_test") and n["status"] == "fail"]
    crashed = outcome.exception is not None or len(failed_tests) < sum(
        n["status"] in ("error", "fail") for n in nodes)
    if not outcome.success and (crashed or not allow_test_failures):
        failed = [n["unique_id"] + ": " + n["status"] for n in nodes
                  if n["status"] not in ("success", "pass", "warn", "skipped")]
        raise RuntimeError(f"dbt {' '.join(args)} failed: {failed[:10] or outcome.exception}")
    return {"success": outcome.success, "nodes": nodes, "failed_tests": [n["unique_id"] for n in failed_tests]}


def dbt_tests(target_path: str) -> dict[str, Any]:
    """The dbt half of the quality gates: the data tests (unit tests judge the code and run in CI, not in
    a pipeline run); failing tests are findings, not crashes."""
    tests = dbt(["test", "--exclude-resource-type", "unit_test"], target_path, allow_test_failures=True)
    return {"dbt_tests": len(tests["nodes"]), "dbt_failed": tests["failed_tests"], "nodes": tests["nodes"]}


def gx_suites() -> dict[str, Any]:
    """The Great Expectations half: the orchestration layer's raw and mart suites, run exactly as its
    Dagster asset checks run them, minus Dagster; counts of passed and failed rules."""
    return {"gx": _gx_suites()}


def _gx_suites() -> dict[str, Any]:
    """Every GX rule of the raw and mart suites; counts of passed and failed (blocking or warning)."""
    import duckdb

    paths = require("seamline_core.paths")
    suites = require("orchestration.quality.suites")
    run_facts = require("orchestration.quality.facts", "run_facts")
    validate = require("orchestration.quality.validate")
    docs_dir = paths.quality_docs_dir()
    with duckdb.connect(str(paths.raw_db()), read_only=True) as raw:
        facts = run_facts(raw)
    counts = {"rules": 0, "passed": 0, "failed_blocking": [], "failed_warning": []}
    for suite in [*suites.RAW_SUITES, *suites.MART_SUITES]:
        database = paths.raw_db() if suite.database == "raw" else paths.warehouse_db()
        with duckdb.connect(str(database), read_only=True) as con:
            outcomes = validate.validate_suite(con, suite, suite.rules, facts, docs_dir)
        for outcome in outcomes:
            counts["rules"] += 1
            if outcome.passed:
                counts["passed"] += 1
            else:
                kind = "failed_blocking" if outcome.rule.blocking else "failed_warning"
                counts[kind].append(outcome.check_name)
    validate.build_data_docs(docs_dir)
    return counts


def table_counts(database: str, schema: str) -> dict[str, int]:
    """Row counts of every table of a schema (read-only), e.g. the marts after a run."""
    import duckdb

    with duckdb.connect(database, read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by 1",
            [schema]).fetchall()]
        return {t: con.execute(f'select count(*) from "{schema}"."{t}"').fetchone()[0] for t in tables}


def publish(run_id: str) -> dict[str, Any]:
    """Publish the serving snapshot from the warehouse (orchestration.serving.publish_snapshot)."""
    publish_snapshot = require("orchestration.serving", "publish_snapshot")
    paths = require("seamline_core.paths")
    snapshot = publish_snapshot(paths.warehouse_db(), run_id, ops_rows={})
    return {"snapshot": str(snapshot), "bytes": os.path.getsize(snapshot)}
