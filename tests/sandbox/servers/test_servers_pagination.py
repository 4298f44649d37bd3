"""Pagination walks collect every record exactly once, and incremental filters select exactly the
records the world says they should (expectations computed from the world files)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from servers_http import VendorHttp, items, parse_link_header, review_parents

from sandbox.servers import Sandboxes, start_sandboxes


def instant(text: str) -> float:
    """Epoch seconds; a date or a timestamp without offset is UTC (the manifest's `as_of` is a date)."""
    parsed = datetime.fromisoformat(text)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def median_time(records: list[dict[str, Any]], field: str) -> str:
    """A cut-off that splits the records roughly in half, as an ISO timestamp from the data itself."""
    return sorted(record[field] for record in records)[len(records) // 2]


def exactly_once(ids: list[Any]) -> dict[Any, int]:
    """The ids served other than once (empty when every id came exactly once)."""
    return {key: count for key, count in Counter(ids).items() if count != 1}


@pytest.fixture(scope="module")
def http(sandboxes: Sandboxes) -> VendorHttp:
    return VendorHttp(sandboxes)


# ---------------------------------------------------------------- Shopify


@pytest.mark.parametrize("resource", ["customers", "orders", "products"])
def test_shopify_link_walk_serves_every_record_once_in_id_order(
    http: VendorHttp, world_records, resource: str
) -> None:
    extra = {"status": "any"} if resource == "orders" else {}
    pages = http.walk_shopify(resource, limit=7, **extra)
    ids = [record["id"] for page in pages for record in page.json()[resource]]
    expected = sorted(record["id"] for record in world_records(f"shopify/{resource}.jsonl"))
    assert exactly_once(ids) == {}
    assert ids == expected
    assert all(len(page.json()[resource]) == 7 for page in pages[:-1])


def test_shopify_link_header_is_formatted_as_shopify_sends_it(http: VendorHttp, sandboxes: Sandboxes) -> None:
    first = http.shopify("/customers.json", limit=5)
    second = http.shopify(parse_link_header(first.headers["Link"])["next"])
    links = second.headers["Link"]
    assert "previous" not in parse_link_header(first.headers["Link"])
    assert list(parse_link_header(links)) == ["previous", "next"]
    assert re.fullmatch(r'<[^<>]+>; rel="previous", <[^<>]+>; rel="next"', links)
    for url in parse_link_header(links).values():
        assert url.startswith(sandboxes.base_urls["shopify"] + "/customers.json?")
        assert set(parse_qs(urlparse(url).query)) == {"limit", "page_info"}
    back = http.shopify(parse_link_header(links)["previous"])
    assert [c["id"] for c in back.json()["customers"]] == [c["id"] for c in first.json()["customers"]]


def test_shopify_previous_links_walk_back_to_the_first_page(http: VendorHttp) -> None:
    pages = http.walk_shopify("customers", limit=9)
    backwards = [pages[-1]]
    while "previous" in parse_link_header(backwards[-1].headers.get("Link")):
        backwards.append(http.shopify(parse_link_header(backwards[-1].headers["Link"])["previous"]))
    forward_ids = [[c["id"] for c in page.json()["customers"]] for page in pages]
    backward_ids = [[c["id"] for c in page.json()["customers"]] for page in reversed(backwards)]
    assert backward_ids == forward_ids


def test_shopify_one_page_means_no_link_header(http: VendorHttp, world_records) -> None:
    response = http.shopify("/products.json", limit=250)
    assert len(response.json()["products"]) == len(world_records("shopify/products.jsonl")) <= 250
    assert "Link" not in response.headers


def test_shopify_page_info_refuses_other_filters(http: VendorHttp) -> None:
    first = http.shopify("/orders.json", limit=3, status="any")
    following = parse_link_header(first.headers["Link"])["next"]
    page_info = parse_qs(urlparse(following).query)["page_info"][0]
    refused = http.shopify("/orders.json", page_info=page_info, status="any", limit=3)
    assert refused.status_code == 400
    assert refused.json() == {
        "errors": {
            "status": "status cannot be passed when page_info is present. "
            "See https://shopify.dev/api/usage/pagination-rest for more information."
        }
    }
    assert http.shopify("/orders.json", page_info="not-a-cursor").json() == {
        "errors": {"page_info": "Invalid value."}
    }
    fields_kept = http.shopify("/orders.json", page_info=page_info, limit=3, fields="id,updated_at")
    assert fields_kept.status_code == 200
    assert {tuple(sorted(order)) for order in fields_kept.json()["orders"]} == {("id", "updated_at")}


def test_shopify_limits(http: VendorHttp, world_records) -> None:
    customers = world_records("shopify/customers.jsonl")
    assert len(http.shopify("/customers.json").json()["customers"]) == min(50, len(customers))
    assert len(http.shopify("/customers.json", limit=250).json()["customers"]) == min(250, len(customers))
    assert http.shopify("/customers.json", limit=251).json() == {"errors": {"limit": "limit must be between 1 and 250"}}
    assert http.shopify("/customers.json", limit=0).status_code == 400


def test_shopify_updated_at_min_filter_survives_pagination(http: VendorHttp, world_records) -> None:
    orders = world_records("shopify/orders.jsonl")
    cut = median_time(orders, "updated_at")
    pages = http.walk_shopify("orders", limit=6, status="any", updated_at_min=cut)
    ids = [order["id"] for page in pages for order in page.json()["orders"]]
    expected = sorted(order["id"] for order in orders if instant(order["updated_at"]) >= instant(cut))
    assert ids == expected and 0 < len(ids) < len(orders)


def test_shopify_order_status_defaults_to_open(http: VendorHttp, world_records) -> None:
    orders = world_records("shopify/orders.jsonl")
    served = items([page.json() for page in http.walk_shopify("orders", limit=250)], "orders")
    expected = [o["id"] for o in orders if o.get("closed_at") is None and o.get("cancelled_at") is None]
    assert sorted(o["id"] for o in served) == sorted(expected)
    assert http.shopify("/orders.json", status="bogus").status_code == 400


# ---------------------------------------------------------------- Square


def test_square_customer_list_walks_all_once(http: VendorHttp, world_records) -> None:
    pages = http.walk_square("GET", "/v2/customers", limit=11)
    ids = [customer["id"] for customer in items(pages, "customers")]
    assert exactly_once(ids) == {}
    assert sorted(ids) == sorted(c["id"] for c in world_records("square/customers.jsonl"))
    assert "cursor" not in pages[-1] and all("cursor" in page for page in pages[:-1])


def test_square_customer_search_by_updated_at(http: VendorHttp, world_records) -> None:
    customers = world_records("square/customers.jsonl")
    cut = median_time(customers, "updated_at")
    body = {
        "limit": 13,
        "query": {
            "filter": {"updated_at": {"start_at": cut}},
            "sort": {"field": "CREATED_AT", "order": "ASC"},
        },
    }
    served = items(http.walk_square("POST", "/v2/customers/search", body=body), "customers")
    assert sorted(c["id"] for c in served) == sorted(
        c["id"] for c in customers if instant(c["updated_at"]) >= instant(cut)
    )
    created = [instant(c["created_at"]) for c in served]
    assert created == sorted(created)


def test_square_orders_incremental_search_is_complete_and_ascending(http: VendorHttp, world_records) -> None:
    orders = world_records("square/orders.jsonl")
    location_ids = [location["id"] for location in world_records("square/locations.jsonl")]
    cut = median_time(orders, "updated_at")
    body = {
        "location_ids": location_ids,
        "limit": 37,
        "query": {
            "filter": {"date_time_filter": {"updated_at": {"start_at": cut}}},
            "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
        },
    }
    pages = http.walk_square("POST", "/v2/orders/search", body=body)
    served = items(pages, "orders")
    assert exactly_once([o["id"] for o in served]) == {}
    assert sorted(o["id"] for o in served) == sorted(
        o["id"] for o in orders if instant(o["updated_at"]) >= instant(cut)
    )
    updated = [instant(o["updated_at"]) for o in served]
    assert updated == sorted(updated)
    assert all(len(page["orders"]) == 37 for page in pages[:-1])


def test_square_orders_default_limit_and_location_scope(http: VendorHttp, world_records) -> None:
    orders = world_records("square/orders.jsonl")
    location = world_records("square/locations.jsonl")[0]["id"]
    first = http.square("POST", "/v2/orders/search", body={"location_ids": [location]}).json()
    at_location = [o for o in orders if o["location_id"] == location]
    assert len(first.get("orders", [])) == min(500, len(at_location))
    assert {o["location_id"] for o in first.get("orders", [])} <= {location}
    assert (
        http.square("POST", "/v2/orders/search", body={"location_ids": [location], "limit": 1001}).json()[
            "errors"
        ][0]["code"]
        == "VALUE_TOO_HIGH"
    )


def test_square_payments_per_location_and_default_window(
    http: VendorHttp, world_records, world_dir: Path
) -> None:
    payments = world_records("square/payments.jsonl")
    locations = world_records("square/locations.jsonl")
    since = "2000-01-01T00:00:00Z"
    per_location = [
        p["id"]
        for loc in locations
        for p in items(
            http.walk_square("GET", "/v2/payments", location_id=loc["id"], begin_time=since, limit=500),
            "payments",
        )
    ]
    assert exactly_once(per_location) == {}
    assert sorted(per_location) == sorted(p["id"] for p in payments)
    main = min(locations, key=lambda loc: instant(loc["created_at"]))["id"]
    as_of = instant(json.loads((world_dir / "manifest.json").read_text())["as_of"])
    default = items(http.walk_square("GET", "/v2/payments"), "payments")
    expected = [
        p["id"]
        for p in payments
        if p.get("location_id") == main and instant(p["created_at"]) >= as_of - 365 * 86400
    ]
    assert sorted(p["id"] for p in default) == sorted(expected)
    created = [instant(p["created_at"]) for p in default]
    assert created == sorted(created, reverse=True)


def test_square_payments_and_refunds_by_updated_at(http: VendorHttp, world_records) -> None:
    for resource, extra in (("payments", {}), ("refunds", {})):
        records = world_records(f"square/{resource}.jsonl")
        if not records:
            continue
        cut = median_time(records, "updated_at")
        location_params = (
            [{"location_id": loc["id"]} for loc in world_records("square/locations.jsonl")]
            if resource == "payments"
            else [{}]
        )
        served = []
        for params in location_params:
            pages = http.walk_square(
                "GET",
                f"/v2/{resource}",
                updated_at_begin_time=cut,
                sort_field="UPDATED_AT",
                sort_order="ASC",
                **params,
                **extra,
            )
            page_items = items(pages, resource)
            updated = [instant(r["updated_at"]) for r in page_items]
            assert updated == sorted(updated)
            assert all(len(page.get(resource, [])) <= 100 for page in pages)
            served += page_items
        assert sorted(r["id"] for r in served) == sorted(
            r["id"] for r in records if instant(r["updated_at"]) >= instant(cut)
        )


def test_square_loyalty_search(http: VendorHttp, world_records) -> None:
    accounts = world_records("square/loyalty_accounts.jsonl")
    first = http.square("POST", "/v2/loyalty/accounts/search", body={}).json()
    assert len(first.get("loyalty_accounts", [])) == min(30, len(accounts))
    walked = items(
        http.walk_square("POST", "/v2/loyalty/accounts/search", body={"limit": 17}), "loyalty_accounts"
    )
    assert sorted(a["id"] for a in walked) == sorted(a["id"] for a in accounts)
    if accounts:
        phone = accounts[0]["mapping"]["phone_number"]
        found = http.square(
            "POST", "/v2/loyalty/accounts/search", body={"query": {"mappings": [{"phone_number": phone}]}}
        ).json()
        assert {a["id"] for a in found["loyalty_accounts"]} == {
            a["id"] for a in accounts if a["mapping"]["phone_number"] == phone
        }


# ---------------------------------------------------------------- Google


def test_google_reviews_walk_newest_first_and_complete(http: VendorHttp, world_records, world_dir: Path) -> None:
    reviews = world_records("google/reviews.jsonl")
    for parent in review_parents(world_dir):
        pages = http.walk_google(f"/v4/{parent}/reviews", pageSize=7)
        served = items(pages, "reviews")
        expected = [r for r in reviews if r["name"].startswith(parent + "/")]
        assert exactly_once([r["reviewId"] for r in served]) == {}
        assert sorted(r["reviewId"] for r in served) == sorted(r["reviewId"] for r in expected)
        updated = [instant(r["updateTime"]) for r in served]
        assert updated == sorted(updated, reverse=True)
        assert "nextPageToken" not in pages[-1]
        if expected:
            assert {page["totalReviewCount"] for page in pages} == {len(expected)}


def test_google_page_size_and_rating_order(http: VendorHttp, world_records, world_dir: Path) -> None:
    parent = review_parents(world_dir)[0]
    stars = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
    expected = sum(r["name"].startswith(parent + "/") for r in world_records("google/reviews.jsonl"))
    assert len(http.google(f"/v4/{parent}/reviews", pageSize=500).json().get("reviews", [])) == min(
        50, expected
    )
    ratings = [
        stars[r["starRating"]]
        for r in items(
            http.walk_google(f"/v4/{parent}/reviews", orderBy="rating desc", pageSize=50), "reviews"
        )
    ]
    assert ratings == sorted(ratings, reverse=True) and len(ratings) == expected


def _world_with_a_new_location(world_dir: Path, target: Path) -> tuple[Path, str]:
    """A copy of the world plus one Google location opened today, so without any review; its v4 parent."""
    world = Path(shutil.copytree(world_dir, target / "world"))
    locations = world / "google" / "locations.jsonl"
    first = json.loads(locations.read_text(encoding="utf-8").splitlines()[0])
    opened = {**first, "name": first["name"].rsplit("/", 1)[0] + "/90000001", "title": "New store"}
    with locations.open("a", encoding="utf-8") as file:
        file.write(json.dumps(opened) + "\n")
    (parent,) = set(review_parents(world)) - set(review_parents(world_dir))
    return world, parent


def test_google_empty_location_follows_proto3_omission(world_records, world_dir: Path, tmp_path: Path) -> None:
    world, quiet = _world_with_a_new_location(world_dir, tmp_path)
    assert not any(r["name"].startswith(quiet + "/") for r in world_records("google/reviews.jsonl"))
    with start_sandboxes(world) as sandboxes:
        assert VendorHttp(sandboxes).google(f"/v4/{quiet}/reviews").json() == {}


def test_google_retired_v4_locations_list(http: VendorHttp, world_dir: Path) -> None:
    parents = review_parents(world_dir)
    account = parents[0].split("/locations/")[0]
    served = items(http.walk_google(f"/v4/{account}/locations", pageSize=2), "locations")
    assert [location["name"] for location in served] == sorted(p for p in parents if p.startswith(account + "/"))
    assert all("account" not in location for location in served)


# ---------------------------------------------------------------- Bluesky


def _brand(world_dir: Path) -> dict[str, str]:
    return json.loads((world_dir / "manifest.json").read_text())["brand"]


def test_bluesky_search_walk_matches_hits_total(http: VendorHttp, world_records, world_dir: Path) -> None:
    query = _brand(world_dir)["search_query"]
    pages = http.walk_bluesky("app.bsky.feed.searchPosts", q=query, limit=13)
    served = items(pages, "posts")
    expected = [
        p["uri"] for p in world_records("bluesky/posts.jsonl") if query.lower() in p["record"]["text"].lower()
    ]
    assert exactly_once([p["uri"] for p in served]) == {}
    assert sorted(p["uri"] for p in served) == sorted(expected)
    assert {page["hitsTotal"] for page in pages} == {len(expected)}
    assert "cursor" not in pages[-1]


def test_bluesky_since_until_window(http: VendorHttp, world_records, world_dir: Path) -> None:
    query = _brand(world_dir)["search_query"]
    posts = [p for p in world_records("bluesky/posts.jsonl") if query.lower() in p["record"]["text"].lower()]
    sort_at = {p["uri"]: min(instant(p["indexedAt"]), instant(p["record"]["createdAt"])) for p in posts}
    since = median_time(posts, "indexedAt")
    until = (datetime.fromisoformat(since) + timedelta(days=60)).isoformat()
    served = items(
        http.walk_bluesky("app.bsky.feed.searchPosts", q=query, since=since, until=until, limit=100), "posts"
    )
    expected = [uri for uri, moment in sort_at.items() if instant(since) <= moment < instant(until)]
    assert sorted(p["uri"] for p in served) == sorted(expected)


def test_bluesky_author_feed_walk(http: VendorHttp, world_records, world_dir: Path) -> None:
    handle = _brand(world_dir)["bluesky_handle"]
    pages = http.walk_bluesky("app.bsky.feed.getAuthorFeed", actor=handle, limit=9)
    served = [item["post"] for item in items(pages, "feed")]
    expected = [p["uri"] for p in world_records("bluesky/posts.jsonl") if p["author"]["handle"] == handle]
    assert exactly_once([p["uri"] for p in served]) == {}
    assert sorted(p["uri"] for p in served) == sorted(expected)
    assert (
        http.bluesky("app.bsky.feed.getAuthorFeed", actor=handle, limit=101).json()["error"]
        == "InvalidRequest"
    )
    assert http.bluesky("app.bsky.feed.searchPosts").json() == {
        "error": "InvalidRequest",
        "message": 'Error: Params must have the property "q"',
    }


def test_foreign_cursors_are_rejected_in_each_vendors_shape(http: VendorHttp, world_dir: Path) -> None:
    parent = review_parents(world_dir)[0]
    square = http.square("GET", "/v2/refunds", cursor="bm90LWEtY3Vyc29y")
    google = http.google(f"/v4/{parent}/reviews", pageToken="!!")
    bluesky = http.bluesky("app.bsky.feed.searchPosts", q="a", cursor="WzFd")
    assert (square.status_code, square.json()["errors"][0]["code"]) == (400, "INVALID_CURSOR")
    assert (google.status_code, google.json()["error"]["status"]) == (400, "INVALID_ARGUMENT")
    assert bluesky.status_code == 400 and bluesky.json() == {
        "error": "InvalidRequest",
        "message": "Error: malformed cursor",
    }
