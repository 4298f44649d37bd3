"""Edge validation: the hand-written validator vs the same rules as a JSON Schema run by `jsonschema`.

Issue 20 item 6 asks for a library in place of ingestion/common/validation.py unless a benchmark shows
the library cannot meet the target. The target here is the ingestion one (connectors at least 0.5x
the bare baseline, BENCHMARKS.md "Ingestion"): validation runs inside the connector, so a validator
slower than the connector's whole budget per record rules the target out on its own.

Both sides check the same records of the world in the same process, alternating, best of `repeats`:
- hand-written: `find_problem(record, spec)` (required id, text, declared types, cursor, timestamps,
  non-negative quantities);
- jsonschema: a Draft 2020-12 schema built from the same `RecordSpec` (required id, declared types
  with null allowed, decimal strings, timestamps parsed by the same `parse_timestamp`, non-negative
  quantities as format checks), compiled once, `iter_errors` up to the first error (the first
  problem is all the quarantine needs). It checks less than the hand-written side (no text screen),
  so the comparison flatters the library.
"""

from __future__ import annotations

import gzip
import json
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from benchmarks.context import BenchContext, Section, Table, require
from benchmarks.pipeline import world_for

KEY = "validation"
TITLE = "Edge validation: hand-written vs jsonschema"
MAX_RECORDS = 20_000
# (source, resource, spec module, spec name, world file or folder)
RESOURCES = (
    ("shopify", "orders", "ingestion.shopify.specs", "ORDERS", "shopify/orders.jsonl"),
    ("shopify", "customers", "ingestion.shopify.specs", "CUSTOMERS", "shopify/customers.jsonl"),
    ("square", "orders", "ingestion.square.specs", "ORDERS", "square/orders.jsonl"),
    ("web_events", "events", "ingestion.web_events", "EVENTS", "web_events"),
)
JSON_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
              "object": "object", "array": "array", "decimal_string": "string"}


def world_records(world: Path, relative: str) -> list[Any]:
    """Up to MAX_RECORDS records of one world file, or of every event file in a folder."""
    path = world / relative
    files = sorted(path.glob("events-*.jsonl*")) if path.is_dir() else [path]
    records: list[Any] = []
    for file in files:
        data = file.read_bytes()
        text = (gzip.decompress(data) if file.name.endswith(".gz") else data).decode("utf-8")
        records += [json.loads(line) for line in text.splitlines() if line.strip()]
        if len(records) >= MAX_RECORDS:
            break
    return records[:MAX_RECORDS]


def _add_rule(schema: dict[str, Any], path: str, rule: dict[str, Any]) -> None:
    """Put `rule` at `path` (`a.b`, `a[].b`) of the schema, in an `allOf` so several rules can meet."""
    node = schema
    for part in path.split("."):
        key, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        node = node.setdefault("properties", {}).setdefault(key, {})
        if each:
            node = node.setdefault("items", {})
    node.setdefault("allOf", []).append(rule)


def json_schema(spec: Any) -> dict[str, Any]:
    """The spec's rules as a JSON Schema (the candidate replacement for validation.py's rule walk)."""
    schema: dict[str, Any] = {"type": "object", "required": [spec.primary_key]}
    _add_rule(schema, spec.primary_key, {"not": {"enum": [None, ""]}})  # a null or empty id is missing
    for path, expected in spec.types.items():
        rule: dict[str, Any] = {"type": [JSON_TYPES[expected], "null"]}
        if expected == "decimal_string":
            rule["format"] = "decimal"
        _add_rule(schema, path, rule)
    for path in (spec.cursor, *spec.timestamps) if spec.cursor else spec.timestamps:
        _add_rule(schema, path, {"type": ["string", "null"], "format": "timestamp"})
    for path in spec.non_negative:
        _add_rule(schema, path, {"format": "non_negative"})
    return schema


def format_checker() -> Any:
    from jsonschema import FormatChecker

    from ingestion.common.timestamps import parse_timestamp

    checker = FormatChecker(formats=())

    @checker.checks("decimal")
    def decimal(value: Any) -> bool:
        try:
            return not isinstance(value, str) or Decimal(value) is not None
        except InvalidOperation:
            return False

    @checker.checks("timestamp", raises=(TypeError, ValueError))
    def timestamp(value: Any) -> bool:
        return not isinstance(value, str) or parse_timestamp(value) is not None

    @checker.checks("non_negative")
    def non_negative(value: Any) -> bool:
        try:
            return value is None or isinstance(value, bool) or Decimal(str(value)) >= 0
        except InvalidOperation:
            return False

    return checker


def records_per_second(check: Any, records: list[Any], repeats: int) -> tuple[float, int]:
    """Best-of-`repeats` throughput of `check` over `records`, and how many it flagged."""
    best, flagged = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        flagged = sum(1 for record in records if check(record) is not None)
        best = min(best, time.perf_counter() - started)
    return len(records) / best, flagged


def measure(ctx: BenchContext) -> Section:
    find_problem = require("ingestion.common.validation", "find_problem")
    from jsonschema import Draft202012Validator

    scale = ctx.scales[-1]
    world = world_for(ctx, scale)
    checker = format_checker()
    rows, figures = [], {}
    repeats = max(3, ctx.repeats)
    for source, resource, module, name, relative in RESOURCES:
        spec = getattr(require(module), name)
        records = world_records(world, relative)
        validator = Draft202012Validator(json_schema(spec), format_checker=checker)
        hand, library = (0.0, 0), (0.0, 0)
        for _ in range(2):  # alternate the sides so machine load hits both alike
            hand = max(hand, records_per_second(lambda r, s=spec: find_problem(r, s), records, repeats))
            library = max(library, records_per_second(lambda r, v=validator: next(v.iter_errors(r), None),
                                                       records, repeats))
        ratio = library[0] / hand[0]
        figures[f"{source}.{resource}"] = {"records": len(records), "hand_written_rps": round(hand[0]),
                                           "jsonschema_rps": round(library[0]), "ratio": round(ratio, 2),
                                           "hand_written_flagged": hand[1], "jsonschema_flagged": library[1]}
        rows.append([f"{source}.{resource}", f"{len(records):,}", f"{hand[0]:,.0f}", f"{library[0]:,.0f}",
                     f"{ratio:.2f}", f"{hand[1]} / {library[1]}"])
    ratios = [resource["ratio"] for resource in figures.values()]
    headline = [f"{scale}: jsonschema validates at {min(ratios):.2f}-{max(ratios):.2f}x the hand-written rate "
                f"({min(r['jsonschema_rps'] for r in figures.values()):,}-"
                f"{max(r['jsonschema_rps'] for r in figures.values()):,} rec/s)"]
    return Section(
        key=KEY, title=TITLE, figures={"scale": scale, "per_resource": figures, "headline": headline},
        tables=[Table(f"{scale} world, records per second in one process (best of {repeats}, sides alternated)",
                      ["resource", "records", "hand-written rec/s", "jsonschema rec/s", "jsonschema / hand",
                       "flagged (hand / jsonschema)"], rows)],
        notes=["jsonschema checks a subset (no text screen), so its figure is an upper bound for a replacement.",
               "At the ingestion target (0.5x the bare baseline, section 'Ingestion') a connector has half the "
               "baseline's rec/s for everything: fetching, validating, normalising and loading."],
    )
