"""Quarantine volume against its recent baseline: a jump is a warning that names what drifted.

147 records were once quarantined for a changed field type while every raw check and dbt test
passed: quarantined records never reach the tables the checks read. This compares, per source,
resource, field and kind of reason, the records quarantined by the latest load with the median of
the loads before it, and warns on a jump, with sample record ids and payloads to look at.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

import dagster as dg
import duckdb

RECENT_LOADS = 5  # the baseline: this many successful loads before the latest one
JUMP_FACTOR = 3.0  # a jump: more than this many times the baseline ...
JUMP_MINIMUM = 10  # ... and at least this many records (a few bad records are normal)
SAMPLES = 3


@dataclass(frozen=True)
class QuarantineJump:
    """More records quarantined for one reason than the recent loads make normal."""

    source: str
    resource: str
    field: str
    reason: str
    records: int
    baseline: float
    samples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def message(self) -> str:
        ids = ", ".join(str(sample["record_id"]) for sample in self.samples)
        return (f"{self.source}.{self.resource}: {self.records} records quarantined on field `{self.field}` "
                f"({self.reason}) in the latest load, against a median of {self.baseline:g} over the loads "
                f"before; e.g. records {ids}. Look at {self.source}._quarantine: did the vendor change this field?")


def reason_kind(reason: str) -> str:
    """A reason without the offending value: `type changed: was string, now number 12.5` -> `type changed`."""
    head = re.sub(r"'.*'", "'…'", reason).split(":", 1)[0]
    return re.sub(r"-?\d+(\.\d+)?", "#", head).strip()


def _has_table(raw: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(raw.execute("select count(*) from information_schema.tables where table_schema = ? "
                            "and table_name = ?", [schema, table]).fetchone()[0])


def quarantine_jumps(
    raw: duckdb.DuckDBPyConnection, source: str, recent_loads: int = RECENT_LOADS,
    factor: float = JUMP_FACTOR, minimum: int = JUMP_MINIMUM,
) -> list[QuarantineJump]:
    """The jumps of `source`'s latest successful load (empty when there is none or nothing jumped)."""
    if not (_has_table(raw, source, "_quarantine") and _has_table(raw, source, "_dlt_loads")):
        return []
    loads = [row[0] for row in raw.execute(
        f"select load_id from {source}._dlt_loads where status = 0 order by inserted_at desc, load_id desc limit ?",
        [recent_loads + 1]).fetchall()]
    if not loads:
        return []
    latest, earlier = loads[0], loads[1:]
    rows = raw.execute(
        f"select _dlt_load_id, resource, field, reason, record_id, raw_payload from {source}._quarantine "
        f"where _dlt_load_id in ({', '.join('?' for _ in loads)}) order by record_id", loads).fetchall()
    counts: dict[tuple[str, str, str], dict[str, int]] = {}
    samples: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for load_id, resource, field_name, reason, record_id, payload in rows:
        group = (resource, _field_path(field_name), reason_kind(reason))
        per_load = counts.setdefault(group, {})
        per_load[load_id] = per_load.get(load_id, 0) + 1
        if load_id == latest and len(samples.setdefault(group, [])) < SAMPLES:
            samples[group].append({"record_id": record_id, "reason": reason, "raw_payload": payload[:500]})
    jumps = []
    for (resource, field_name, kind), per_load in sorted(counts.items()):
        records = per_load.get(latest, 0)
        baseline = statistics.median([per_load.get(load, 0) for load in earlier]) if earlier else 0.0
        if records >= minimum and records > factor * baseline:
            jumps.append(QuarantineJump(source, resource, field_name, kind, records, baseline,
                                        samples[(resource, field_name, kind)]))
    return jumps


def _field_path(field_name: str) -> str:
    """`line_items[3].quantity` -> `line_items[].quantity`: one group per field, not per list position."""
    return re.sub(r"\[\d+\]", "[]", field_name or "")


def quarantine_check_result(raw: duckdb.DuckDBPyConnection, source: str, **thresholds: Any) -> dg.AssetCheckResult:
    """The Dagster check result for `source`: WARN when the latest load's quarantine jumped, with
    one line per jump (source, resource, field, reason, counts, sample ids) and the samples."""
    jumps = quarantine_jumps(raw, source, **thresholds)
    return dg.AssetCheckResult(
        passed=not jumps,
        severity=dg.AssetCheckSeverity.WARN,
        description="\n".join(jump.message for jump in jumps) or f"{source}: quarantine volume within its baseline",
        metadata={
            "jumps": dg.MetadataValue.json([
                {"source": j.source, "resource": j.resource, "field": j.field, "reason": j.reason,
                 "records": j.records, "baseline": j.baseline, "samples": j.samples} for j in jumps]),
        },
    )
