"""The web-event file sensor and the connector environment for the sandboxes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
import pytest

from orchestration.automation import web_events_file_sensor
from orchestration.runner import sandbox_env


def _evaluate(folder: Path, cursor: str | None, monkeypatch: pytest.MonkeyPatch) -> dg.SensorResult:
    monkeypatch.setenv("SOURCES__WEB_EVENTS__BUCKET_URL", str(folder))
    with dg.instance_for_test() as instance:
        return web_events_file_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_sensor_requests_a_run_for_new_and_redelivered_files_only(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "events-20261101-10.jsonl").write_text("{}\n")
    first = _evaluate(tmp_path, None, monkeypatch)
    assert len(first.run_requests) == 1
    assert first.run_requests[0].tags["seamline/new_files"] == "1"

    unchanged = _evaluate(tmp_path, first.cursor, monkeypatch)
    assert not unchanged.run_requests
    assert str(tmp_path) in unchanged.skip_reason.skip_message

    (tmp_path / "events-20261101-11.jsonl.gz").write_bytes(b"")
    redelivered = tmp_path / "events-20261101-10.jsonl"
    os.utime(redelivered, (1, 1))
    second = _evaluate(tmp_path, first.cursor, monkeypatch)
    assert second.run_requests[0].tags["seamline/new_files"] == "2"
    assert set(json.loads(second.cursor)) == {"events-20261101-10.jsonl", "events-20261101-11.jsonl.gz"}


def test_sensor_reads_the_drop_the_connector_reads_an_fsspec_url_too(monkeypatch) -> None:
    """One reader for both (issue 20 item 3): dlt's config and fsspec listing, nested folders included."""
    import fsspec

    memory = fsspec.filesystem("memory")
    memory.pipe("/seamline-drop/2026/11/events-20261101-10.jsonl", b"{}\n")
    try:
        with dg.instance_for_test() as instance:
            monkeypatch.setenv("SOURCES__WEB_EVENTS__BUCKET_URL", "memory://seamline-drop")
            result = web_events_file_sensor(dg.build_sensor_context(instance=instance))
        assert set(json.loads(result.cursor)) == {"2026/11/events-20261101-10.jsonl"}
        assert result.run_requests[0].tags["seamline/new_files"] == "1"
    finally:
        memory.rm("/seamline-drop", recursive=True)


def test_sensor_without_a_configured_drop_says_what_to_set(monkeypatch) -> None:
    monkeypatch.delenv("SOURCES__WEB_EVENTS__BUCKET_URL", raising=False)
    with dg.instance_for_test() as instance:
        result = web_events_file_sensor(dg.build_sensor_context(instance=instance))
    assert not result.run_requests
    assert "SOURCES__WEB_EVENTS__BUCKET_URL" in result.skip_reason.skip_message


def test_sandbox_env_points_every_connector_at_the_world(tmp_path: Path) -> None:
    manifest = {"google_account_id": "104", "brand": {"search_query": "larkspur", "bluesky_handle": "l.bsky.social"}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    urls = {"shopify": "http://127.0.0.1:1/admin/api/2024-04", "square": "http://127.0.0.1:2",
            "google_reviews": "http://127.0.0.1:3", "bluesky": "http://127.0.0.1:4"}
    env = sandbox_env(urls, "tok", tmp_path)
    # exactly what a retailer types: no brand query, no location ids (the connectors find them)
    assert env == {
        "SOURCES__SHOPIFY__BASE_URL": "http://127.0.0.1:1/admin/api/2024-04",
        "SOURCES__SHOPIFY__ACCESS_TOKEN": "tok",
        "SOURCES__SQUARE__BASE_URL": "http://127.0.0.1:2",
        "SOURCES__SQUARE__ACCESS_TOKEN": "tok",
        "SOURCES__GOOGLE_REVIEWS__BASE_URL": "http://127.0.0.1:3",
        "SOURCES__GOOGLE_REVIEWS__ACCESS_TOKEN": "tok",
        "SOURCES__GOOGLE_REVIEWS__ACCOUNT_ID": "104",
        "SOURCES__BLUESKY__BASE_URL": "http://127.0.0.1:4",
        "SOURCES__BLUESKY__HANDLE": "l.bsky.social",
        "SOURCES__BLUESKY__APP_PASSWORD": "tok",
        "SOURCES__WEB_EVENTS__BUCKET_URL": str(tmp_path / "web_events"),
    }
