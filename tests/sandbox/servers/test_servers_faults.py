"""Fault injection: forced 429s, 5xx bursts, slow answers, malformed records of every kind, a new
field, a field changing JSON type; deterministic for a seed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers_http import VendorHttp, items, review_parents
from servers_lexicon_check import LexiconChecker
from test_servers_contracts import square_problems

from sandbox.servers import MALFORMED_KINDS, Faults, Sandboxes, start_sandboxes
from sandbox.servers.faults import malformed_kind_of
from sandbox.servers.shopify import RESOURCES as SHOPIFY_RESOURCES
from sandbox.servers.square import SHAPES as SQUARE_SHAPES
from sandbox.servers.timeparse import TimestampError, parse_instant


@pytest.fixture
def faulty(world_dir: Path, request: pytest.FixtureRequest) -> Iterator[Sandboxes]:
    with start_sandboxes(world_dir, faults=request.param) as running:
        yield running


@pytest.mark.parametrize("faulty", [Faults(rate_limit_every=3)], indirect=True)
def test_every_third_request_is_rate_limited(faulty: Sandboxes) -> None:
    http = VendorHttp(faulty)
    shopify = [http.shopify("/products.json", limit=1) for _ in range(6)]
    square = [http.square("GET", "/v2/locations") for _ in range(6)]
    assert [r.status_code for r in shopify] == [200, 200, 429, 200, 200, 429]
    assert [r.status_code for r in square] == [200, 200, 429, 200, 200, 429]
    assert float(shopify[2].headers["Retry-After"]) >= 1.0
    assert square[2].json()["errors"][0]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize("faulty", [Faults(server_error_every=4, server_error_burst=2)], indirect=True)
def test_server_errors_come_in_bursts(faulty: Sandboxes) -> None:
    http = VendorHttp(faulty)
    google = [http.google("/v4/accounts/x/locations") for _ in range(9)]
    bluesky = [http.bluesky("app.bsky.feed.searchPosts", q="a", limit=1) for _ in range(9)]
    assert [r.status_code for r in google] == [200, 200, 200, 503, 503, 200, 200, 503, 503]
    assert google[3].json()["error"]["status"] == "UNAVAILABLE"
    assert [r.status_code for r in bluesky] == [200, 200, 200, 503, 503, 200, 200, 503, 503]
    assert bluesky[3].json()["error"] == "NotEnoughResources"


@pytest.mark.parametrize("faulty", [Faults(slow_every=2, slow_seconds=0.4)], indirect=True)
def test_slow_responses(faulty: Sandboxes) -> None:
    http = VendorHttp(faulty)
    durations = []
    for _ in range(4):
        started = time.perf_counter()
        assert http.square("GET", "/v2/locations").status_code == 200
        durations.append(time.perf_counter() - started)
    assert durations[1] >= 0.4 and durations[3] >= 0.4
    assert durations[0] < 0.4 and durations[2] < 0.4


def _served_orders(http: VendorHttp) -> list[bytes]:
    """Raw bodies of a full Shopify orders walk (raw: a malformed page may not even be valid UTF-8)."""
    return [page.content for page in http.walk_shopify("orders", limit=250, status="any")]


def _broken(kind: str, record: dict, original: dict) -> bool:
    """Whether a served Shopify order shows the malformation `kind` relative to the world's record."""
    if kind == "missing_id":
        return "id" not in record
    if kind == "bad_timestamp":
        try:
            parse_instant(record["updated_at"])
        except TimestampError:
            return True
        return False
    if kind == "wrong_type":
        return isinstance(record["updated_at"], int)
    if kind == "negative_quantity":
        return record["line_items"][0]["quantity"] == -abs(original["line_items"][0]["quantity"])
    if kind == "oversized_text":
        return len(record["line_items"][0]["title"]) >= 100_000
    return False


