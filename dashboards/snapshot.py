"""Which published serving snapshot the dashboard reads, and how the last pipeline run ended.

The dashboard reads only the published snapshot (never the live warehouse), so the pipeline can write
while executives read. A snapshot file is never modified after it is published: a new run publishes a
new file and moves the pointer, which is why the file name works as the cache key for query results.
Finding it is `seamline_core.snapshots`' job (pure Python, no Dagster import).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seamline_core import snapshots
from seamline_core.snapshots import RunStatus


@dataclass(frozen=True)
class Snapshot:
    """One published, immutable serving snapshot."""

    path: Path

    @property
    def snapshot_id(self) -> str:
        """The file name (`warehouse-<run_id>.duckdb`): unique per publish, so a safe cache key."""
        return self.path.name


def current_snapshot() -> Snapshot | None:
    """The snapshot readers should open now, or None before the first publish."""
    path = snapshots.current_snapshot()
    return Snapshot(path) if path is not None and path.is_file() else None


def restricted_pii_file(snapshot: Snapshot) -> Path | None:
    """The raw-PII companion file published with this snapshot, None when none was published.

    Only for roles that may see raw PII: the caller checks `DashboardSettings.shows_raw_pii` first.
    """
    return snapshots.restricted_snapshot(snapshot.path)


def last_run_status() -> RunStatus | None:
    """The latest pipeline run's outcome (`last_run.json`), including runs that published nothing."""
    return snapshots.read_run_status()
