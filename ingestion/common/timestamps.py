"""Timestamp parsing shared by validation and incremental cursors.

Vendors send ISO 8601 / RFC 3339 strings with different offsets (Shopify: shop-local `-05:00`;
Google: `Z` with 0-9 fractional digits). Compared as strings they sort wrongly, so cursors compare
the parsed instants while the records keep the vendor's original text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp into an aware UTC datetime; naive values are taken as UTC.

    Raises TypeError for a non-string and ValueError for a string that is not ISO 8601.
    """
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def latest_timestamp(values: Sequence[str]) -> str:
    """`last_value_func` for dlt incremental cursors: the latest instant, returned in its original text."""
    return max(values, key=parse_timestamp)


def to_rfc3339(value: str) -> str:
    """Render a stored cursor value as UTC RFC 3339 (`2024-01-10T16:00:00Z`) for APIs that want UTC."""
    return parse_timestamp(value).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".") + "Z"


def timestamp_of(record: Any, field: str) -> datetime | None:
    """The parsed top-level timestamp `field` of `record`, or None when absent or unparseable."""
    try:
        return parse_timestamp(record[field])
    except (KeyError, TypeError, ValueError):
        return None


def any_older_than(records: Iterable[Any], field: str, instant: datetime) -> bool:
    """True when a page of newest-first records has reached `instant`: the early-stop test."""
    return any(at is not None and at < instant for at in (timestamp_of(r, field) for r in records))
