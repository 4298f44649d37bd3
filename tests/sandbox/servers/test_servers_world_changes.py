"""The world changes under a running sandbox (`seamline world advance`): files are re-read when they
change, a walk in progress neither skips nor repeats unchanged records, and a half-written file keeps
the previous version serving."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from servers_http import VendorHttp, items, parse_link_header

from sandbox.servers import Sandboxes, start_sandboxes
from sandbox.world import advance_world


@pytest.fixture
def own_world(world_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the session's world that this test may change."""
    return Path(
        shutil.copytree(world_dir, tmp_path / "world", ignore=shutil.ignore_patterns("web_events", "truth"))
    )


@pytest.fixture
def running(own_world: Path) -> Iterator[Sandboxes]:
    with start_sandboxes(own_world) as sandboxes:
        yield sandboxes


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rewrite(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


def test_a_changed_file_is_served_on_the_next_request(running: Sandboxes, own_world: Path) -> None:
    http = VendorHttp(running)
    path = own_world / "square" / "locations.jsonl"
    before = http.square("GET", "/v2/locations").json()["locations"]
    added = {**before[0], "id": "LNEWSTORE0001", "name": "New Store"}
    _rewrite(path, _lines(path) + [added])
    after = http.square("GET", "/v2/locations").json()["locations"]
    assert [loc["id"] for loc in after] == [loc["id"] for loc in before] + ["LNEWSTORE0001"]


def test_a_half_written_file_keeps_the_previous_version(running: Sandboxes, own_world: Path) -> None:
    http = VendorHttp(running)
    path = own_world / "square" / "locations.jsonl"
    before = http.square("GET", "/v2/locations").json()
    path.write_text(path.read_text(encoding="utf-8") + '{"id": "LHALF', encoding="utf-8")
    assert http.square("GET", "/v2/locations").json() == before
    running.reload()
    with pytest.raises(json.JSONDecodeError):
        running.store.records("square/locations.jsonl")


def test_a_shopify_walk_survives_appends_and_updates(running: Sandboxes, own_world: Path) -> None:
    http = VendorHttp(running)
    path = own_world / "shopify" / "customers.jsonl"
    world = _lines(path)
    first = http.shopify("/customers.json", limit=10)
    page_one = [c["id"] for c in first.json()["customers"]]
    newcomer = {
        **world[0],
        "id": max(c["id"] for c in world) + 1,
        "admin_graphql_api_id": "gid://shopify/Customer/0",
    }
    updated = [{**c, "last_name": "Changed"} if c["id"] == page_one[0] else c for c in world]
    _rewrite(path, updated + [newcomer])
    ids = list(page_one)
    following = parse_link_header(first.headers["Link"]).get("next")
    while following:
        page = http.shopify(following)
        ids += [c["id"] for c in page.json()["customers"]]
        following = parse_link_header(page.headers.get("Link")).get("next")
    assert Counter(ids) == Counter([c["id"] for c in world] + [newcomer["id"]])


def test_a_square_incremental_walk_sees_a_record_updated_mid_walk_again_at_the_end(
    running: Sandboxes, own_world: Path
) -> None:
    http = VendorHttp(running)
    path = own_world / "square" / "orders.jsonl"
    world = _lines(path)
    locations = sorted({o["location_id"] for o in world})
    body = {
        "location_ids": locations,
        "limit": 25,
        "query": {
            "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
            "filter": {"date_time_filter": {"updated_at": {"start_at": "2000-01-01T00:00:00Z"}}},
        },
    }
    first = http.square("POST", "/v2/orders/search", body=body).json()
    moved = first["orders"][0]["id"]
    latest = max(o["updated_at"] for o in world)
    _rewrite(path, [{**o, "updated_at": latest, "version": 99} if o["id"] == moved else o for o in world])
    rest = http.walk_square("POST", "/v2/orders/search", body={**body, "cursor": first["cursor"]})
    served = first["orders"] + items(rest, "orders")
    counts = Counter(o["id"] for o in served)
    assert {order_id for order_id, count in counts.items() if count != 1} == {moved}
    assert set(counts) == {o["id"] for o in world}
    original_version = next(o for o in world if o["id"] == moved).get("version")
    assert [o.get("version") for o in served if o["id"] == moved] == [original_version, 99]


def test_advance_world_shows_up_in_incremental_reads(generated_world_dir: Path, tmp_path: Path) -> None:
    """On the simulator's world only: the hand-written fixture world cannot be advanced."""
    world = Path(shutil.copytree(generated_world_dir, tmp_path / "advancing"))
    with start_sandboxes(world) as sandboxes:
        http = VendorHttp(sandboxes)
        locations = [loc["id"] for loc in http.square("GET", "/v2/locations").json()["locations"]]
        before = _lines(world / "square" / "orders.jsonl")
        last_seen = max(o["updated_at"] for o in before)
        advance_world(world, 2)
        after = _lines(world / "square" / "orders.jsonl")
        body = {
            "location_ids": locations,
            "limit": 100,
            "query": {
                "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
                "filter": {"date_time_filter": {"updated_at": {"start_at": last_seen}}},
            },
        }
        served = items(http.walk_square("POST", "/v2/orders/search", body=body), "orders")

    def instant(text: str) -> float:
        return datetime.fromisoformat(text).timestamp()

    expected = {
        o["id"]
        for o in after
        if o.get("location_id") in locations and instant(o["updated_at"]) >= instant(last_seen)
    }
    assert {o["id"] for o in served} == expected
    assert len(after) >= len(before)
