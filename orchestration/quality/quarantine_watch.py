"""Quarantine volume against its recent baseline: a jump warns, a collapse of loaded volume blocks.

147 records were once quarantined for a changed field type while every raw check and dbt test
passed: quarantined records never reach the tables the checks read. Two checks per source watch it:

- ``quarantine_jumps`` (WARN): per source, resource, field and kind of reason, the records quarantined
  by the latest load against the median of the loads before it.
- ``volume_collapses`` (ERROR, blocks publish): per resource, the share of the records that arrived in
  this load that reached raw, against the median share of the recent loads (1.0 before any). Loads are
  incremental, so a small load is normal and only the share can collapse: when most of what arrived was
  held in quarantine (a vendor changed a field every record carries), the marts would silently lose it.

Both name the source, resource, field and sample records with their payloads.
"""

from __future__ import annotations

import dataclasses
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
COLLAPSE_FACTOR = 0.5  # a collapse: the loaded share falls below half its recent median ...
COLLAPSE_MINIMUM = 10  # ... among at least this many records that arrived (a tiny load proves little)


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
    return _check_result(quarantine_jumps(raw, source, **thresholds), dg.AssetCheckSeverity.WARN, "jumps",
                         f"{source}: quarantine volume within its baseline")


def _check_result(findings: list[Any], severity: dg.AssetCheckSeverity, key: str, all_clear: str
                  ) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not findings, severity=severity,
        description="\n".join(finding.message for finding in findings) or all_clear,
        metadata={key: dg.MetadataValue.json([dataclasses.asdict(finding) for finding in findings])},
    )


@dataclass(frozen=True)
class VolumeCollapse:
    """Most records of one resource that arrived in this load were quarantined, unlike the recent loads."""

    source: str
    resource: str
    loaded: int
    quarantined: int
    baseline_share: float
    fields: list[str]
    samples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def message(self) -> str:
        arrived = self.loaded + self.quarantined
        ids = ", ".join(str(sample["record_id"]) for sample in self.samples)
        return (f"{self.source}.{self.resource}: only {self.loaded} of {arrived} records that arrived reached raw "
                f"({self.loaded / arrived:.0%}, recent loads {self.baseline_share:.0%}); {self.quarantined} were "
                f"quarantined on field(s) {', '.join(f'`{name}`' for name in self.fields)}; e.g. records {ids}. "
                f"Publishing would silently drop them: fix the contract or the data in {self.source}._quarantine.")


def volume_collapses(
    raw: duckdb.DuckDBPyConnection, source: str, load_ids: list[str], loaded: dict[str, int],
    history: dict[str, list[tuple[int, int]]], factor: float = COLLAPSE_FACTOR, minimum: int = COLLAPSE_MINIMUM,
) -> list[VolumeCollapse]:
    """The collapses of this load (``load_ids``: its dlt loads; ``loaded``: rows per resource that reached raw).

    ``history`` holds (loaded, quarantined) per resource of the recent successful loads before this one.
    """
    quarantined: dict[str, list[tuple[str, str, str, str]]] = {}
    if load_ids and _has_table(raw, source, "_quarantine"):
        for resource, field_name, record_id, reason, payload in raw.execute(
                f"select resource, field, record_id, reason, raw_payload from {source}._quarantine "
                f"where _dlt_load_id in ({', '.join('?' for _ in load_ids)}) order by record_id", load_ids).fetchall():
            quarantined.setdefault(resource, []).append((_field_path(field_name), record_id, reason, payload))
    collapses = []
    for resource in sorted(set(loaded) | set(quarantined)):
        held = quarantined.get(resource, [])
        arrived = loaded.get(resource, 0) + len(held)
        if arrived < minimum or not held:
            continue
        shares = [rows / (rows + bad) for rows, bad in history.get(resource, []) if rows + bad > 0]
        baseline = statistics.median(shares) if shares else 1.0
        if loaded.get(resource, 0) / arrived < factor * baseline:
            fields = sorted({field_name for field_name, *_ in held}, key=lambda f: -sum(h[0] == f for h in held))
            samples = [{"record_id": record_id, "reason": reason, "raw_payload": payload[:500]}
                       for _, record_id, reason, payload in held[:SAMPLES]]
            collapses.append(VolumeCollapse(source, resource, loaded.get(resource, 0), len(held), baseline,
                                            fields, samples))
    return collapses


def volume_check_result(collapses: list[VolumeCollapse], source: str) -> dg.AssetCheckResult:
    """The Dagster check result for ``source``: ERROR (blocking) when loaded volume collapsed."""
    return _check_result(collapses, dg.AssetCheckSeverity.ERROR, "collapses",
                         f"{source}: loaded share within its baseline")
