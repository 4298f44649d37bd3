"""Write-audit-publish through real Dagster runs on a stub graph (no dbt, no connectors).

The stub mart copies a "raw" orders table into the warehouse; the real GX check builder, publish
asset, run audit and serving module do the rest. Proves: a good run publishes; a bad batch fails
the blocking checks with table, column and count, the publish is skipped, the snapshot file stays
byte-identical, last_run.json says which checks fail and since when; rollback restores the previous.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import serving
from orchestration.publish import build_publish_asset, record_run_outcome
from orchestration.quality.rules import TableSuite, between, not_null, unique, volume
from orchestration.quality_checks import build_layer_checks
from seamline_core import paths, snapshots

ORDERS = dg.AssetKey(["marts", "fct_orders"])
SUITE = TableSuite(
    ("marts", "fct_orders"), "warehouse", "marts.fct_orders", {"id": "id", "total_price": "total_price"},
    (not_null("id"), unique("id"), between("total_price", 0, None, "money is never negative"),
     between("total_price", None, 1000, "large orders are worth a look", blocking=False,
             name="total_price_below_1000"), volume()),
)


@dg.asset(key=ORDERS)
def fct_orders() -> None:
    """Copy the test's source table into the warehouse (the 'write' of write-audit-publish)."""
    with duckdb.connect(str(paths.warehouse_db())) as con:
        con.execute("attach ? as src (read_only)", [str(paths.data_dir() / "source.duckdb")])
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.fct_orders as select * from src.orders")


def _definitions() -> dg.Definitions:
    return dg.Definitions(
        assets=[fct_orders, build_publish_asset([ORDERS], [SUITE])],
        asset_checks=[build_layer_checks("stub", [SUITE])],
        executor=dg.in_process_executor,
    )


def _load_source(data_dir: Path, rows: list[tuple[int, float]]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(data_dir / "source.duckdb")) as con:
        con.execute("create or replace table orders (id bigint, total_price decimal(18, 2))")
        con.executemany("insert into orders values (?, ?)", rows)


def _run(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    job = _definitions().get_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=instance, raise_on_error=False)
    record_run_outcome(instance, result.run_id, run_failed=not result.success)
    return result


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_bad_batch_is_not_published_and_rollback_restores(data_dir: Path) -> None:
    with dg.instance_for_test() as instance:
        _load_source(data_dir, [(1, 10.0), (2, 20.0), (3, 1500.0)])
        first = _run(instance)
        assert first.success
        good = snapshots.current_snapshot()
        assert good is not None and good.name == f"warehouse-{first.run_id}.duckdb"
        quality = {row["check_name"]: row for row in snapshots.read_ops_table(good, "quality_results")}
        assert len(quality) == 5
        assert quality["fct_orders__total_price_in_range"]["status"] == "passed"
        warning = quality["fct_orders__total_price_below_1000"]  # 1500 > 1000 warns but still publishes
        assert (warning["severity"], warning["status"], warning["observed_value"]) == ("WARN", "failed", "1")
        assert snapshots.read_ops_table(good, "table_volumes") == [
            {"asset": "marts.fct_orders", "row_count": 3, "run_id": first.run_id}]

        _load_source(data_dir, [(1, 10.0), (2, 20.0), (4, 30.0), (5, 40.0)])
        second = _run(instance)
        assert second.success
        previous_good = snapshots.current_snapshot()
        before = _digest(previous_good)

        _load_source(data_dir, [(1, 10.0), (1, 10.0), (2, -5.0), (6, 60.0)])
        bad = _run(instance)
        assert not bad.success
        assert snapshots.current_snapshot() == previous_good
        assert _digest(previous_good) == before
        status = snapshots.read_run_status()
        assert status.status == "blocked" and status.run_id == bad.run_id
        failing = {row["check_name"]: row["description"] for row in status.failing_checks}
        assert failing == {
            "fct_orders__id_unique": "marts.fct_orders.id: 2 of 4 rows unexpected (expect_column_values_to_be_unique)",
            "fct_orders__total_price_in_range":
                "marts.fct_orders.total_price: 1 of 4 rows unexpected (expect_column_values_to_be_between)",
        }
        first_failure = status.failing_since

        again = _run(instance)
        assert not again.success
        assert snapshots.read_run_status().failing_since == first_failure

        restored = serving.rollback()
        assert restored == good
        with duckdb.connect(str(restored), read_only=True) as con:
            assert con.execute("select count(*) from marts.fct_orders").fetchone()[0] == 3


def test_a_table_that_collapses_fails_the_volume_check(data_dir: Path) -> None:
    with dg.instance_for_test() as instance:
        _load_source(data_dir, [(n, 1.0) for n in range(10)])
        assert _run(instance).success
        _load_source(data_dir, [(1, 1.0), (2, 1.0)])
        collapsed = _run(instance)
        assert not collapsed.success
        (failing,) = snapshots.read_run_status().failing_checks
        assert failing["check_name"] == "fct_orders__row_count_vs_previous_run"
        assert failing["observed_value"] == "2"
        assert "min_value=5" in failing["description"]


def test_a_run_that_breaks_before_its_checks_is_recorded_as_failed(data_dir: Path) -> None:
    with dg.instance_for_test() as instance:
        _load_source(data_dir, [(1, 1.0)])
        assert _run(instance).success
        (data_dir / "source.duckdb").unlink()  # the "model" cannot read its source any more
        broken = _run(instance)
        assert not broken.success
        status = snapshots.read_run_status()
        assert (status.run_id, status.status) == (broken.run_id, "failed")
        assert {row["status"] for row in status.failing_checks} == {"not run"}
        assert len(status.failing_checks) == len(SUITE.rules)
