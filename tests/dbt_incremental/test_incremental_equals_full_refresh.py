"""An incremental dbt run after new data equals a --full-refresh build on the same raw data, row for row.

From the shared tiny pipeline run (raw data, dlt state and a warehouse built by the current project),
the world moves forward a few days (new activity, updated orders, refunds, late web events) and the
connectors re-ingest incrementally. The warehouse built before the new data is then transformed twice
from two copies: the ordinary (incremental) run and a --full-refresh, as benchmarks/transformation.py
does. Every public mart must be identical, except customer_id_history, which is a log of id changes
between runs and so differs by design after a full refresh (it restarts), and the rows of
rpt_identity_quality that count the latest run's id changes from it. The incremental models
themselves must also equal their full rebuilds, so the next incremental run starts from the right state.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
TRANSFORM_ARGS = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
DAYS_OF_NEW_DATA = 3
RUN_LOGS = {"customer_id_history"}
# rows derived from that log (the latest run's id changes), compared everywhere else in their table
RUN_LOG_ROWS = {"rpt_identity_quality": "metric_group <> 'id_changes_latest_run'"}


@dataclass(frozen=True)
class Builds:
    before: Path
    incremental: Path
    full_refresh: Path
    manifest: Path


def _ingest(world: Path, data_dir: Path) -> None:
    """The connectors, incrementally (the copied dlt state), against sandboxes serving `world`."""
    from ingestion.pipelines import SOURCES, run_source
    from orchestration.cli import environment
    from orchestration.runner import sandbox_env
    from sandbox.servers import start_sandboxes

    with start_sandboxes(world) as sandboxes:
        env = {**sandbox_env(sandboxes.base_urls, sandboxes.token, world), "SEAMLINE_DATA_DIR": str(data_dir)}
        with environment(env):
            for name in SOURCES:
                run_source(name)


def _dbt(data_dir: Path, target: Path, *args: str) -> None:
    """dbt in a child process with its own target and log paths (others may be running dbt too)."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
               "--target-path", str(target), "--log-path", str(target / "logs")]
    env = {**os.environ, "SEAMLINE_DATA_DIR": str(data_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(command, check=False, cwd=DBT_PROJECT, env=env, capture_output=True, text=True,
                            timeout=600)
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


@pytest.fixture(scope="module")
def builds(tiny_pipeline, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    from sandbox.world import advance_world

    root = tmp_path_factory.mktemp("incremental")
    data_dir, world = root / "data", root / "world"
    data_dir.mkdir()
    for name in ("raw.duckdb", "warehouse.duckdb"):
        shutil.copy2(tiny_pipeline.data_dir / name, data_dir / name)
    shutil.copytree(tiny_pipeline.data_dir / "dlt_pipelines", data_dir / "dlt_pipelines")
    shutil.copytree(tiny_pipeline.world_dir, world)
    advance_world(world, DAYS_OF_NEW_DATA)
    _ingest(world, data_dir)

    warehouse = data_dir / "warehouse.duckdb"
    outcome = Builds(root / "before.duckdb", root / "incremental.duckdb", root / "full_refresh.duckdb",
                     root / "target" / "manifest.json")
    shutil.copy2(warehouse, outcome.before)
    _dbt(data_dir, root / "target", *TRANSFORM_ARGS)
    shutil.move(warehouse, outcome.incremental)
    shutil.copy2(outcome.before, warehouse)
    _dbt(data_dir, root / "target", *TRANSFORM_ARGS, "--full-refresh")
    shutil.move(warehouse, outcome.full_refresh)
    return outcome


@pytest.fixture
def warehouses(builds: Builds):
    """One connection with the three warehouses attached as `before`, `incremental` and `full_refresh`."""
    connection = duckdb.connect()
    for name in ("before", "incremental", "full_refresh"):
        connection.execute(f"attach '{getattr(builds, name)}' as {name} (read_only)")
    yield connection
    connection.close()


def _tables(connection: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [row[0] for row in connection.execute(
        "select table_name from duckdb_tables() where database_name = 'full_refresh' and schema_name = ? "
        "order by table_name", [schema]).fetchall()]


def _incremental_models(manifest_path: Path) -> list[tuple[str, str]]:
    """(schema, table) of the project's incremental models, read from the builds' manifest."""
    manifest = json.loads(manifest_path.read_text())
    return sorted((node["schema"], node["alias"]) for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental")


def _differences(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[int, int, int]:
    """(rows only in the incremental build, rows only in the full refresh, rows in the full refresh)."""
    incremental, full = f"incremental.{schema}.{table}", f"full_refresh.{schema}.{table}"
    if table in RUN_LOG_ROWS:
        incremental, full = (f"(select * from {side} where {RUN_LOG_ROWS[table]})" for side in (incremental, full))
    only_incremental = connection.execute(
        f"select count(*) from (select * from {incremental} except all select * from {full})").fetchone()[0]
    only_full = connection.execute(
        f"select count(*) from (select * from {full} except all select * from {incremental})").fetchone()[0]
    rows = connection.execute(f"select count(*) from {full}").fetchone()[0]
    return only_incremental, only_full, rows


def test_the_new_days_reached_the_marts(warehouses):
    """Otherwise equality would prove nothing: the increment added touchpoints and orders."""
    for table in ("fct_touchpoints", "fct_orders"):
        before = warehouses.execute(f"select count(*) from before.marts.{table}").fetchone()[0]
        after = warehouses.execute(f"select count(*) from incremental.marts.{table}").fetchone()[0]
        assert after > before, f"{table}: {before} rows before the new days, {after} after"


def test_every_mart_equals_its_full_refresh_row_for_row(warehouses):
    marts = [table for table in _tables(warehouses, "marts") if table not in RUN_LOGS]
    assert {"fct_touchpoints", "fct_orders", "fct_journeys", "fct_channel_handoffs", "fct_attribution",
            "dim_customers", "kpi_channel_daily"} <= set(marts)
    differing = {table: diff for table in marts if (diff := _differences(warehouses, "marts", table))[:2] != (0, 0)}
    assert not differing, f"(only incremental, only full refresh, full rows) per mart: {differing}"


def test_every_incremental_model_equals_its_full_refresh(warehouses, builds):
    """The state the next incremental run starts from is right too (id-assignment log excepted)."""
    models = [(schema, table) for schema, table in _incremental_models(builds.manifest)
              if table != "int_customer_id_assignments"]
    assert len(models) >= 4, f"expected the staging/sentiment/attribution models to be incremental: {models}"
    differing = {f"{schema}.{table}": diff for schema, table in models
                 if (diff := _differences(warehouses, schema, table))[:2] != (0, 0)}
    assert not differing, f"(only incremental, only full refresh, full rows) per model: {differing}"
