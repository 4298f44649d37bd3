"""Fault injection: the failures real APIs produce, on demand and repeatably.

Request-level faults (429s, 5xx bursts, slow answers) are decided from each vendor's request counter,
so "every 5th request" means the same requests on every run. Record-level faults (malformed records)
are decided by hashing the seed with the record's id, so the same records are broken on every read,
whatever the page size or request order. Schema drift (a new field, a field changing JSON type) starts
at a given request number, the way a vendor rolls out a change in the middle of a sync.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

from sandbox.servers.store import Record

MALFORMED_KINDS = (
    "missing_id",
    "bad_timestamp",
    "negative_quantity",
    "wrong_type",
    "oversized_text",
    "invalid_utf8",
)
VENDORS = ("shopify", "square", "google_reviews", "bluesky")
OVERSIZED_TEXT_CHARS = 100_000
# A lone surrogate that the response encoder writes as the raw byte 0xFF: invalid UTF-8 on the wire.
INVALID_UTF8_MARKER = "\udcff"
_STAR_RATINGS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}


@dataclass(frozen=True)
class Faults:
    """Knobs for the failures a connector must survive. All zero/None = a well-behaved API.

    Request numbers count authenticated requests per vendor, starting at 1.
    """

    seed: int = 0
    rate_limit_every: int = 0
    server_error_every: int = 0
    server_error_burst: int = 1
    server_error_status: int = 503
    slow_every: int = 0
    slow_seconds: float = 0.0
    malformed_rate: float = 0.0
    malformed_kinds: tuple[str, ...] = MALFORMED_KINDS
    new_field_from_request: int | None = None
    new_field_name: str = "sandbox_added_field"
    type_change_from_request: int | None = None
    vendors: tuple[str, ...] = VENDORS

    def __post_init__(self) -> None:
        unknown = set(self.malformed_kinds) - set(MALFORMED_KINDS)
        if unknown:
            raise ValueError(
                f"Faults.malformed_kinds: unknown kinds {sorted(unknown)}; use {MALFORMED_KINDS}"
            )
        if set(self.vendors) - set(VENDORS):
            raise ValueError(
                f"Faults.vendors: unknown vendors {sorted(set(self.vendors) - set(VENDORS))}; use {VENDORS}"
            )
        if not 0.0 <= self.malformed_rate <= 1.0:
            raise ValueError(f"Faults.malformed_rate must be within [0, 1], got {self.malformed_rate}")
        if self.server_error_status not in (500, 502, 503, 504):
            raise ValueError(
                f"Faults.server_error_status must be 500/502/503/504, got {self.server_error_status}"
            )

    def applies_to(self, vendor: str) -> bool:
        return vendor in self.vendors

    def rate_limited(self, request_number: int) -> bool:
        return _every(self.rate_limit_every, request_number)

    def server_error(self, request_number: int) -> bool:
        """Requests N, N+1, .. N+burst-1 fail, then 2N, ..: a burst a retrying client must ride out."""
        if self.server_error_every <= 0 or request_number < self.server_error_every:
            return False
        return request_number % self.server_error_every < max(1, self.server_error_burst)

    def delay_seconds(self, request_number: int) -> float:
        return self.slow_seconds if _every(self.slow_every, request_number) else 0.0


@dataclass(frozen=True)
class RecordShape:
    """Where a resource keeps the fields the record-level faults break (dotted paths, list indexes)."""

    id: str
    timestamp: str
    text: str
    amount: str | None = None
    drifting: str | None = None


def _every(period: int, request_number: int) -> bool:
    return period > 0 and request_number % period == 0


def _unit_hash(*parts: object) -> float:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


class RecordFaults:
    """Applies the record-level faults of one request to the records it serves."""

    def __init__(self, faults: Faults | None, vendor: str, request_number: int) -> None:
        self.faults = faults if faults and faults.applies_to(vendor) else None
        self.vendor = vendor
        self.request_number = request_number

    def apply(self, resource: str, shape: RecordShape, records: list[Record]) -> list[Record]:
        """The records as this request serves them: copies where a fault changed them."""
        if self.faults is None:
            return records
        return [self._apply_one(resource, shape, record) for record in records]

    def _apply_one(self, resource: str, shape: RecordShape, record: Record) -> Record:
        faults = self.faults
        assert faults is not None
        kind = self._malformed_kind(resource, shape, record)
        add_field = self._from(faults.new_field_from_request)
        change_type = self._from(faults.type_change_from_request) and shape.drifting is not None
        if kind is None and not add_field and not change_type:
            return record
        changed = copy.deepcopy(record)
        if kind is not None:
            _break(changed, shape, kind)
        if add_field:
            changed[faults.new_field_name] = f"{resource}-{_get(record, shape.id)}"
        if change_type and _has(changed, shape.drifting):
            _set(changed, shape.drifting, flip_type(_get(changed, shape.drifting)))
        return changed

    def _from(self, first_request: int | None) -> bool:
        return first_request is not None and self.request_number >= first_request

    def _malformed_kind(self, resource: str, shape: RecordShape, record: Record) -> str | None:
        faults = self.faults
        assert faults is not None
        if faults.malformed_rate <= 0 or not faults.malformed_kinds:
            return None
        record_id = _get(record, shape.id)
        if _unit_hash(faults.seed, self.vendor, resource, record_id) >= faults.malformed_rate:
            return None
        kinds = faults.malformed_kinds
        start = int(_unit_hash(faults.seed, "kind", self.vendor, resource, record_id) * len(kinds))
        for offset in range(len(kinds)):
            kind = kinds[(start + offset) % len(kinds)]
            if _breaks(kind, record, shape):
                return kind
        return None


_TARGET_FIELD = {
    "bad_timestamp": "timestamp",
    "wrong_type": "timestamp",
    "oversized_text": "text",
    "invalid_utf8": "text",
}


def _breaks(kind: str, record: Record, shape: RecordShape) -> bool:
    """Whether `kind` changes this record; if not, the record gets another kind.

    Negating 0 leaves a valid record, and a text cannot be written into a list the record lacks
    (a Square return order has no line_items).
    """
    if kind == "negative_quantity":
        return _negatable(record, shape.amount)
    field = _TARGET_FIELD.get(kind)
    return field is None or _parent(record, getattr(shape, field)) is not None


def _negatable(record: Record, path: str | None) -> bool:
    """A non-zero number at `path`: negating 0 would leave a valid record, so that record gets another kind."""
    if not path or not _has(record, path):
        return False
    try:
        return float(_get(record, path)) != 0
    except (TypeError, ValueError):
        return False


def malformed_kind_of(
    faults: Faults, vendor: str, resource: str, shape: RecordShape, record: Record
) -> str | None:
    """Which malformation (if any) `faults` gives this record: lets tests and benchmarks know the truth."""
    return RecordFaults(faults, vendor, 0)._malformed_kind(resource, shape, record)


def flip_type(value: Any) -> Any:
    """The same value under a different JSON type, as a vendor's schema change would send it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        if value in _STAR_RATINGS:
            return _STAR_RATINGS[value]
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return [value]
    return str(value)


