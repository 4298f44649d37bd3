"""Quarantine is watched (issue 18 item 7): a jump in records quarantined for one reason, against the
loads before, warns naming the source, field and sample records; the usual trickle does not."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.pipelines import run_source
from orchestration.quality.quarantine_watch import quarantine_check_result, quarantine_jumps, reason_kind
from seamline_core.paths import raw_db


def event(message_id: str, quantity: object = 1) -> dict:
    return {"messageId": message_id, "type": "track", "event": "Product Added", "anonymousId": "anon-1",
            "timestamp": "2026-01-01T01:15:00.000Z", "properties": {"sku": "SKU-1", "quantity": quantity}}


def drop_hour(drop: Path, hour: int, good: int, negative_quantity: int) -> None:
    """One hourly file: `good` events and `negative_quantity` events with a quantity below zero."""
    events = [event(f"h{hour}-ok-{i}") for i in range(good)]
    events += [event(f"h{hour}-bad-{i}", quantity=-2) for i in range(negative_quantity)]
    (drop / f"events-20260101-{hour:02d}.jsonl").write_text("\n".join(json.dumps(e) for e in events))


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def load_hours(drop: Path, bad_per_hour: list[int]) -> None:
    for hour, bad in enumerate(bad_per_hour, start=1):
        drop_hour(drop, hour, good=20, negative_quantity=bad)
        run_source("web_events", bucket_url=str(drop))


def jumps() -> list:
    with duckdb.connect(str(raw_db()), read_only=True) as raw:
        return quarantine_jumps(raw, "web_events")


def test_a_jump_against_the_recent_loads_warns_naming_source_field_and_samples(drop: Path) -> None:
    load_hours(drop, [1, 2, 1, 40])

    [jump] = jumps()
    assert (jump.source, jump.resource, jump.field, jump.reason) == \
        ("web_events", "events", "properties.quantity", "negative value #")
    assert (jump.records, jump.baseline) == (40, 1.0)
    assert [sample["record_id"] for sample in jump.samples] == ["h4-bad-0", "h4-bad-1", "h4-bad-10"]
    assert '"quantity": -2' in jump.samples[0]["raw_payload"]
    assert "web_events.events: 40 records quarantined on field `properties.quantity`" in jump.message

    with duckdb.connect(str(raw_db()), read_only=True) as raw:
        result = quarantine_check_result(raw, "web_events")
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert "h4-bad-0" in (result.description or "")


def test_the_usual_trickle_and_a_load_without_quarantine_pass(drop: Path) -> None:
    load_hours(drop, [3, 2, 4, 3, 5])
    assert jumps() == []
    load_hours(drop, [0])  # hour 1 again: already loaded, nothing new
    assert jumps() == []


@pytest.mark.parametrize(("reason", "kind"), [
    ("type changed: was string, now number 12.5", "type changed"),
    ("wrong type: expected integer, got string '4'", "wrong type"),
    ("negative value -3", "negative value #"),
    ("unparseable timestamp '2024-13-45T25:61:00 tomorrow'", "unparseable timestamp '…'"),
    ("text of 100000 characters exceeds the limit of 32768", "text of # characters exceeds the limit of #"),
])
def test_reasons_group_by_kind_not_by_offending_value(reason: str, kind: str) -> None:
    assert reason_kind(reason) == kind
