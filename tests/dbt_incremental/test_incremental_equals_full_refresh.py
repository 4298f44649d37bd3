"""An incremental dbt run after new data equals a --full-refresh build on the same raw data, row for row.

From the shared tiny pipeline run (raw data, dlt state and a warehouse built by the current project),
the world moves forward a few days (new activity, updated orders, refunds, late web events) and the
connectors re-ingest incrementally. The warehouse built before the new data is then transformed twice
from two copies: the ordinary (incremental) run and a --full-refresh, as benchmarks/transformation.py
does. Every public mart must be identical (the id history and id map too, but for the run's time and
invocation id: --full-refresh keeps them), and so must the incremental models, so the next incremental
run starts from the right state; the one exception by design is int_identity_link_parameters (the
Splink parameters an ordinary run keeps frozen and a full refresh retrains): the scores of
probabilistic links in identity_links move by at most SCORE_TOLERANCE and the accepted links are the same. A third build on an empty warehouse (no id map) resolves the same
people and gives them the same ids, except the people an older record joined after their id was given
(the map keeps their id; a fresh build mints it from the older record): those are counted.
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
# columns that name the run itself: the time and dbt invocation of the run that logged a row
RUN_COLUMNS = {"customer_id_history": ["changed_at", "invocation_id"],
               "int_customer_id_assignments": ["assigned_at", "invocation_id"]}
# frozen by an ordinary run, retrained by --full-refresh (compared through the links they score)
RETRAINED = {"int_identity_link_parameters"}
# columns holding the probabilistic scores, which those parameters move a little (see the test below)
SCORED = {"identity_links": ["score", "evidence"]}
# largest change of a match probability the frozen parameters may make after DAYS_OF_NEW_DATA days
# (measured 0.057 on the tiny seed-7 world, mean 0.002; no link accepted or refused differently)
SCORE_TOLERANCE = 0.1


@dataclass(frozen=True)
class Builds:
    before: Path
    incremental: Path
    full_refresh: Path
    fresh: Path
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
                     root / "fresh.duckdb", root / "target" / "manifest.json")
    shutil.copy2(warehouse, outcome.before)
    _dbt(data_dir, root / "target", *TRANSFORM_ARGS)
    shutil.move(warehouse, outcome.incremental)
    shutil.copy2(outcome.before, warehouse)
    _dbt(data_dir, root / "target", *TRANSFORM_ARGS, "--full-refresh")
    shutil.move(warehouse, outcome.full_refresh)
    _dbt(data_dir, root / "target", *TRANSFORM_ARGS, "--select", "+int_identity_resolved_nodes")
    shutil.move(warehouse, outcome.fresh)
    return outcome


@pytest.fixture
def warehouses(builds: Builds):
    """One connection with the warehouses attached as `before`, `incremental`, `full_refresh` and `fresh`."""
    connection = duckdb.connect()
    for name in ("before", "incremental", "full_refresh", "fresh"):
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
    if table in RUN_COLUMNS or table in SCORED:
        columns = ", ".join(RUN_COLUMNS.get(table, []) + SCORED.get(table, []))
        incremental, full = (f"(select * exclude ({columns}) from {side})" for side in (incremental, full))
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
    marts = _tables(warehouses, "marts")
    assert {"fct_touchpoints", "fct_orders", "fct_journeys", "fct_channel_handoffs", "fct_attribution",
            "dim_customers", "kpi_channel_daily", "customer_id_history"} <= set(marts)
    differing = {table: diff for table in marts if (diff := _differences(warehouses, "marts", table))[:2] != (0, 0)}
    assert not differing, f"(only incremental, only full refresh, full rows) per mart: {differing}"


def test_every_incremental_model_equals_its_full_refresh(warehouses, builds):
    """The state the next incremental run starts from is right too (the retrained parameters excepted)."""
    models = [(schema, table) for schema, table in _incremental_models(builds.manifest) if table not in RETRAINED]
    assert ("intermediate", "int_customer_id_assignments") in models
    assert len(models) >= 4, f"expected the staging/sentiment/attribution models to be incremental: {models}"
    differing = {f"{schema}.{table}": diff for schema, table in models
                 if (diff := _differences(warehouses, schema, table))[:2] != (0, 0)}
    assert not differing, f"(only incremental, only full refresh, full rows) per model: {differing}"


def test_frozen_link_parameters_score_the_same_links(warehouses):
    """An ordinary run scores new reviews and authors with the parameters of the last full refresh;
    the full refresh retrained them on the new days too. The accepted links must be the same."""
    parameters = "select * from {}.intermediate.int_identity_link_parameters"
    assert warehouses.execute(f"select count(*) from ({parameters.format('before')} except all "
                              f"{parameters.format('incremental')})").fetchone()[0] == 0  # frozen
    links = ("select candidate_cluster_id, person_cluster_id from {}.intermediate.int_identity_edges_probabilistic "
             "where is_accepted")
    accepted = warehouses.execute(f"select count(*) from ({links.format('full_refresh')})").fetchone()[0]
    differing = warehouses.execute(
        f"select count(*) from (({links.format('incremental')} except {links.format('full_refresh')}) union all "
        f"({links.format('full_refresh')} except {links.format('incremental')}))").fetchone()[0]
    assert accepted >= 10 and differing == 0, f"{differing} of {accepted} accepted links differ"
    largest = warehouses.execute("""
        select max(abs(kept.score - retrained.score)) from incremental.marts.identity_links as kept
        inner join full_refresh.marts.identity_links as retrained using (link_id)
        where kept.method = 'probabilistic'""").fetchone()[0]
    assert largest <= SCORE_TOLERANCE, f"a match probability moved by {largest}"


def test_a_build_on_an_empty_warehouse_resolves_the_same_people_and_ids(warehouses):
    """Same people (node partition) and the same ids, except where the map kept an id that a fresh
    build mints from an older record that joined later (customer_id <> anchor_customer_id)."""
    same_person = warehouses.execute("""
        select count(*) from incremental.intermediate.int_identity_resolved_nodes as kept
        inner join fresh.intermediate.int_identity_resolved_nodes as fresh using (node_id)
        where kept.anchor_node_id is distinct from fresh.anchor_node_id""").fetchone()[0]
    assert same_person == 0
    kept_ids = warehouses.execute("""
        select count(*) filter (where kept.customer_id is distinct from fresh.customer_id),
               count(*) filter (where kept.customer_id is distinct from kept.anchor_customer_id),
               count(*)
        from incremental.intermediate.int_identity_resolved_nodes as kept
        inner join fresh.intermediate.int_identity_resolved_nodes as fresh using (node_id)
        where kept.customer_id is not null or fresh.customer_id is not null""").fetchone()
    differing, documented, resolved = kept_ids
    assert resolved > 500 and differing == documented, kept_ids