def _break(record: Record, shape: RecordShape, kind: str) -> None:
    if kind == "missing_id":
        _delete(record, shape.id)
    elif kind == "bad_timestamp":
        _set(record, shape.timestamp, "2024-13-45T25:61:00 tomorrow")
    elif kind == "negative_quantity" and shape.amount:
        current = _get(record, shape.amount)
        negative = -abs(int(float(current)))
        _set(record, shape.amount, str(negative) if isinstance(current, str) else negative)
    elif kind == "wrong_type":
        _set(record, shape.timestamp, 1_700_000_000)
    elif kind == "oversized_text":
        _set(record, shape.text, ("too long " * (OVERSIZED_TEXT_CHARS // 9 + 1))[:OVERSIZED_TEXT_CHARS])
    elif kind == "invalid_utf8":
        current = _get(record, shape.text)
        text = current if isinstance(current, str) and current else "text"
        _set(record, shape.text, text[:1] + INVALID_UTF8_MARKER + text[1:])


def _steps(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def _parent(record: Record, path: str) -> tuple[Any, str | int] | None:
    *head, last = _steps(path)
    node: Any = record
    for step in head:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict) or (isinstance(node, list) and isinstance(last, int) and last < len(node)):
        return node, last
    return None


def _has(record: Record, path: str) -> bool:
    found = _parent(record, path)
    return found is not None and (isinstance(found[0], list) or found[1] in found[0])


def _get(record: Record, path: str) -> Any:
    found = _parent(record, path)
    if found is None:
        return None
    node, last = found
    return node[last] if isinstance(node, list) else node.get(last)


def _set(record: Record, path: str, value: Any) -> None:
    found = _parent(record, path)
    if found is not None:
        found[0][found[1]] = value


def _delete(record: Record, path: str) -> None:
    found = _parent(record, path)
    if found is not None and isinstance(found[0], dict):
        found[0].pop(found[1], None)
