"""The serving snapshot's writer: write-audit-publish's last step (publish, rollback, last-run status).

No Dagster import here. The layout both sides agree on and the reader every layer may use (current
snapshot, ops tables, restricted companion, ``RunStatus``) are in ``seamline_core.snapshots``; this
module only writes what that module reads.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from seamline_core.snapshots import (
    HISTORY_FILE,
    LAST_RUN_FILE,
    OPS_TABLES,
    POINTER_FILE,
    RESTRICTED_DIR,
    RunStatus,
    current_snapshot,
    read_ops_table,
    read_run_status,
    restricted_file_name,
    serving_dir,
    snapshot_file_name,
    snapshot_history,
)

DEFAULT_KEEP = 5
PUBLISHED_SCHEMA = "marts"
RESTRICTED_SCHEMA = "restricted"
RESTRICTED_TABLE = "dim_customers_pii"  # the one table the companion file carries


class ServingError(RuntimeError):
    """Raised when the serving directory cannot satisfy a request (nothing published, no history)."""


def publish_snapshot(
    warehouse: Path,
    run_id: str,
    ops_rows: Mapping[str, Sequence[Mapping[str, Any]]],
    keep: int | None = None,
    directory: Path | None = None,
) -> Path:
    """Copy the warehouse's public marts and the given ops rows into a new snapshot and swap it in.

    ``ops_rows`` maps an ``OPS_TABLES`` name to its rows (dicts keyed by column); ``publish_log`` is
    filled here (previous log + this run). The new file is complete and checkpointed before the
    pointer moves; the previous snapshots stay on disk, the oldest beyond ``keep`` are deleted.
    """
    directory = directory or serving_dir()
    directory.mkdir(parents=True, exist_ok=True)
    keep = keep if keep is not None else int(os.environ.get("SEAMLINE_KEEP_SNAPSHOTS", DEFAULT_KEEP))
    final = directory / snapshot_file_name(run_id)
    staging = directory / f".{final.name}.tmp"
    staging.unlink(missing_ok=True)
    published_at = datetime.now(UTC)
    previous = current_snapshot(directory)
    log = read_ops_table(previous, "publish_log") if previous and previous.exists() else []
    log.append({"run_id": run_id, "published_at": published_at, "snapshot_file": final.name})

    with duckdb.connect(str(staging)) as con:
        con.execute("attach ? as wh (read_only)", [str(warehouse)])
        tables = _public_tables(con)
        if not tables:
            raise ServingError(f"{warehouse} has no tables in schema '{PUBLISHED_SCHEMA}': nothing to publish")
        con.execute(f"create schema {PUBLISHED_SCHEMA}")
        for table in tables:
            con.execute(f'create table {PUBLISHED_SCHEMA}."{table}" as select * from wh.{PUBLISHED_SCHEMA}."{table}"')
        con.execute("detach wh")
        con.execute("create schema ops")
        for table, columns in OPS_TABLES.items():
            con.execute(f"create table ops.{table} ({columns})")
            rows = log if table == "publish_log" else ops_rows.get(table, [])
            _insert_rows(con, table, rows)
        con.execute("checkpoint")
    _publish_restricted(warehouse, directory, final.name)
    os.replace(staging, final)

    history = [name for name in snapshot_history(directory) if name != final.name] + [final.name]
    _write_json_atomically(directory / HISTORY_FILE, history)
    _point_to(directory, final.name)
    _prune(directory, history, keep)
    return final


def rollback(directory: Path | None = None) -> Path:
    """Point readers back to the snapshot published before the current one; return its path.

    The current snapshot stays on disk (history keeps its name), so a later publish or a manual
    pointer edit can move forward again.
    """
    directory = directory or serving_dir()
    current = current_snapshot(directory)
    available = [name for name in snapshot_history(directory) if (directory / name).exists()]
    if current is None or current.name not in available:
        raise ServingError(f"no current snapshot in {directory}: publish once before rolling back")
    position = available.index(current.name)
    if position == 0:
        raise ServingError(f"{current.name} is the oldest snapshot kept in {directory}: nothing to roll back to")
    target = available[position - 1]
    _point_to(directory, target)
    status = read_run_status(directory)
    if status is not None:  # last_run.json names the snapshot readers get, never the one rolled away from
        _write_json_atomically(directory / LAST_RUN_FILE, status.__dict__ | {"current_snapshot": target})
    return directory / target


def write_run_status(
    run_id: str, status: str, failing_checks: Iterable[Mapping[str, Any]], directory: Path | None = None,
    stale_sources: Iterable[Mapping[str, Any]] = (),
) -> RunStatus:
    """Record a run's outcome in ``last_run.json``, carrying ``failing_since`` over a failing streak."""
    directory = directory or serving_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).isoformat()
    previous = read_run_status(directory)
    if status == "published":
        failing_since = None
    elif previous and previous.status != "published" and previous.failing_since:
        failing_since = previous.failing_since
    else:
        failing_since = now
    snapshot = current_snapshot(directory)
    run_status = RunStatus(
        run_id=run_id,
        finished_at=now,
        status=status,
        failing_checks=[dict(check) for check in failing_checks],
        failing_since=failing_since,
        current_snapshot=snapshot.name if snapshot else None,
        stale_sources=[dict(source) for source in stale_sources],
    )
    _write_json_atomically(directory / LAST_RUN_FILE, run_status.__dict__)
    return run_status


