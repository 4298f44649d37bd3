"""Incremental cursors and change detection shared by the sources."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import dlt

from ingestion.common.timestamps import latest_timestamp


def timestamp_cursor(path: str, initial_value: str) -> dlt.sources.incremental:
    """A dlt incremental cursor on a vendor timestamp, compared as instants, not as strings.

    Quarantine rows carry no cursor, hence `on_cursor_value_missing="include"`; records without a
    cursor never get this far because edge validation quarantines them first.
    """
    return dlt.sources.incremental(
        path,
        initial_value=initial_value,
        last_value_func=latest_timestamp,
        on_cursor_value_missing="include",
    )


def record_digest(record: Any) -> str:
    """A short digest of a record's full content, to notice changes an API has no timestamp for."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()[:16]


def changed_only(records: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Records whose content differs from the last committed run (for APIs without an update cursor).

    Keeps a short content hash per id in the resource's dlt state, committed with the load.
    """
    hashes: dict[str, str] = dlt.current.resource_state().setdefault("content_hashes", {})
    changed = []
    for record in records:
        digest = record_digest(record)
        record_id = str(record.get(key)) if isinstance(record, dict) else ""
        if hashes.get(record_id) != digest:
            hashes[record_id] = digest
            changed.append(record)
    return changed
