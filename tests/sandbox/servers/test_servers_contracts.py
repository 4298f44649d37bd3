"""Contract tests: every endpoint's responses, all pages, checked against the vendors' specs.

Square: the OpenAPI `components.schemas` of shared/contracts/square/api.json, closed against
undeclared fields (so a misspelt field name fails too). Bluesky: the lexicons in
shared/contracts/bluesky. Shopify and Google have no machine-readable spec here; their documented
shapes (SOURCE_CONTRACTS.md) are written down below as checks.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError, _keywords, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from servers_http import VendorHttp, items, review_parents
from servers_lexicon_check import LexiconChecker

from sandbox.servers import Sandboxes
from seamline_core.paths import shared_dir

SHARED = shared_dir() / "contracts"
SHOP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DECIMAL = re.compile(r"^-?\d+\.\d{2}$")
GOOGLE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$")



def _closed(schema: Any) -> Any:
    """The schema with every object closed to undeclared properties."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if (
            "properties" in schema
            and isinstance(schema["properties"], dict)
            and "additionalProperties" not in schema
        ):
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


@functools.cache
def _square_registry() -> Registry:
    spec = json.loads((SHARED / "square" / "api.json").read_text(encoding="utf-8"))
    document = {"components": {"schemas": _closed(copy.deepcopy(spec["components"]["schemas"]))}}
    return Registry().with_resource(
        "urn:square", Resource.from_contents(document, default_specification=DRAFT202012)
    )


def _string_enum(validator, enums, instance, schema):
    """jsonschema's `enum` compares one by one; Square's enums (180 currencies) made that the cost
    of the whole test. Strings are looked up in a set; anything else keeps the standard check."""
    if isinstance(instance, str) and all(isinstance(value, str) for value in enums):
        if instance not in enums:
            yield ValidationError(f"{instance!r} is not one of {enums}")
        return
    yield from _keywords.enum(validator, enums, instance, schema)


_SquareValidator = validators.extend(Draft202012Validator, {"enum": _string_enum})


@functools.cache
def _square_validator(schema_name: str) -> Draft202012Validator:
    return _SquareValidator(
        {"$ref": f"urn:square#/components/schemas/{schema_name}"}, registry=_square_registry()
    )


def square_problems(body: Any, schema_name: str) -> list[str]:
    validator = _square_validator(schema_name)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in validator.iter_errors(body)
    ]


@pytest.fixture(scope="module")
def http(sandboxes: Sandboxes) -> VendorHttp:
    return VendorHttp(sandboxes)


@pytest.fixture(scope="module")
def lexicons() -> LexiconChecker:
    return LexiconChecker()


def _all_problems(pages: list[dict[str, Any]], schema_name: str) -> list[str]:
    return [problem for page in pages for problem in square_problems(page, schema_name)][:20]


# ---------------------------------------------------------------- Square (OpenAPI schemas)


def test_square_every_endpoint_matches_openapi_schemas(http: VendorHttp, world_records) -> None:
    location_ids = [location["id"] for location in world_records("square/locations.jsonl")]
    walks = {
        "ListLocationsResponse": [http.square("GET", "/v2/locations").json()],
        "ListCustomersResponse": http.walk_square("GET", "/v2/customers", limit=100),
        "SearchCustomersResponse": http.walk_square(
            "POST",
            "/v2/customers/search",
            body={"limit": 100, "query": {"filter": {"updated_at": {"start_at": "2000-01-01T00:00:00Z"}}}},
        ),
        "SearchOrdersResponse": http.walk_square(
            "POST",
            "/v2/orders/search",
            body={
                "location_ids": location_ids[:10],
                "limit": 500,
                "query": {"sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"}},
            },
        ),
        "ListPaymentsResponse": [
            page
            for location in location_ids
            for page in http.walk_square(
                "GET", "/v2/payments", location_id=location, begin_time="2000-01-01T00:00:00Z"
            )
        ],
        "ListPaymentRefundsResponse": http.walk_square(
            "GET", "/v2/refunds", begin_time="2000-01-01T00:00:00Z"
        ),
        "SearchLoyaltyAccountsResponse": http.walk_square(
            "POST", "/v2/loyalty/accounts/search", body={"limit": 200}
        ),
    }
    entries = http.square(
        "POST", "/v2/orders/search", body={"location_ids": location_ids[:1], "return_entries": True}
    ).json()
    walks["SearchOrdersResponse"].append(entries)
    served = {
        name: sum(
            len(page.get(key, []))
            for page in pages
            for key in ("locations", "customers", "orders", "payments", "refunds", "loyalty_accounts")
        )
        for name, pages in walks.items()
    }
    assert served["ListLocationsResponse"] == len(location_ids)
    assert served["ListCustomersResponse"] == len(world_records("square/customers.jsonl"))
    for name, pages in walks.items():
        assert _all_problems(pages, name) == [], name


