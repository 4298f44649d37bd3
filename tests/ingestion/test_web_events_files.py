"""The web event file drop: gz and plain JSONL, dedupe on messageId, late and re-delivered files, bad lines."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import duckdb

from ingestion.pipelines import run_source
from seamline_core.paths import raw_db


def event(message_id: str, **extra: object) -> dict:
    return {"messageId": message_id, "type": "track", "event": "Product Viewed", "anonymousId": "anon-1",
            "userId": None, "timestamp": "2026-01-01T01:15:00.000Z", "properties": {"sku": "SKU-1"}, **extra}


def lines(*events: dict) -> bytes:
    return b"".join(json.dumps(e).encode() + b"\n" for e in events)


def query(sql: str) -> list[tuple]:
    with duckdb.connect(str(raw_db()), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_file_drop_dedupes_quarantines_and_handles_late_and_redelivered_files(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "events-20260101-01.jsonl").write_bytes(
        lines(event("m1"), event("m2"), event("m3"))
        + b'{"messageId": "broken", "type": \n'
        + lines(event("m4", properties={"sku": "SKU-\udcff"})).replace(b"\\udcff", b"\xff")
    )
    (drop / "events-20260101-02.jsonl.gz").write_bytes(gzip.compress(lines(event("m3"), event("m5"), event(""))))
    (drop / "notes.txt").write_text("not an event file")

    first = run_source("web_events", bucket_url=str(drop))
    assert first.rows_loaded["events"] == 4
    assert query("select message_id from web_events.events order by 1") == [("m1",), ("m2",), ("m3",), ("m5",)]
    assert query("select record_id, field, reason from web_events._quarantine order by field") == [
        (None, "events-20260101-01.jsonl:4", "line is not JSON: Expecting value: line 1 column 33 (char 32)"),
        (None, "messageId", "missing id"),
        ("m4", "properties.sku", "invalid UTF-8 in text"),
    ]
    assert first.quarantined == {"events": {
        "invalid UTF-8 in text": 1, "line is not JSON: Expecting value: line 1 column 33 (char 32)": 1, "missing id": 1}}

    assert run_source("web_events", bucket_url=str(drop)).rows_loaded == {}

    (drop / "events-20251231-23.jsonl").write_bytes(lines(event("late-1")))  # an old hour arriving late
    shutil.copy(drop / "events-20260101-01.jsonl", drop / "events-20260101-01-redelivery.jsonl")
    (drop / "events-20260101-02.jsonl.gz").write_bytes(gzip.compress(lines(event("m3"), event("m5"), event(""))))
    os.utime(drop / "events-20260101-01.jsonl")
    later = run_source("web_events", bucket_url=f"file://{drop}")
    assert later.rows_loaded == {"events": 1}
    assert query("select count(*), count(distinct message_id) from web_events.events") == [(5, 5)]
    assert query("select count(*) from web_events._quarantine") == [(3,)]
