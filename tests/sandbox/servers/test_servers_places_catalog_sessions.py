"""Contract tests for the endpoints added for "any real retailer" (docs/DIALECTS.md section 3):
Shopify locations, the Square catalog, Google Business Information v1 locations, Bluesky sessions
that expire and getProfile. Expectations come from the world files, shapes from the vendors' specs
(Square's OpenAPI schemas, Google's v1 discovery document, the Bluesky lexicons).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import googleapiclient
import pytest
import requests
from servers_http import VendorHttp, items, parse_link_header, review_parents
from servers_lexicon_check import LexiconChecker
from test_servers_contracts import SHOP_TIME, square_problems

from sandbox.servers import Sandboxes, SessionLifetimes, start_sandboxes

# Google's own v1 discovery document, as google-api-python-client ships it
GOOGLE_V1_DISCOVERY = (
    Path(googleapiclient.__file__).parent / "discovery_cache/documents/mybusinessbusinessinformation.v1.json"
)
SHOPIFY_LOCATION_FIELDS = {
    "id", "name", "address1", "address2", "city", "zip", "province", "country", "phone", "created_at",
    "updated_at", "country_code", "country_name", "province_code", "legacy", "active", "admin_graphql_api_id",
    "localized_country_name", "localized_province_name",
}


@pytest.fixture(scope="module")
def http(sandboxes: Sandboxes) -> VendorHttp:
    return VendorHttp(sandboxes)


def _records_of(world_records, relative: str) -> list[dict[str, Any]]:
    """The world's records of `relative`; every world must have some (a missing file is a broken world)."""
    records = world_records(relative)
    assert records, f"this world has no {relative}"
    return records


# ---------------------------------------------------------------- Shopify locations


def test_shopify_locations_page_by_link_header_and_count(http: VendorHttp, world_records) -> None:
    locations = _records_of(world_records, "shopify/locations.jsonl")
    pages = http.walk_shopify("locations", limit=2)
    served = [location for page in pages for location in page.json()["locations"]]
    assert [location["id"] for location in served] == sorted(location["id"] for location in locations)
    assert served == sorted(locations, key=lambda location: location["id"])  # as the world wrote them
    assert all(set(location) <= SHOPIFY_LOCATION_FIELDS for location in served)
    assert all(SHOP_TIME.match(location["updated_at"]) for location in served)
    if len(pages) > 1:
        assert set(parse_link_header(pages[1].headers["Link"])) >= {"previous"}
    assert "Link" not in http.shopify("/locations.json", limit=250).headers
    assert http.shopify("/locations/count.json").json() == {"count": len(locations)}
    too_many = http.shopify("/locations.json", limit=251)
    assert too_many.status_code == 400 and "limit" in too_many.json()["errors"]


# ---------------------------------------------------------------- Square catalog


