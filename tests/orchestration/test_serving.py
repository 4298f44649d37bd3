"""The serving snapshot: publish copies marts + ops, swaps atomically, keeps N, rolls back."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import duckdb
import pytest

from orchestration import serving
from seamline_core import snapshots


def _warehouse(path: Path, orders: int, with_pii: bool = True) -> Path:
    """A warehouse with `orders` rows in marts and, if asked, one customer whose email names `orders`."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema restricted")
        con.execute(f"create table marts.fct_orders as select range as order_id, 'c1' as customer_id "
                    f"from range({orders})")
        if with_pii:
            con.execute("create table restricted.dim_customers_pii as select 'c1' as customer_id, "
                        "? as email, '+15551230000' as phone, 'Ana' as first_name, 'Ng' as last_name",
                        [_email(orders)])
    return path


def _email(orders: int) -> str:
    return f"ana.{orders}@example.com"


def _restricted_email(companion: Path) -> str:
    with duckdb.connect(str(companion), read_only=True) as con:
        return con.execute("select email from restricted.dim_customers_pii").fetchone()[0]


def _count(snapshot: Path, table: str) -> int:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_copies_public_marts_and_ops_rows_but_not_restricted(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "wh.duckdb", orders=7)
    quality = [{"check_name": "orders_id_unique", "asset": "shopify/orders", "severity": "ERROR",
                "status": "passed", "observed_value": 0, "run_id": "r1", "checked_at": None}]
    snapshot = serving.publish_snapshot(warehouse, "r1", {"quality_results": quality}, directory=tmp_path / "s")

    assert snapshots.current_snapshot(tmp_path / "s") == snapshot
    assert snapshot.name == "warehouse-r1.duckdb"
    assert _count(snapshot, "marts.fct_orders") == 7
    assert snapshots.read_ops_table(snapshot, "quality_results")[0]["observed_value"] == "0"
    assert snapshots.read_ops_table(snapshot, "publish_log")[0]["run_id"] == "r1"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select distinct schema_name from information_schema.schemata "
                                             "where catalog_name = current_database()").fetchall()}
    assert "restricted" not in schemas
    assert not list((tmp_path / "s").glob(".*tmp"))


def test_publish_log_accumulates_keep_prunes_and_rollback_walks_back(tmp_path: Path) -> None:
    directory = tmp_path / "s"
    for run, orders in enumerate([1, 2, 3, 4], start=1):
        serving.publish_snapshot(_warehouse(tmp_path / f"wh{run}.duckdb", orders), f"r{run}", {},
                                 keep=3, directory=directory)

    assert snapshots.snapshot_history(directory) == [f"warehouse-r{n}.duckdb" for n in (2, 3, 4)]
    assert not (directory / "warehouse-r1.duckdb").exists()
    latest = snapshots.current_snapshot(directory)
    assert [row["run_id"] for row in snapshots.read_ops_table(latest, "publish_log")] == ["r1", "r2", "r3", "r4"]

    before = _digest(directory / "warehouse-r3.duckdb")
    restored = serving.rollback(directory)
    assert restored.name == "warehouse-r3.duckdb"
    assert snapshots.current_snapshot(directory) == restored
    assert _count(restored, "marts.fct_orders") == 3
    assert _digest(restored) == before
    assert serving.rollback(directory).name == "warehouse-r2.duckdb"
    with pytest.raises(serving.ServingError, match="oldest snapshot"):
        serving.rollback(directory)


def test_restricted_companions_are_pruned_and_rolled_back_with_their_snapshots(tmp_path: Path) -> None:
    directory = tmp_path / "s"
    for run, orders in enumerate([1, 2, 3, 4], start=1):
        serving.publish_snapshot(_warehouse(tmp_path / f"wh{run}.duckdb", orders), f"r{run}", {},
                                 keep=3, directory=directory)

    assert sorted(p.name for p in (directory / "restricted").iterdir()) == [
        "pii-r2.duckdb", "pii-r3.duckdb", "pii-r4.duckdb"]
    assert _restricted_email(snapshots.restricted_snapshot(directory=directory)) == _email(4)
    serving.rollback(directory)
    companion = snapshots.restricted_snapshot(directory=directory)
    assert companion == directory / "restricted" / "pii-r3.duckdb"
    assert _restricted_email(companion) == _email(3)
    assert snapshots.restricted_snapshot(directory / "warehouse-r2.duckdb") == directory / "restricted" / "pii-r2.duckdb"


