"""Edge validation: decide per record whether it may load, and say exactly why not.

A record spec names the primary key, the cursor, the other timestamps, the declared JSON types
of the fields the warehouse relies on, the quantities that may not be negative and the fields that
order two copies of one record (`newest_by`: which copy is the latest). Paths use
dots for nested objects and `[]` for every element of a list: `line_items[].quantity`.
Besides the declared types, the type each top-level field had when first seen is remembered (in
dlt resource state), so a later type change is caught instead of being coerced by the loader.

Hand-written on purpose (issue 20 item 6): the same rules as a JSON Schema run by `jsonschema` validate
at 0.02-0.19x this module's rate (330-1,900 records/s on the small world; Shopify orders 330-410),
while at the ingestion target a Shopify connector has about 1,840 records/s for everything
(BENCHMARKS.md, "Edge validation" and "Ingestion"; `seamline bench --quick --only validation`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from dlt.common.json import json as dlt_json
from dlt.common.normalizers.naming.snake_case import NamingConvention

from ingestion.common.timestamps import parse_timestamp

DEFAULT_MAX_TEXT_LENGTH = 32_768
_SNAKE_CASE = NamingConvention()  # dlt's default naming: `updateTime` lands as column `update_time`


@dataclass(frozen=True)
class RecordSpec:
    """What a good record of one resource looks like."""

    primary_key: str
    cursor: str | None = None
    timestamps: tuple[str, ...] = ()
    types: Mapping[str, str] = field(default_factory=dict)
    non_negative: tuple[str, ...] = ()
    max_text_length: int = DEFAULT_MAX_TEXT_LENGTH
    # top-level fields that order two copies of a record, most significant first (a timestamp, then
    # e.g. Square's `version`); empty = the cursor alone; no cursor either = copies are not ordered
    newest_by: tuple[str, ...] = ()

    @property
    def version_fields(self) -> tuple[str, ...]:
        return self.newest_by or ((self.cursor,) if self.cursor else ())


def latest_copy_hints(spec: RecordSpec, columns: Mapping[str, Any]) -> dict[str, Any]:
    """`columns` plus dlt's `dedup_sort` on the spec's leading version field.

    A merge load deduplicates the staged rows by primary key; without `dedup_sort` it keeps an
    arbitrary copy, with it the copy whose version field is highest.
    """
    if not spec.version_fields:
        return dict(columns)
    leading = _SNAKE_CASE.normalize_identifier(spec.version_fields[0])  # the raw column's name
    return {**columns, leading: {**columns.get(leading, {}), "dedup_sort": "desc"}}


def version_of(record: Any, spec: RecordSpec) -> tuple[Any, ...]:
    """A sortable version of a validated record: its `version_fields`, timestamps as instants.

    Each field becomes (present, value) so a missing value sorts before any real one.
    """
    timestamp_fields = {spec.cursor, *spec.timestamps}
    key: list[tuple[bool, Any]] = []
    for name in spec.version_fields:
        value = record.get(name) if isinstance(record, dict) else None
        if value is not None and name in timestamp_fields:
            value = parse_timestamp(value)
        key.append((value is not None, value))
    return tuple(key)


def nullable_columns(**data_types: str) -> dict[str, dict[str, Any]]:
    """dlt column hints for contract fields that may be null in every record of a load.

    dlt creates a column only once it has seen a non-null value; declaring these keeps the raw
    table shape (what dbt staging selects) independent of the data that happened to arrive.
    """
    return {name: {"data_type": data_type, "nullable": True} for name, data_type in data_types.items()}


@dataclass(frozen=True)
class Problem:
    """The first reason a record cannot load: the field (concrete path) and a readable reason."""

    field: str
    reason: str


# exact Python type -> JSON type name: one dict lookup per value on the hot path (subclasses fall through)
_JSON_TYPE_NAMES: dict[type, str] = {
    str: "string", int: "number", float: "number", bool: "boolean", dict: "object", list: "array",
    type(None): "null",
}


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value (ints and floats are both `number`)."""
    known = _JSON_TYPE_NAMES.get(type(value))
    if known is not None:
        return known
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else type(value).__name__


