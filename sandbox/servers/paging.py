"""Keyset pagination and opaque cursors, shared by all four vendors.

Pages are cut after the last sort key served, not at an offset, so a record appended or updated by
`world advance` between two page requests cannot make a walk skip or repeat a record that did not
change. Cursors are base64url JSON, opaque to clients as every vendor's are.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.servers.store import Record, SortedIndex, SortKey


class CursorError(ValueError):
    """A cursor or page token this sandbox did not issue."""


@dataclass
class Page:
    records: list[Record]
    first_key: SortKey | None
    last_key: SortKey | None
    has_more: bool


def keyset_page(
    index: SortedIndex,
    *,
    after: SortKey | None,
    limit: int,
    descending: bool = False,
    keep: Callable[[Record], bool] = lambda record: True,
) -> Page:
    """Up to `limit` records after `after` that pass `keep`, and whether any further record passes."""
    records: list[Record] = []
    keys: list[SortKey] = []
    has_more = False
    for key, record in index.walk(after, descending=descending):
        if not keep(record):
            continue
        if len(records) == limit:
            has_more = True
            break
        records.append(record)
        keys.append(key)
    return Page(
        records=records,
        first_key=keys[0] if keys else None,
        last_key=keys[-1] if keys else None,
        has_more=has_more,
    )


def encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> dict[str, Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise CursorError(f"invalid cursor {token[:40]!r}") from exc
    if not isinstance(payload, dict):
        raise CursorError(f"invalid cursor {token[:40]!r}")
    return payload


def cursor_position(token: str | None, rejection: Exception) -> SortKey | None:
    """The position a Square/Google/Bluesky cursor holds; `rejection` is raised for a foreign one."""
    if not token:
        return None
    try:
        return key_from_cursor(decode_cursor(token))
    except CursorError as exc:
        raise rejection from exc


def key_from_cursor(payload: dict[str, Any], field: str = "after") -> SortKey | None:
    """The sort key stored in a cursor payload (JSON turns tuples into lists)."""
    value = payload.get(field)
    if value is None:
        return None
    if not isinstance(value, list):
        raise CursorError("cursor does not hold a position")
    return tuple(value)