def test_square_error_bodies_match_openapi_error_schema(http: VendorHttp, sandboxes: Sandboxes) -> None:
    bodies = [
        VendorHttp(sandboxes, token="wrong").square("GET", "/v2/locations"),
        VendorHttp(sandboxes, token=sandboxes.unscoped_token).square("GET", "/v2/customers"),
        http.square("GET", "/v2/customers", limit=101),
        http.square("GET", "/v2/customers", limit=0),
        http.square("GET", "/v2/customers", cursor="%%%"),
        http.square("POST", "/v2/orders/search", body={}),
        http.square(
            "POST",
            "/v2/orders/search",
            body={
                "location_ids": ["X"],
                "query": {
                    "filter": {"date_time_filter": {"updated_at": {"start_at": "2024-01-01T00:00:00Z"}}}
                },
            },
        ),
        http.square("GET", "/v2/payments", begin_time="yesterday"),
        http.square("GET", "/v2/nothing-here"),
    ]
    assert [response.status_code for response in bodies] == [401, 403, 400, 400, 400, 400, 400, 400, 404]
    for response in bodies:
        assert square_problems(response.json(), "ListLocationsResponse") == [], response.text
        assert response.json()["errors"][0]["code"]


# ---------------------------------------------------------------- Bluesky (lexicons)


def test_bluesky_search_and_author_feed_match_lexicons(
    http: VendorHttp, lexicons: LexiconChecker, world_dir: Path
) -> None:
    brand = json.loads((world_dir / "manifest.json").read_text())["brand"]
    searched = http.walk_bluesky("app.bsky.feed.searchPosts", q=brand["search_query"], limit=100)
    feed = http.walk_bluesky("app.bsky.feed.getAuthorFeed", actor=brand["bluesky_handle"], limit=100)
    assert items(searched, "posts") and items(feed, "feed")
    problems = [p for page in searched for p in lexicons.output_problems(page, "app.bsky.feed.searchPosts")]
    problems += [p for page in feed for p in lexicons.output_problems(page, "app.bsky.feed.getAuthorFeed")]
    assert problems[:20] == []


def test_lexicon_checker_catches_what_it_should(lexicons: LexiconChecker) -> None:
    """The checker is only evidence if it fails on bad posts."""
    good = {
        "uri": "at://did:plc:abc/app.bsky.feed.post/3k2",
        "cid": "bafyreiabcdefgh",
        "indexedAt": "2026-01-01T00:00:00.000Z",
        "author": {"did": "did:plc:abc", "handle": "a.bsky.social"},
        "record": {"$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2026-01-01T00:00:00.000Z"},
    }
    assert lexicons.check(good, "app.bsky.feed.defs#postView") == []
    bad = copy.deepcopy(good)
    bad["likeCount"] = "3"
    bad["record"]["createdAt"] = "yesterday"
    bad["surprise"] = 1
    del bad["cid"]
    problems = lexicons.check(bad, "app.bsky.feed.defs#postView")
    assert sorted(problem.split(":")[0] for problem in problems) == [
        "$.cid",
        "$.likeCount",
        "$.record.createdAt",
        "$.surprise",
    ]


# ---------------------------------------------------------------- Shopify (documented shapes)

