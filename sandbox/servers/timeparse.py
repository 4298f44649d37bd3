"""Timestamp parsing shared by every sandbox filter.

The vendors write timestamps differently (Shopify: shop-local offset, no fraction; Google: `Z` with
up to nine fractional digits; Square and Bluesky: `Z` with milliseconds), and query parameters may be a
bare date. Filters and sort keys compare instants, so everything becomes epoch seconds here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_FRACTION = re.compile(r"(\.\d{1,6})\d*")


class TimestampError(ValueError):
    """A query parameter or record field that is not an RFC 3339 / ISO 8601 timestamp."""


def parse_instant(text: str) -> float:
    """Epoch seconds of an ISO 8601 timestamp or date; a value without offset is read as UTC."""
    if not isinstance(text, str) or not text.strip():
        raise TimestampError(f"not a timestamp: {text!r}")
    normalised = _FRACTION.sub(r"\1", text.strip().replace("z", "Z"), count=1)
    try:
        parsed = datetime.fromisoformat(normalised)
    except ValueError as exc:
        raise TimestampError(f"not a timestamp: {text!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def instant_or_zero(value: object) -> float:
    """Sort key of a record's timestamp; a missing or broken one sorts first instead of failing the page."""
    try:
        return parse_instant(value)  # type: ignore[arg-type]
    except TimestampError:
        return 0.0


def rfc3339(epoch: float) -> str:
    """UTC `Z` timestamp with milliseconds, the form Square and Bluesky write."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
