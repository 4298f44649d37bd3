"""The connectors against the sandboxes serving a generated tiny world (the issue's "done when")."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from connector_harness import (
    JWT_PREFIXES,
    WORLD_TABLES,
    manifest,
    query,
    row_counts,
    run_all,
    source_config,
    world_counts,
)

from ingestion.common.errors import SourceAuthError
from ingestion.common.timestamps import parse_timestamp
from ingestion.pipelines import run_source
from sandbox.servers import start_sandboxes
from sandbox.world.generate import advance_world, generate_world

SEED = 7


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_world("tiny", SEED, tmp_path_factory.mktemp("world") / "world")


@pytest.fixture
def own_world(tiny_world: Path, tmp_path: Path) -> Path:
    """A private copy for tests that advance the world."""
    return Path(shutil.copytree(tiny_world, tmp_path / "world"))


def records_by_id(world: Path) -> dict[str, dict[str, str]]:
    """For each API table: id -> canonical JSON of the record as the world holds it."""
    keys = {"google/reviews": "reviewId", "google/locations": "name", "bluesky/posts": "uri"}
    found = {}
    for name in WORLD_TABLES:
        if name.startswith("web_events") or not (world / f"{name}.jsonl").exists():
            continue
        key = keys.get(name, "id")
        lines = (world / f"{name}.jsonl").read_text().splitlines()
        found[name] = {str(r[key]): json.dumps(r, sort_keys=True) for r in map(json.loads, lines)}
    return found


def test_full_load_lands_the_world_counts_and_a_rerun_loads_nothing(
    tiny_world: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    with start_sandboxes(tiny_world) as sandboxes:
        config = source_config(sandboxes, tiny_world)
        first = run_all(config)
        assert row_counts() == world_counts(tiny_world)
        again = run_all(config)
    assert {name: result.rows_loaded for name, result in again.items()} == {name: {} for name in again}
    assert all(result.quarantined == {} for result in first.values())
    printed = capfd.readouterr()
    assert "page 1" in caplog.text  # progress is visible ...
    for secret in (sandboxes.token, *JWT_PREFIXES):  # ... and no secret is (the token is also the app password)
        assert secret not in caplog.text + printed.out + printed.err
    brand = manifest(tiny_world)["brand"]["bluesky_handle"]
    posts = [json.loads(line) for line in (tiny_world / "bluesky/posts.jsonl").read_text().splitlines()]
    own = sum(post["author"]["handle"] == brand for post in posts)
    assert query("select feed, count(*) from bluesky.posts group by 1 order by 1") == [
        ("author", own), ("search", len(posts) - own)]
    assert query("select count(*) from google_reviews.reviews where location_name like 'accounts/%/locations/%'") \
        == [(world_counts(tiny_world)["google/reviews"],)]


@pytest.mark.slow
def test_after_advancing_the_world_a_run_loads_exactly_the_new_and_changed_records(own_world: Path) -> None:
    with start_sandboxes(own_world) as sandboxes:
        config = source_config(sandboxes, own_world)
        run_all(config)
        before = records_by_id(own_world)
        advance_world(own_world, 7)
        after = records_by_id(own_world)
        sandboxes.reload()
        advanced = run_all(config)

    assert row_counts() == world_counts(own_world)
    for name, records in after.items():
        source, table = WORLD_TABLES[name].split(".")
        changed = sum(1 for record_id, text in records.items() if before[name].get(record_id) != text)
        assert advanced[source].rows_loaded.get(table, 0) == changed, name
    # updated records replaced their old versions: every stored order carries the world's latest updated_at
    stored = dict(query("select id, updated_at from shopify.orders"))
    assert all(stored[int(i)] == parse_timestamp(json.loads(text)["updated_at"])
               for i, text in after["shopify/orders"].items())


@pytest.mark.slow
def test_small_world_full_load_lands_exactly_its_counts(tmp_path: Path) -> None:
    world = generate_world("small", SEED, tmp_path / "small")
    with start_sandboxes(world) as sandboxes:
        run_all(source_config(sandboxes, world))
    assert row_counts() == world_counts(world)


def test_wrong_token_fails_fast_naming_source_and_fix(tiny_world: Path) -> None:
    with start_sandboxes(tiny_world) as sandboxes:
        config = source_config(sandboxes, tiny_world, token="not-the-token")
        for name, (request, setting) in {
            "shopify": ("GET ", "ACCESS_TOKEN"),
            "square": ("GET ", "ACCESS_TOKEN"),
            "google_reviews": ("GET ", "ACCESS_TOKEN"),
            "bluesky": ("POST /xrpc/com.atproto.server.createSession", "APP_PASSWORD"),  # it logs in first
        }.items():
            with pytest.raises(SourceAuthError) as failure:
                run_source(name, **config[name])
            message = str(failure.value)
            assert message.startswith(f"{name}: {request}") and "HTTP 401" in message
            assert f"SOURCES__{name.upper()}__{setting}" in message
            assert sandboxes.token not in message and "not-the-token" not in message