SHOPIFY_FIELDS = {
    "customers": {
        "id",
        "email",
        "phone",
        "first_name",
        "last_name",
        "created_at",
        "updated_at",
        "orders_count",
        "total_spent",
        "state",
        "tags",
        "default_address",
        "admin_graphql_api_id",
    },
    "orders": {
        "id",
        "name",
        "email",
        "phone",
        "created_at",
        "updated_at",
        "processed_at",
        "cancelled_at",
        "financial_status",
        "fulfillment_status",
        "currency",
        "total_price",
        "subtotal_price",
        "total_discounts",
        "total_tax",
        "source_name",
        "location_id",
        "cart_token",
        "checkout_token",
        "landing_site",
        "referring_site",
        "customer",
        "line_items",
        "shipping_lines",
        "fulfillments",
        "refunds",
        "admin_graphql_api_id",
    },
    "checkouts": {
        "id",
        "token",
        "cart_token",
        "email",
        "phone",
        "created_at",
        "updated_at",
        "completed_at",
        "closed_at",
        "total_price",
        "line_items",
        "shipping_lines",
        "customer",
    },
    "products": {"id", "title", "product_type", "updated_at", "variants", "admin_graphql_api_id"},
}
SHOPIFY_GID = {"customers": "Customer", "orders": "Order", "products": "Product"}


def _shopify_record_problems(resource: str, record: dict[str, Any]) -> list[str]:
    rid = record.get("id")
    problems = [
        f"{resource} {rid}: missing key {key}" for key in sorted(SHOPIFY_FIELDS[resource] - set(record))
    ]
    if not isinstance(rid, int) or isinstance(rid, bool):
        problems.append(f"{resource} {rid}: id is not a JSON integer")
    if (
        resource in SHOPIFY_GID
        and record.get("admin_graphql_api_id") != f"gid://shopify/{SHOPIFY_GID[resource]}/{rid}"
    ):
        problems.append(f"{resource} {rid}: admin_graphql_api_id {record.get('admin_graphql_api_id')!r}")
    for key in ("created_at", "updated_at", "processed_at", "cancelled_at", "completed_at", "closed_at"):
        if record.get(key) is not None and not SHOP_TIME.match(record[key]):
            problems.append(f"{resource} {rid}: {key} {record[key]!r} is not shop-local with offset")
    for key in ("total_price", "subtotal_price", "total_discounts", "total_tax", "total_spent"):
        if key in record and not (isinstance(record[key], str) and DECIMAL.match(record[key])):
            problems.append(f"{resource} {rid}: {key} {record[key]!r} is not a 2-place decimal string")
    for line in record.get("line_items") or []:
        if not isinstance(line.get("quantity"), int) or not (
            isinstance(line.get("price"), str) and DECIMAL.match(line["price"])
        ):
            problems.append(
                f"{resource} {rid}: line item quantity/price types {line.get('quantity')!r} {line.get('price')!r}"
            )
        if resource == "checkouts" and ("id" in line or not isinstance(line.get("key"), str)):
            problems.append(f"checkouts {rid}: line items carry a string key and no id")
        if resource == "orders" and not isinstance(line.get("id"), int):
            problems.append(f"orders {rid}: line item id is not an integer")
    if resource == "checkouts":
        problems += [
            f"checkouts {rid}: shipping line id not a string"
            for line in record.get("shipping_lines") or []
            if not isinstance(line.get("id"), str)
        ]
    for refund in record.get("refunds") or []:
        for line in refund.get("refund_line_items") or []:
            if not isinstance(line.get("subtotal"), int | float) or isinstance(line.get("subtotal"), bool):
                problems.append(
                    f"orders {rid}: refund subtotal {line.get('subtotal')!r} is not a JSON number"
                )
    for variant in record.get("variants") or []:
        if not isinstance(variant.get("id"), int) or not DECIMAL.match(str(variant.get("price"))):
            problems.append(
                f"products {rid}: variant id/price {variant.get('id')!r} {variant.get('price')!r}"
            )
    customer = record.get("customer")
    if resource == "orders" and customer is not None and ({"orders_count", "total_spent"} & set(customer)):
        problems.append(f"orders {rid}: nested customer carries orders_count/total_spent")
    return problems


@pytest.mark.parametrize("resource", sorted(SHOPIFY_FIELDS))
def test_shopify_records_have_the_documented_shape(http: VendorHttp, resource: str, world_records) -> None:
    extra = {"status": "any"} if resource == "orders" else {}
    pages = http.walk_shopify(resource, limit=250, **extra)
    records = [record for page in pages for record in page.json()[resource]]
    assert all(set(page.json()) == {resource} for page in pages)
    if resource != "checkouts":
        assert len(records) == len(world_records(f"shopify/{resource}.jsonl"))
    problems = [problem for record in records for problem in _shopify_record_problems(resource, record)]
    assert problems[:20] == []