def _is_decimal_string(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "decimal_string": _is_decimal_string,
}


@lru_cache(maxsize=1024)
def _path_steps(path: str) -> tuple[tuple[str, bool], ...]:
    """`a[].b` -> (("a", True), ("b", False)): parsed once per path, not once per record."""
    return tuple((part[:-2], True) if part.endswith("[]") else (part, False) for part in path.split("."))


def values_at(record: Any, path: str) -> list[tuple[str, Any]]:
    """(concrete path, value) for every place `path` reaches in `record`; absent keys are skipped."""
    found: list[tuple[str, Any]] = [("", record)]
    for key, each in _path_steps(path):
        reached: list[tuple[str, Any]] = []
        for prefix, node in found:
            if not isinstance(node, dict) or key not in node:
                continue
            here = f"{prefix}.{key}" if prefix else key
            value = node[key]
            if each and isinstance(value, list):
                reached.extend((f"{here}[{i}]", item) for i, item in enumerate(value))
            elif not each or value is not None:
                reached.append((here, value))
        found = reached
    return found


def _text_is_clean(record: Any, max_length: int) -> bool:
    """A C-speed screen for `_text_problem`: True when no text in `record` can be invalid or too long.

    The record as UTF-8 JSON (orjson, through dlt) is at least as long in bytes as its longest string
    or key in characters, and encoding refuses lone surrogates, so a short encoding proves the record
    clean; anything else (rare) is walked by `_text_problem` to name the offending field.
    """
    try:
        encoded = dlt_json.dumpb(record)
    except (TypeError, ValueError):  # orjson's JSONEncodeError is a TypeError
        return False
    return len(encoded) <= max_length