def _variations(catalog: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [variation for item in catalog for variation in item["item_data"].get("variations", [])]


def test_square_list_catalog_nests_variations_and_lists_them_when_asked(http: VendorHttp, world_records) -> None:
    catalog = _records_of(world_records, "square/catalog.jsonl")
    live_items = [item for item in catalog if not item.get("is_deleted")]
    only_items = http.walk_square("GET", "/v2/catalog/list", types="ITEM")
    assert [problem for page in only_items for problem in square_problems(page, "ListCatalogResponse")][:10] == []
    assert sorted(o["id"] for o in items(only_items, "objects")) == sorted(item["id"] for item in live_items)

    both = http.walk_square("GET", "/v2/catalog/list", types="item,ITEM_VARIATION")  # case-insensitive
    objects = items(both, "objects")
    assert all(len(page.get("objects", [])) <= 100 for page in both) and "cursor" not in both[-1]
    assert [problem for page in both for problem in square_problems(page, "ListCatalogResponse")][:10] == []
    assert Counter(o["type"] for o in objects) == {
        "ITEM": len(live_items),
        "ITEM_VARIATION": sum(not v.get("is_deleted") for v in _variations(catalog)),
    }
    nested = {o["id"]: o for o in objects if o["type"] == "ITEM"}
    assert all(nested[item["id"]] == item for item in live_items)  # variations stay nested as well
    assert len({o["id"] for o in objects}) == len(objects)

    unknown = http.square("GET", "/v2/catalog/list", types="ITEM,WIDGET")
    assert (unknown.status_code, unknown.json()["errors"][0]["code"]) == (400, "INVALID_ENUM_VALUE")


def test_square_batch_retrieve_catalog(http: VendorHttp, world_records) -> None:
    catalog = _records_of(world_records, "square/catalog.jsonl")
    item = next(item for item in catalog if not item.get("is_deleted"))
    variation = next(item for item in reversed(catalog) if not item.get("is_deleted"))["item_data"]["variations"][0]
    deleted = next((item for item in catalog if item.get("is_deleted")), None)
    ids = [item["id"], variation["id"], "NOT-A-CATALOG-ID", *([deleted["id"]] if deleted else [])]
    body = http.square("POST", "/v2/catalog/batch-retrieve", body={"object_ids": ids, "include_related_objects": True})
    assert body.status_code == 200 and square_problems(body.json(), "BatchRetrieveCatalogObjectsResponse") == []
    answer = body.json()
    assert [o["id"] for o in answer["objects"]] == [item["id"], variation["id"]]  # no unknown, no deleted
    assert [o["id"] for o in answer.get("related_objects", [])] == [variation["item_variation_data"]["item_id"]]
    if deleted:
        with_deleted = http.square("POST", "/v2/catalog/batch-retrieve",
                                   body={"object_ids": [deleted["id"]], "include_deleted_objects": True}).json()
        assert with_deleted["objects"][0]["is_deleted"] is True
    missing = http.square("POST", "/v2/catalog/batch-retrieve", body={})
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (400, "object_ids")


def test_square_search_catalog_pages_in_update_order_from_begin_time(http: VendorHttp, world_records) -> None:
    catalog = _records_of(world_records, "square/catalog.jsonl")
    body = {"object_types": ["ITEM"], "include_deleted_objects": True, "limit": 7}
    pages = http.walk_square("POST", "/v2/catalog/search", body=body)
    assert [problem for page in pages for problem in square_problems(page, "SearchCatalogObjectsResponse")][:10] == []
    served = items(pages, "objects")
    assert sorted(o["id"] for o in served) == sorted(item["id"] for item in catalog)
    assert [o["updated_at"] for o in served] == sorted(o["updated_at"] for o in served)
    assert pages[0]["latest_time"] == max(o["updated_at"] for o in catalog + _variations(catalog))

    middle = sorted(item["updated_at"] for item in catalog)[len(catalog) // 2]
    newer = items(http.walk_square("POST", "/v2/catalog/search", body={**body, "begin_time": middle}), "objects")
    assert sorted(o["id"] for o in newer) == sorted(i["id"] for i in catalog if i["updated_at"] > middle)  # exclusive
    live = items(http.walk_square("POST", "/v2/catalog/search", body={"object_types": ["ITEM"]}), "objects")
    assert len(live) == sum(not item.get("is_deleted") for item in catalog)
    rejected = http.square("POST", "/v2/catalog/search", body={"query": {"prefix_query": {"attribute_name": "name"}}})
    assert (rejected.status_code, rejected.json()["errors"][0]["field"]) == (400, "query")


# ---------------------------------------------------------------- Google Business Information v1


def _v1_location_fields() -> set[str]:
    document = json.loads(GOOGLE_V1_DISCOVERY.read_text())
    return set(document["schemas"]["Location"]["properties"])


def test_google_v1_locations_need_a_read_mask_and_return_only_its_fields(http: VendorHttp, world_dir: Path) -> None:
    parents = review_parents(world_dir)
    account = parents[0].split("/locations/")[0]
    path = f"/v1/{account}/locations"

    missing = http.google(path)
    error = missing.json()["error"]
    assert (missing.status_code, error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["details"][0]["fieldViolations"][0]["field"] == "read_mask"
    assert http.google(path, readMask="name,owner").json()["error"]["status"] == "INVALID_ARGUMENT"

    pages = http.walk_google(path, readMask="name,title,storeCode,storefrontAddress")
    served = items(pages, "locations")
    assert all(len(page.get("locations", [])) <= 10 for page in pages)  # v1's default page size
    assert [f"{account}/{loc['name']}" for loc in served] == sorted(p for p in parents if p.startswith(account + "/"))
    assert all(set(loc) <= {"name", "title", "storeCode", "storefrontAddress"} for loc in served)
    assert all(set(loc) <= _v1_location_fields() for loc in served)  # "account" is never served
    assert all(set(page) <= {"locations", "nextPageToken"} for page in pages)

    names = items(http.walk_google(path, readMask="name", pageSize=4), "locations")
    assert [set(loc) for loc in names] == [{"name"}] * len(served)
    nested = items(http.walk_google(path, readMask="storefrontAddress.postalCode", pageSize=100), "locations")
    assert all(set(loc) <= {"storefrontAddress"} and set(loc.get("storefrontAddress", {})) <= {"postalCode"}
               for loc in nested)
    assert http.google("/v1/accounts/0/locations", readMask="name").json() == {}


# ---------------------------------------------------------------- Bluesky sessions and profile


def _wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_bluesky_access_jwt_expires_as_expired_token_and_refresh_renews_it(world_dir: Path) -> None:
    brand = json.loads((world_dir / "manifest.json").read_text())["brand"]
    lifetimes = SessionLifetimes(access_seconds=0.3, refresh_seconds=2.0)
    with start_sandboxes(world_dir, session_lifetimes=lifetimes) as sandboxes:
        xrpc = sandboxes.base_urls["bluesky"] + "/xrpc/"
        session = requests.post(xrpc + "com.atproto.server.createSession",
                                json={"identifier": brand["bluesky_handle"], "password": sandboxes.app_password}).json()

        def search(token: str) -> requests.Response:
            return requests.get(xrpc + "app.bsky.feed.searchPosts", params={"q": brand["search_query"], "limit": 1},
                                headers={"Authorization": f"Bearer {token}"})

        assert search(session["accessJwt"]).status_code == 200
        _wait_until(lambda: search(session["accessJwt"]).status_code != 200)
        expired = search(session["accessJwt"])
        assert (expired.status_code, expired.json()) == (400, {"error": "ExpiredToken", "message": "Token has expired"})
        assert search("not-a-jwt").status_code == 401  # a forged token is not "expired"

        refresh = requests.post(xrpc + "com.atproto.server.refreshSession",
                                headers={"Authorization": f"Bearer {session['refreshJwt']}"})
        renewed = refresh.json()
        assert refresh.status_code == 200 and renewed["handle"] == brand["bluesky_handle"]
        assert search(renewed["accessJwt"]).status_code == 200
        assert sandboxes.session_calls == {"createSession": 1, "refreshSession": 1}

        _wait_until(lambda: requests.post(xrpc + "com.atproto.server.refreshSession", headers={
            "Authorization": f"Bearer {renewed['refreshJwt']}"}).status_code == 400)
        stale = requests.post(xrpc + "com.atproto.server.refreshSession",
                              headers={"Authorization": f"Bearer {renewed['refreshJwt']}"})
        assert stale.json()["error"] == "ExpiredToken"
        wrong = requests.post(xrpc + "com.atproto.server.createSession",
                              json={"identifier": brand["bluesky_handle"], "password": "wrong"})
        assert (wrong.status_code, wrong.json()["error"]) == (401, "AuthenticationRequired")


def test_bluesky_get_profile_follows_the_lexicon(http: VendorHttp, world_dir: Path, world_records) -> None:
    brand = json.loads((world_dir / "manifest.json").read_text())["brand"]
    profile = http.bluesky("app.bsky.actor.getProfile", actor=brand["bluesky_handle"]).json()
    assert LexiconChecker().check(profile, "app.bsky.actor.defs#profileViewDetailed") == []
    own = [p for p in world_records("bluesky/posts.jsonl") if p["author"]["handle"] == brand["bluesky_handle"]]
    assert (profile["handle"], profile["did"], profile["postsCount"]) == (
        brand["bluesky_handle"], own[0]["author"]["did"], len(own))
    assert profile.get("displayName") == own[0]["author"].get("displayName")
    unknown = http.bluesky("app.bsky.actor.getProfile", actor="nobody.bsky.social")
    assert (unknown.status_code, unknown.json()["message"]) == (400, "Profile not found")