def test_shopify_error_bodies_have_the_documented_shape(http: VendorHttp, sandboxes: Sandboxes) -> None:
    unauthorised = VendorHttp(sandboxes, token="shpat_wrong").shopify("/orders.json")
    missing_scope = VendorHttp(sandboxes, token=sandboxes.unscoped_token).shopify("/orders.json")
    assert (unauthorised.status_code, missing_scope.status_code) == (401, 403)
    assert unauthorised.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }
    assert isinstance(missing_scope.json()["errors"], str)


# FulfillmentOrder, REST 2024-04 (shopify.dev admin-rest fulfillmentorder; Shopify's own API library
# fixtures for 2024-04 list the same keys): where and how an order will be fulfilled.
FULFILLMENT_ORDER_KEYS = {
    "id", "shop_id", "order_id", "assigned_location_id", "request_status", "status", "supported_actions",
    "destination", "line_items", "international_duties", "fulfill_at", "fulfill_by", "fulfillment_holds",
    "created_at", "updated_at", "delivery_method", "assigned_location", "merchant_requests",
}
FULFILLMENT_ORDER_STATUSES = {"open", "in_progress", "cancelled", "incomplete", "closed", "scheduled", "on_hold"}
DELIVERY_METHOD_TYPES = {"shipping", "pick_up", "local", "none", "retail"}
ASSIGNED_LOCATION_KEYS = {"address1", "address2", "city", "country_code", "location_id", "name", "phone",
                          "province", "zip"}
FO_LINE_ITEM_KEYS = {"id", "shop_id", "fulfillment_order_id", "quantity", "line_item_id", "inventory_item_id",
                     "fulfillable_quantity", "variant_id"}


def _fulfillment_order_problems(order_id: int, record: dict[str, Any]) -> list[str]:
    rid = record.get("id")
    problems = []
    if set(record) != FULFILLMENT_ORDER_KEYS:
        problems.append(f"fulfillment order {rid}: keys differ by {sorted(set(record) ^ FULFILLMENT_ORDER_KEYS)}")
    if record.get("order_id") != order_id or not all(
            isinstance(record.get(key), int) for key in ("id", "shop_id", "assigned_location_id")):
        problems.append(f"fulfillment order {rid}: ids {record.get('order_id')!r} {record.get('assigned_location_id')!r}")
    if record.get("status") not in FULFILLMENT_ORDER_STATUSES:
        problems.append(f"fulfillment order {rid}: status {record.get('status')!r}")
    method = record.get("delivery_method") or {}
    if set(method) != {"id", "method_type", "min_delivery_date_time", "max_delivery_date_time"} or \
            method.get("method_type") not in DELIVERY_METHOD_TYPES:
        problems.append(f"fulfillment order {rid}: delivery_method {method!r}")
    location = record.get("assigned_location") or {}
    if set(location) != ASSIGNED_LOCATION_KEYS or location.get("location_id") != record.get("assigned_location_id"):
        problems.append(f"fulfillment order {rid}: assigned_location {location!r}")
    for key in ("created_at", "updated_at", "fulfill_at"):
        if record.get(key) is not None and not SHOP_TIME.match(record[key]):
            problems.append(f"fulfillment order {rid}: {key} {record[key]!r} is not shop-local with offset")
    for item in record.get("line_items") or []:
        if set(item) != FO_LINE_ITEM_KEYS or item.get("fulfillment_order_id") != rid:
            problems.append(f"fulfillment order {rid}: line item {item!r}")
    return problems


def test_shopify_fulfillment_orders_of_each_order_have_the_documented_shape(
    http: VendorHttp, sandboxes: Sandboxes, world_records
) -> None:
    """`GET orders/{order_id}/fulfillment_orders.json` -> `{"fulfillment_orders": [...]}`: every order's
    own fulfillment orders, unpaginated; an order the shop does not have is Shopify's 404."""
    expected: dict[int, list[dict[str, Any]]] = {}
    for record in world_records("shopify/fulfillment_orders.jsonl"):
        expected.setdefault(record["order_id"], []).append(record)
    problems = []
    for order in world_records("shopify/orders.jsonl"):
        response = http.shopify(f"/orders/{order['id']}/fulfillment_orders.json")
        assert response.status_code == 200 and set(response.json()) == {"fulfillment_orders"}
        assert "Link" not in response.headers and "X-Shopify-Shop-Api-Call-Limit" in response.headers
        served = response.json()["fulfillment_orders"]
        assert served == sorted(expected.get(order["id"], []), key=lambda record: record["id"])
        problems += [problem for record in served for problem in _fulfillment_order_problems(order["id"], record)]
    assert problems[:20] == []
    unknown_order = max(order["id"] for order in world_records("shopify/orders.jsonl")) + 1
    for path in (f"/orders/{unknown_order}/fulfillment_orders.json", "/orders/not-an-id/fulfillment_orders.json"):
        missing = http.shopify(path)
        assert (missing.status_code, missing.json()) == (404, {"errors": "Not Found"})
    refused = VendorHttp(sandboxes, token="shpat_wrong").shopify(f"/orders/{unknown_order - 1}/fulfillment_orders.json")
    assert refused.status_code == 401 and refused.json()["errors"].startswith("[API] Invalid API key")