@pytest.mark.parametrize("faulty", [Faults(seed=11, malformed_rate=0.3)], indirect=True)
def test_malformed_records_are_the_seeded_ones_and_every_kind_appears(
    faulty: Sandboxes, world_records
) -> None:
    orders = world_records("shopify/orders.jsonl")
    shape = SHOPIFY_RESOURCES["orders"].shape
    expected = {
        o["id"]: malformed_kind_of(Faults(seed=11, malformed_rate=0.3), "shopify", "orders", shape, o)
        for o in orders
    }
    expected = {order_id: kind for order_id, kind in expected.items() if kind}
    assert 0.15 * len(orders) < len(expected) < 0.45 * len(orders)
    bodies = _served_orders(VendorHttp(faulty))
    served = []
    for raw in bodies:
        served += json.loads(raw.decode("utf-8", "surrogateescape"))["orders"]
    by_position = dict(zip([o["id"] for o in sorted(orders, key=lambda o: o["id"])], served, strict=True))
    originals = {o["id"]: o for o in orders}
    seen_kinds = set()
    for order_id, record in by_position.items():
        kind = expected.get(order_id)
        if kind is None:
            assert record == originals[order_id]
        elif kind == "invalid_utf8":
            assert "\udcff" in record["line_items"][0]["title"]
        else:
            assert _broken(kind, record, originals[order_id]), (order_id, kind)
        seen_kinds.add(kind)
    assert set(MALFORMED_KINDS) <= seen_kinds
    invalid = [raw for raw in bodies if b"\xff" in raw]
    assert invalid and all(_not_utf8(raw) for raw in invalid)


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_malformed_choice_depends_on_the_seed_only(world_records) -> None:
    orders = world_records("square/orders.jsonl")
    shape = SQUARE_SHAPES["orders"]

    def chosen(seed: int) -> dict[str, str | None]:
        faults = Faults(seed=seed, malformed_rate=0.2)
        return {o["id"]: malformed_kind_of(faults, "square", "orders", shape, o) for o in orders}

    assert chosen(1) == chosen(1)
    assert chosen(1) != chosen(2)


@pytest.mark.parametrize(
    "faulty", [Faults(new_field_from_request=3, new_field_name="loyalty_tier")], indirect=True
)
def test_a_new_field_appears_from_the_given_request(faulty: Sandboxes) -> None:
    http = VendorHttp(faulty)
    pages = [http.square("GET", "/v2/customers", limit=5).json()["customers"] for _ in range(4)]
    assert [all("loyalty_tier" in c for c in page) for page in pages] == [False, False, True, True]
    assert square_problems({"customers": pages[3]}, "ListCustomersResponse")


@pytest.mark.parametrize("faulty", [Faults(type_change_from_request=1)], indirect=True)
def test_a_field_changes_type_and_the_contract_checks_notice(
    faulty: Sandboxes, world_records, world_dir: Path
) -> None:
    http = VendorHttp(faulty)
    shop_orders = http.shopify("/orders.json", status="any", limit=5).json()["orders"]
    assert all(isinstance(order["total_price"], float) for order in shop_orders)
    location_ids = [loc["id"] for loc in world_records("square/locations.jsonl")]
    square = http.square("POST", "/v2/orders/search", body={"location_ids": location_ids, "limit": 5}).json()
    assert all(isinstance(order["total_money"]["amount"], str) for order in square["orders"])
    assert any("total_money/amount" in problem for problem in square_problems(square, "SearchOrdersResponse"))
    parent = review_parents(world_dir)[0]
    reviews = http.google(f"/v4/{parent}/reviews").json()["reviews"]
    assert all(isinstance(review["starRating"], int) for review in reviews)
    query = json.loads((world_dir / "manifest.json").read_text())["brand"]["search_query"]
    posts = http.bluesky("app.bsky.feed.searchPosts", q=query, limit=5).json()
    assert all(isinstance(post["likeCount"], str) for post in posts["posts"])
    assert any("likeCount" in p for p in LexiconChecker().output_problems(posts, "app.bsky.feed.searchPosts"))


@pytest.mark.parametrize("faulty", [Faults(rate_limit_every=1, vendors=("square",))], indirect=True)
def test_faults_can_target_one_vendor(faulty: Sandboxes) -> None:
    http = VendorHttp(faulty)
    assert http.square("GET", "/v2/locations").status_code == 429
    assert http.shopify("/products.json").status_code == 200
    assert items([http.google("/v4/accounts/x/locations").json()], "locations") == []


def test_fault_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown kinds"):
        Faults(malformed_kinds=("missing_id", "gremlins"))
    with pytest.raises(ValueError, match="malformed_rate"):
        Faults(malformed_rate=1.5)
    with pytest.raises(ValueError, match="unknown vendors"):
        Faults(vendors=("google",))


def test_negative_quantity_only_goes_to_records_it_really_breaks() -> None:
    """Negating 0 leaves a valid record, so a zero amount gets another kind of malformation."""
    shape = SQUARE_SHAPES["payments"]
    faults = Faults(seed=5, malformed_rate=1.0, malformed_kinds=("negative_quantity", "missing_id"))
    zero = [{"id": f"P{i}", "amount_money": {"amount": 0, "currency": "USD"}} for i in range(50)]
    paid = [{"id": f"P{i}", "amount_money": {"amount": 250, "currency": "USD"}} for i in range(50)]
    assert {malformed_kind_of(faults, "square", "payments", shape, record) for record in zero} == {
        "missing_id"
    }
    assert {malformed_kind_of(faults, "square", "payments", shape, record) for record in paid} == {
        "negative_quantity",
        "missing_id",
    }
