"""Quarantine is watched (issue 18 item 7): a jump in records quarantined for one reason, against the
loads before, warns naming the source, field and sample records; the usual trickle does not. A collapse
of the loaded share (most of a load held in quarantine) blocks the publish, naming the same."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.pipelines import run_source
from orchestration.quality.quarantine_watch import (
    quarantine_check_result,
    quarantine_jumps,
    reason_kind,
    volume_check_result,
    volume_collapses,
)
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


def collapses_of_latest_load(history: dict[str, list[tuple[int, int]]]) -> list:
    with duckdb.connect(str(raw_db()), read_only=True) as raw:
        (load_id,) = raw.execute("select load_id from web_events._dlt_loads order by inserted_at desc limit 1").fetchone()
        (loaded,) = raw.execute("select count(*) from web_events.events where _dlt_load_id = ?", [load_id]).fetchone()
        return volume_collapses(raw, "web_events", [load_id], {"events": loaded}, history)


def test_a_collapse_of_the_loaded_share_blocks_naming_resource_field_and_samples(drop: Path) -> None:
    load_hours(drop, [1])
    assert collapses_of_latest_load({}) == []  # a first load: 20 of 21 reached raw, against 100 %
    drop_hour(drop, 2, good=2, negative_quantity=30)
    run_source("web_events", bucket_url=str(drop))

    [collapse] = collapses_of_latest_load({"events": [(20, 1)]})
    assert (collapse.source, collapse.resource, collapse.loaded, collapse.quarantined) == ("web_events", "events", 2, 30)
    assert collapse.fields == ["properties.quantity"]
    assert [sample["record_id"] for sample in collapse.samples] == ["h2-bad-0", "h2-bad-1", "h2-bad-10"]
    assert "only 2 of 32 records that arrived reached raw (6%, recent loads 95%)" in collapse.message
    result = volume_check_result([collapse], "web_events")
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR and "h2-bad-0" in result.description


def test_a_usual_share_and_a_load_the_history_makes_normal_pass(drop: Path) -> None:
    drop_hour(drop, 1, good=20, negative_quantity=3)
    run_source("web_events", bucket_url=str(drop))
    assert collapses_of_latest_load({"events": [(20, 2), (18, 3)]}) == []
    drop_hour(drop, 2, good=4, negative_quantity=16)  # a resource that always loses most records to quarantine
    run_source("web_events", bucket_url=str(drop))
    assert collapses_of_latest_load({"events": [(5, 15), (3, 17), (20, 3)]}) == []
