"""Analysts see only the public snapshot, read-only, with hashed or masked PII."""

from __future__ import annotations

import stat
from pathlib import Path

import duckdb
import pytest

from seamline_core import snapshots

RAW_PII_COLUMNS = {"email", "phone", "first_name", "last_name"}  # a store's postal_code is public


def test_the_restricted_companion_excludes_group_and_other(small_snapshot):
    restricted = snapshots.restricted_snapshot(small_snapshot)
    assert restricted is not None and restricted.exists()
    assert stat.S_IMODE(restricted.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(restricted.parent.stat().st_mode) & 0o077 == 0


def test_the_public_snapshot_holds_no_raw_pii(small_snapshot, analyst_data_dir: Path):
    with duckdb.connect(str(analyst_data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        emails = [row[0] for row in warehouse.execute("select email from restricted.dim_customers_pii").fetchall()]
    assert emails
    with duckdb.connect(str(small_snapshot), read_only=True) as con:
        schemas = {row[0] for row in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
        assert "restricted" not in schemas
        text_columns = con.execute("""select table_schema, table_name, column_name, data_type
            from information_schema.columns where table_schema = 'marts'""").fetchall()
        assert not RAW_PII_COLUMNS & {column for _, _, column, _ in text_columns}
        for schema, table, column, data_type in text_columns:
            if data_type == "VARCHAR":
                (hits,) = con.execute(f'select count(*) from "{schema}"."{table}" where list_contains(?, "{column}")',
                                      [emails]).fetchone()
                assert hits == 0, f"raw email in {schema}.{table}.{column}"


def test_the_metrics_connection_cannot_write(governed):
    with pytest.raises(duckdb.Error, match="read-only|read only"):
        governed.client.execute("create table marts.analyst_scratch as select 1 as x")
    assert snapshots.restricted_snapshot(governed.snapshot) != governed.snapshot