def _publish_restricted(warehouse: Path, directory: Path, snapshot_name: str) -> None:
    """Write the restricted companion (0600) of ``snapshot_name`` when the warehouse has raw PII.

    Written before the public file is renamed into place and before the pointer moves, so a reader
    never finds a current snapshot whose companion is still being written.
    """
    restricted = directory / RESTRICTED_DIR
    restricted.mkdir(mode=0o700, exist_ok=True)
    final = restricted / restricted_file_name(snapshot_name)
    staging = restricted / f".{final.name}.tmp"
    staging.unlink(missing_ok=True)
    with duckdb.connect(str(staging)) as con:
        os.chmod(staging, 0o600)  # before any row is written
        con.execute("attach ? as wh (read_only)", [str(warehouse)])
        (present,) = con.execute(
            "select count(*) from information_schema.tables "
            "where table_catalog = 'wh' and table_schema = ? and table_name = ?",
            [RESTRICTED_SCHEMA, RESTRICTED_TABLE],
        ).fetchone()
        if present:
            con.execute(f"create schema {RESTRICTED_SCHEMA}")
            con.execute(f"create table {RESTRICTED_SCHEMA}.{RESTRICTED_TABLE} as "
                        f"select * from wh.{RESTRICTED_SCHEMA}.{RESTRICTED_TABLE}")
            con.execute("checkpoint")
    if present:
        os.replace(staging, final)
    else:
        staging.unlink()


def _public_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'wh' and table_schema = ? order by table_name",
        [PUBLISHED_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    columns = [d[0] for d in con.execute(f"select * from ops.{table} limit 0").description]
    unknown = set().union(*(row.keys() for row in rows)) - set(columns)
    if unknown:
        raise ValueError(f"ops.{table} has no column(s) {sorted(unknown)}; columns are {columns}")
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(
        f"insert into ops.{table} values ({placeholders})",
        [[_plain(row.get(column)) for column in columns] for row in rows],
    )


def _plain(value: Any) -> Any:
    """Observed values may be lists or dicts (GX results): store them as JSON text."""
    return json.dumps(value, default=str) if isinstance(value, list | dict) else value


def _point_to(directory: Path, file_name: str) -> None:
    staging = directory / f".{POINTER_FILE}.tmp"
    staging.write_text(file_name + "\n")
    os.replace(staging, directory / POINTER_FILE)


def _write_json_atomically(target: Path, payload: Any) -> None:
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    os.replace(staging, target)


def _prune(directory: Path, history: list[str], keep: int) -> None:
    """Delete snapshots older than the newest ``keep`` (never the current one) and forget them."""
    current = current_snapshot(directory)
    for name in history[:-keep] if keep > 0 else []:
        if current is None or name != current.name:
            (directory / name).unlink(missing_ok=True)
            (directory / RESTRICTED_DIR / restricted_file_name(name)).unlink(missing_ok=True)
    _write_json_atomically(directory / HISTORY_FILE, [name for name in history if (directory / name).exists()])