def _text_problem(value: Any, path: str, max_length: int) -> Problem | None:
    """Invalid UTF-8 (decoded as lone surrogates) or oversized text anywhere in the record."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return Problem(path or "$", "invalid UTF-8 in text")
        if len(value) > max_length:
            return Problem(path or "$", f"text of {len(value)} characters exceeds the limit of {max_length}")
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = _text_problem(key, f"{path}.<key>" if path else "<key>", max_length) or _text_problem(
                item, f"{path}.{key}" if path else str(key), max_length
            )
            if problem:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = _text_problem(item, f"{path}[{index}]", max_length)
            if problem:
                return problem
    return None


def _plain_values_at(record: Any, path: str) -> list[Any]:
    """The values `values_at` finds, without their concrete paths: the per-record hot path.

    Building a path string for every value cost more than checking it; paths are built only for a
    record that has a problem to report.
    """
    found: list[Any] = [record]
    for key, each in _path_steps(path):
        reached: list[Any] = []
        for node in found:
            if isinstance(node, dict) and key in node:
                value = node[key]
                if each and isinstance(value, list):
                    reached.extend(value)
                elif not each or value is not None:
                    reached.append(value)
        found = reached
    return found


ReasonOf = Callable[[Any], "str | None"]


def _first_problem(record: Any, path: str, reason_of: ReasonOf) -> Problem | None:
    """The first value under `path` that `reason_of` objects to, named by its concrete path."""
    if _path_steps(path) == ((path, False),):  # a top-level field (most rules): one lookup, the path is the key
        reason = reason_of(record.get(path))
        return None if reason is None else Problem(path, reason)
    if all(reason_of(value) is None for value in _plain_values_at(record, path)):
        return None
    for concrete, value in values_at(record, path):
        reason = reason_of(value)
        if reason is not None:
            return Problem(concrete, reason)
    return None


def _type_reason(expected: str) -> ReasonOf:
    check = TYPE_CHECKS[expected]

    def reason_of(value: Any) -> str | None:
        if value is None or check(value):
            return None
        return f"wrong type: expected {expected}, got {json_type(value)} {value!r:.60}"

    return reason_of


TYPE_REASONS = {expected: _type_reason(expected) for expected in TYPE_CHECKS}


def _timestamp_reason(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return f"wrong type: expected an ISO 8601 string, got {json_type(value)} {value!r:.60}"
    try:
        parse_timestamp(value)
    except (TypeError, ValueError):
        return f"unparseable timestamp {value!r:.60}"
    return None


def _non_negative_reason(value: Any) -> str | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None:
        return f"wrong type: expected a number, got {json_type(value)} {value!r:.60}"
    return f"negative value {value}" if number < 0 else None


def find_problem(record: Any, spec: RecordSpec) -> Problem | None:
    """The first reason `record` violates `spec`, or None when it may load."""
    if not isinstance(record, dict):
        return Problem("$", f"record is a JSON {json_type(record)}, not an object")
    if not [v for v in _plain_values_at(record, spec.primary_key) if v not in (None, "")]:
        return Problem(spec.primary_key, "missing id")
    if not _text_is_clean(record, spec.max_text_length):
        problem = _text_problem(record, "", spec.max_text_length)
        if problem:
            return problem
    for path, expected in spec.types.items():
        problem = _first_problem(record, path, TYPE_REASONS[expected])
        if problem:
            return problem
    if spec.cursor and not [v for v in _plain_values_at(record, spec.cursor) if v is not None]:
        return Problem(spec.cursor, "missing timestamp")
    for path in (spec.cursor, *spec.timestamps) if spec.cursor else spec.timestamps:
        problem = _first_problem(record, path, _timestamp_reason)
        if problem:
            return problem
    for path in spec.non_negative:
        problem = _first_problem(record, path, _non_negative_reason)
        if problem:
            return problem
    return None


class FieldTypeMemory:
    """Remembers each top-level field's JSON type across runs; a change of type is a problem.

    `state` is the resource's dlt state, so the memory is committed together with the loaded data.
    Unknown fields learn the majority type of their first page, so one drifted record on a first
    page is still caught.
    """

    def __init__(self, state: MutableMapping[str, Any]) -> None:
        self.types: dict[str, str] = state.setdefault("field_types", {})

    def learn(self, records: list[dict[str, Any]]) -> None:
        first_seen: dict[str, None] = {}
        for record in records:
            first_seen.update(dict.fromkeys(record))
        for key in [key for key in first_seen if key not in self.types]:
            counts = Counter(json_type(r[key]) for r in records if r.get(key) is not None)
            if counts:
                self.types[key] = counts.most_common(1)[0][0]

    def problem(self, record: dict[str, Any]) -> Problem | None:
        types = self.types
        for key, value in record.items():
            if value is None:
                continue
            known = types.get(key)
            if known is not None and _JSON_TYPE_NAMES.get(type(value)) != known and json_type(value) != known:
                return Problem(key, f"type changed: was {known}, now {json_type(value)} {value!r:.60}")
        return None


def split_valid(
    records: Iterable[Any], spec: RecordSpec, memory: FieldTypeMemory | None = None
) -> tuple[list[Any], list[tuple[Any, Problem]]]:
    """Good records (in order) and (bad record, problem) pairs for one page."""
    good: list[Any] = []
    bad: list[tuple[Any, Problem]] = []
    for record in records:
        problem = find_problem(record, spec)
        (bad.append((record, problem)) if problem else good.append(record))
    if memory is None:
        return good, bad
    memory.learn(good)
    kept: list[Any] = []
    for record in good:
        problem = memory.problem(record)
        (bad.append((record, problem)) if problem else kept.append(record))
    return kept, bad


def record_id_of(record: Any, spec: RecordSpec) -> Any:
    """The record's primary key value, or None when it has none (or is not an object)."""
    ids = [v for v in _plain_values_at(record, spec.primary_key) if v not in (None, "")]
    return ids[0] if ids and not isinstance(ids[0], dict | list) else None


def iter_records_with_ids(
    bad: list[tuple[Any, Problem]], spec: RecordSpec
) -> Iterator[tuple[Any, Any, Problem]]:
    """(record id or None, record, problem) for quarantine rows."""
    for record, problem in bad:
        yield record_id_of(record, spec), record, problem