# ---------------------------------------------------------------- Google (documented shapes)

REVIEW_KEYS = {
    "name",
    "reviewId",
    "reviewer",
    "starRating",
    "comment",
    "createTime",
    "updateTime",
    "reviewReply",
    "reviewMediaItems",
}


def _review_problems(parent: str, review: dict[str, Any]) -> list[str]:
    rid = review.get("reviewId")
    problems = [f"review {rid}: unknown key {key}" for key in sorted(set(review) - REVIEW_KEYS)]
    if review.get("name") != f"{parent}/reviews/{rid}":
        problems.append(f"review {rid}: name {review.get('name')!r} is not {parent}/reviews/{rid}")
    if review.get("starRating") not in {"ONE", "TWO", "THREE", "FOUR", "FIVE"}:
        problems.append(f"review {rid}: starRating {review.get('starRating')!r}")
    for key in ("createTime", "updateTime"):
        if not GOOGLE_TIME.match(str(review.get(key))):
            problems.append(
                f"review {rid}: {key} {review.get(key)!r} is not RFC 3339 UTC with 0/3/6/9 digits"
            )
    reviewer = review.get("reviewer") or {}
    if (
        set(reviewer) - {"displayName", "profilePhotoUrl", "isAnonymous"}
        or reviewer.get("isAnonymous") is False
    ):
        problems.append(f"review {rid}: reviewer {reviewer}")
    proto3_defaults = [key for key, value in review.items() if value in (None, "", [], {})]
    if proto3_defaults:
        problems.append(f"review {rid}: proto3 JSON omits defaults, got {proto3_defaults}")
    reply = review.get("reviewReply")
    if reply is not None and (
        not reply.get("comment") or not GOOGLE_TIME.match(str(reply.get("updateTime")))
    ):
        problems.append(f"review {rid}: reviewReply {reply}")
    return problems


def test_google_reviews_have_the_documented_shape(http: VendorHttp, world_records, world_dir: Path) -> None:
    locations = review_parents(world_dir)
    assert locations
    served = 0
    for parent in locations:
        pages = http.walk_google(f"/v4/{parent}/reviews", pageSize=50)
        for page in pages:
            assert set(page) <= {"reviews", "averageRating", "totalReviewCount", "nextPageToken"}
            if page.get("reviews"):
                assert isinstance(page["averageRating"], float | int) and 1 <= page["averageRating"] <= 5
                assert isinstance(page["totalReviewCount"], int)
        reviews = items(pages, "reviews")
        served += len(reviews)
        assert [p for review in reviews for p in _review_problems(parent, review)][:20] == []
    assert served == len(world_records("google/reviews.jsonl"))


def test_google_error_bodies_have_the_documented_shape(
    http: VendorHttp, sandboxes: Sandboxes, world_dir: Path
) -> None:
    parent = review_parents(world_dir)[0]
    responses = {
        401: VendorHttp(sandboxes, token="ya29.wrong").google(f"/v4/{parent}/reviews"),
        403: VendorHttp(sandboxes, token=sandboxes.unscoped_token).google(f"/v4/{parent}/reviews"),
        400: http.google(f"/v4/{parent}/reviews", orderBy="updateTime asc"),
        404: http.google("/v4/accounts/0/locations/0/reviews"),
    }
    statuses = {401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 400: "INVALID_ARGUMENT", 404: "NOT_FOUND"}
    for code, response in responses.items():
        error = response.json()["error"]
        assert (response.status_code, error["code"], error["status"]) == (code, code, statuses[code])
        assert error["message"] and set(error["errors"][0]) == {"message", "domain", "reason"}
