"""The serving snapshot's layout and its reader: what the dashboard, analysts and the pipeline open.

Pure Python (no Dagster import), so every layer may use it. The writer (publish, rollback, last-run
status) is ``orchestration.serving``; the layout both sides agree on lives here.

Layout (docs/INTERFACES.md, section 6) under ``$SEAMLINE_DATA_DIR/serving/``:

- ``warehouse-<run_id>.duckdb``: a self-contained copy of the public ``marts`` schema plus the
  ``ops`` tables below. Readers open it ``read_only=True``; nothing writes it after publication, so a
  snapshot stays byte-identical until it is pruned.
- ``current``: one line, the file name of the snapshot readers should open. Replaced atomically
  (``os.replace``), so a reader sees either the old or the new name, never half of one.
- ``history.json``: the published file names, oldest first; ``rollback`` walks it backwards.
- ``last_run.json``: the outcome of the latest pipeline run, including failed ones that published
  nothing, so the dashboard can say "showing the last good data; check X failing since T".
- ``restricted/pii-<run_id>.duckdb``: the restricted companion of ``warehouse-<run_id>.duckdb``, only
  ``restricted.dim_customers_pii`` (raw email, phone, name), file mode 0600 in a 0700 directory. Only
  the dashboard's ``service`` role opens it. It follows its public snapshot: written before the
  pointer moves, pruned with it, and ``rollback`` needs no extra step because the companion's name is
  derived from the current snapshot's name. The public snapshot never carries raw PII.

Why a copy rather than reading the warehouse: DuckDB allows one writer or many readers per file,
never both, so a dashboard on the live warehouse would block the pipeline and vice versa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from seamline_core import paths

POINTER_FILE = "current"
HISTORY_FILE = "history.json"
LAST_RUN_FILE = "last_run.json"
RESTRICTED_DIR = "restricted"  # under the serving directory

# The ops tables every snapshot carries (column order is the contract).
OPS_TABLES: dict[str, str] = {
    "quality_results": (
        "check_name VARCHAR, asset VARCHAR, severity VARCHAR, status VARCHAR, observed_value VARCHAR, "
        "run_id VARCHAR, checked_at TIMESTAMPTZ, description VARCHAR"
    ),
    "source_freshness": "source VARCHAR, last_loaded_at TIMESTAMPTZ, last_record_at TIMESTAMPTZ",
    "publish_log": "run_id VARCHAR, published_at TIMESTAMPTZ, snapshot_file VARCHAR",
    "quarantine_counts": 'source VARCHAR, "table" VARCHAR, reason VARCHAR, records BIGINT',
    "table_volumes": "asset VARCHAR, row_count BIGINT, run_id VARCHAR",
    # the rows behind each failed WARN check on a public mart (orchestration/quality/failing_rows.py)
    "check_failing_rows": "check_name VARCHAR, asset VARCHAR, row_number BIGINT, row_json VARCHAR",
    # per source: did its last load succeed; a failed one is published from its last good load, stale
    # (orchestration/source_loads.py)
    "source_loads": ("source VARCHAR, status VARCHAR, error VARCHAR, last_successful_load_at TIMESTAMPTZ, "
                     "run_id VARCHAR"),
}


def serving_dir() -> Path:
    """The serving directory (from ``SEAMLINE_DATA_DIR``, read now)."""
    return paths.serving_dir()


def current_snapshot(directory: Path | None = None) -> Path | None:
    """The snapshot readers should open, or None before the first publish.

    Open it with ``duckdb.connect(str(path), read_only=True)``; key caches on ``path.name``.
    """
    directory = directory or serving_dir()
    pointer = directory / POINTER_FILE
    if not pointer.exists():
        return None
    name = pointer.read_text().strip()
    return directory / name if name else None


def snapshot_history(directory: Path | None = None) -> list[str]:
    """Published snapshot file names, oldest first (pruned files included until pruned)."""
    directory = directory or serving_dir()
    history = directory / HISTORY_FILE
    return json.loads(history.read_text()) if history.exists() else []


def snapshot_file_name(run_id: str) -> str:
    """The file name of the snapshot published by ``run_id``."""
    return f"warehouse-{run_id}.duckdb"


def restricted_snapshot(snapshot: Path | None = None, directory: Path | None = None) -> Path | None:
    """The restricted PII companion of ``snapshot`` (default: the current one), None when absent.

    Readers pass the snapshot they already hold, so public and restricted data come from the same run.
    Open it ``read_only=True``; only roles allowed raw PII may call this.
    """
    directory = directory or serving_dir()
    snapshot = snapshot or current_snapshot(directory)
    if snapshot is None:
        return None
    companion = snapshot.parent / RESTRICTED_DIR / restricted_file_name(snapshot.name)
    return companion if companion.is_file() else None


def restricted_file_name(snapshot_name: str) -> str:
    """``warehouse-<run_id>.duckdb`` -> ``pii-<run_id>.duckdb``."""
    return "pii-" + snapshot_name.removeprefix("warehouse-")


def read_ops_table(snapshot: Path, table: str) -> list[dict[str, Any]]:
    """Rows of ``ops.<table>`` from a published snapshot (read-only), e.g. the previous row counts."""
    if table not in OPS_TABLES:
        raise ValueError(f"unknown ops table {table!r}; known: {sorted(OPS_TABLES)}")
    with duckdb.connect(str(snapshot), read_only=True) as con:
        cursor = con.execute(f"select * from ops.{table}")
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class RunStatus:
    """The latest pipeline run's outcome as the dashboard reads it from ``last_run.json``.

    ``failing_since`` is when the current streak of unpublished runs began (None when the latest run
    published), so a notice can say "failing since ...". ``stale_sources`` are the sources whose load
    failed in this run (source, error, last_successful_load_at): a published run then carries their
    last good data.
    """

    run_id: str
    finished_at: str
    status: str  # "published", "blocked" (a blocking check failed) or "failed" (the run errored)
    failing_checks: list[dict[str, Any]]
    failing_since: str | None
    current_snapshot: str | None
    stale_sources: list[dict[str, Any]] = field(default_factory=list)


def read_run_status(directory: Path | None = None) -> RunStatus | None:
    """The latest run's outcome, or None before the first run."""
    directory = directory or serving_dir()
    status_file = directory / LAST_RUN_FILE
    if not status_file.exists():
        return None
    return RunStatus(**json.loads(status_file.read_text()))
