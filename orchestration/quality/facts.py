"""What the quality gates compare against: the previous publish and how current each source is.

Used by the checks (RunFacts) and by the publish step (ops.source_freshness, ops.table_volumes), so
the numbers the dashboard shows are the numbers the gates judged.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from orchestration.quality.rules import RunFacts, TableSuite
from orchestration.quality.suites import FRESHNESS_COLUMNS
from seamline_core import snapshots


def source_freshness(raw: duckdb.DuckDBPyConnection, catalog: str = "") -> list[dict[str, Any]]:
    """Per source: when dlt last loaded it, and its newest record (None where nothing landed yet)."""
    prefix = f"{catalog}." if catalog else ""
    rows = []
    for source, (relation, expression) in FRESHNESS_COLUMNS.items():
        schema = relation.split(".", 1)[0]
        last_loaded = _scalar(raw, f"select max(inserted_at) from {prefix}{schema}._dlt_loads where status = 0",
                              f"{schema}._dlt_loads", catalog)
        last_record = _scalar(raw, f"select max({expression}) from {prefix}{relation}", relation, catalog)
        rows.append({"source": source, "last_loaded_at": last_loaded, "last_record_at": last_record})
    return rows


def run_facts(raw: duckdb.DuckDBPyConnection) -> RunFacts:
    """Previous published row counts (from the current snapshot) and the newest record of any source."""
    snapshot = snapshots.current_snapshot()
    previous = {}
    if snapshot is not None and snapshot.exists():
        previous = {row["asset"]: row["row_count"] for row in snapshots.read_ops_table(snapshot, "table_volumes")}
    record_times = [row["last_record_at"] for row in source_freshness(raw) if row["last_record_at"]]
    return RunFacts(previous_row_counts=previous, reference_time=max(record_times, default=None))


def table_volumes(databases: dict[str, Path], suites: Iterable[TableSuite], run_id: str) -> list[dict[str, Any]]:
    """Row counts of every suite's relation, keyed like RunFacts.previous_row_counts."""
    rows = []
    for database, path in databases.items():
        relations = sorted({suite.relation for suite in suites if suite.database == database})
        if not path.exists():
            continue
        with duckdb.connect(str(path), read_only=True) as con:
            for relation in relations:
                count = _scalar(con, f"select count(*) from {relation}", relation)
                if count is not None:
                    rows.append({"asset": relation, "row_count": count, "run_id": run_id})
    return rows


def quarantine_counts(
    raw: duckdb.DuckDBPyConnection, schemas: Iterable[str], load_ids: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Quarantined records per source, table (= dlt resource) and reason, optionally of some loads only.

    Shape of ``ops.quarantine_counts``; a source without a ``_quarantine`` table contributes nothing.
    """
    load_ids = list(load_ids) if load_ids is not None else None
    rows: list[dict[str, Any]] = []
    for schema in schemas:
        if _scalar(raw, "select 1", f"{schema}._quarantine") is None or load_ids == []:
            continue
        where = ""
        if load_ids:
            where = f"where _dlt_load_id in ({', '.join('?' for _ in load_ids)})"
        result = raw.execute(
            f"select resource, reason, count(*) from {schema}._quarantine {where} group by all order by all",
            load_ids or [],
        ).fetchall()
        rows += [{"source": schema, "table": table, "reason": reason, "records": n} for table, reason, n in result]
    return rows


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, relation: str, catalog: str = "") -> Any:
    schema, table = relation.split(".", 1)
    query = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    params: list[Any] = [schema, table]
    if catalog:
        query += " and table_catalog = ?"
        params.append(catalog)
    if not con.execute(query, params).fetchone()[0]:
        return None
    return con.execute(sql).fetchone()[0]