def test_publish_writes_raw_pii_only_to_the_0600_restricted_companion(tmp_path: Path) -> None:
    directory = tmp_path / "s"
    snapshot = serving.publish_snapshot(_warehouse(tmp_path / "wh.duckdb", 7), "r1", {}, directory=directory)

    companion = snapshots.restricted_snapshot(directory=directory)
    assert companion == directory / "restricted" / "pii-r1.duckdb"
    assert stat.S_IMODE(companion.stat().st_mode) == 0o600
    assert stat.S_IMODE(companion.parent.stat().st_mode) & 0o077 == 0
    with duckdb.connect(str(companion), read_only=True) as con:
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "where table_catalog = current_database()").fetchall()
        row = con.execute("select customer_id, email, phone, first_name, last_name "
                          "from restricted.dim_customers_pii").fetchall()
    assert tables == [("restricted.dim_customers_pii",)]
    assert row == [("c1", _email(7), "+15551230000", "Ana", "Ng")]
    assert _public_text(snapshot).count("c1") > 0  # the scan below reads real values
    assert _email(7) not in _public_text(snapshot)
    assert "+15551230000" not in _public_text(snapshot)
    assert not list(companion.parent.glob(".*tmp"))


def test_a_warehouse_without_raw_pii_publishes_no_companion(tmp_path: Path) -> None:
    directory = tmp_path / "s"
    serving.publish_snapshot(_warehouse(tmp_path / "wh.duckdb", 2, with_pii=False), "r1", {}, directory=directory)

    assert snapshots.current_snapshot(directory).name == "warehouse-r1.duckdb"
    assert snapshots.restricted_snapshot(directory=directory) is None
    assert list((directory / "restricted").iterdir()) == []


def _public_text(snapshot: Path) -> str:
    """Every value of every table in the public snapshot, as text."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables "
                             "where table_catalog = current_database()").fetchall()
        return " ".join(str(row) for schema, table in tables
                        for row in con.execute(f'select * from {schema}."{table}"').fetchall())


def test_rollback_without_publish_names_the_directory(tmp_path: Path) -> None:
    with pytest.raises(serving.ServingError, match=str(tmp_path)):
        serving.rollback(tmp_path)


def test_publish_refuses_a_warehouse_without_marts(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(serving.ServingError, match="no tables in schema 'marts'"):
        serving.publish_snapshot(empty, "r1", {}, directory=tmp_path / "s")
    assert snapshots.current_snapshot(tmp_path / "s") is None


def test_run_status_keeps_failing_since_across_a_failing_streak(tmp_path: Path) -> None:
    failing = [{"check_name": "orders_total_price_non_negative", "asset": "shopify/orders"}]
    first = serving.write_run_status("r1", "blocked", failing, directory=tmp_path)
    second = serving.write_run_status("r2", "blocked", failing, directory=tmp_path)
    assert second.failing_since == first.failing_since
    assert snapshots.read_run_status(tmp_path).failing_checks == failing
    recovered = serving.write_run_status("r3", "published", [], directory=tmp_path)
    assert recovered.failing_since is None
    assert serving.write_run_status("r4", "failed", [], directory=tmp_path).failing_since > first.failing_since


def test_a_reader_holding_the_current_snapshot_does_not_block_the_next_publish(tmp_path: Path) -> None:
    directory = tmp_path / "s"
    first = serving.publish_snapshot(_warehouse(tmp_path / "wh1.duckdb", 2), "r1", {}, directory=directory)
    with duckdb.connect(str(first), read_only=True) as dashboard:
        second = serving.publish_snapshot(_warehouse(tmp_path / "wh2.duckdb", 5), "r2", {}, directory=directory)
        assert dashboard.execute("select count(*) from marts.fct_orders").fetchone()[0] == 2
    assert snapshots.current_snapshot(directory) == second
    assert _count(second, "marts.fct_orders") == 5


def test_rollback_keeps_last_run_json_and_the_serving_pointer_in_agreement(tmp_path: Path) -> None:
    """Issue 18 item 10: after `seamline rollback`, last_run.json named the snapshot rolled away from."""
    directory = tmp_path / "s"
    for run in (1, 2):
        serving.publish_snapshot(_warehouse(tmp_path / f"wh{run}.duckdb", run), f"r{run}", {}, directory=directory)
        serving.write_run_status(f"r{run}", "published", [], directory=directory)
    assert snapshots.read_run_status(directory).current_snapshot == "warehouse-r2.duckdb"

    restored = serving.rollback(directory)

    status = snapshots.read_run_status(directory)
    assert status.current_snapshot == restored.name == snapshots.current_snapshot(directory).name == "warehouse-r1.duckdb"
    assert (status.run_id, status.status) == ("r2", "published")
