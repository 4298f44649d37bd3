"""The vendors' own client libraries read the sandboxes without a patch, only configured:

- Square: `squareup` (`Square(base_url=..., token=...)`), its pagers and its retry on 429.
- Bluesky: `atproto` `Client(base_url=.../xrpc)` through `client.login(handle, <token as app password>)`
  (a refused token is set as a header with `client.request.add_additional_header`).
- Google: `google-api-python-client` built from the discovery document the sandbox serves at
  `/$discovery/rest?version=v4` (Google no longer publishes the v4 document), bearer credentials.
- Shopify: `ShopifyAPI` with `ShopifyResource.set_site(<base url>)` and the access-token header (the
  private-app setup from its README; `Session` would force https and a myshopify.com host).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httplib2
import pytest
import shopify
from atproto import Client
from atproto_client.exceptions import UnauthorizedError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from pyactiveresource.connection import ResourceNotFound, UnauthorizedAccess
from servers_http import review_parents
from square import Square
from square.core.api_error import ApiError

from sandbox.servers import Faults, Sandboxes, SessionLifetimes, start_sandboxes
from sandbox.servers.sessions import session_jwt_valid


def _brand(world_dir: Path) -> dict[str, str]:
    return json.loads((world_dir / "manifest.json").read_text())["brand"]


# ---------------------------------------------------------------- Square


def _recent_quarter(records: list[dict], field: str = "updated_at") -> tuple[str, set[str]]:
    """A cut-off keeping the newest quarter of the records (the SDKs parse slowly: about 10 ms a
    Square order), and the ids an incremental read from it must return."""
    cut = (
        sorted(record[field] for record in records)[len(records) * 3 // 4]
        if records
        else "2000-01-01T00:00:00Z"
    )
    return cut, {record["id"] for record in records if _instant(record[field]) >= _instant(cut)}


def _instant(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def test_square_sdk_reads_locations_customers_orders_payments_refunds_loyalty(
    sandboxes: Sandboxes, world_records
) -> None:
    client = Square(base_url=sandboxes.base_urls["square"], token=sandboxes.token)
    locations = client.locations.list().locations
    assert sorted(loc.id for loc in locations) == sorted(
        loc["id"] for loc in world_records("square/locations.jsonl")
    )
    customers = [customer.id for customer in client.customers.list(limit=40)]
    assert sorted(customers) == sorted(c["id"] for c in world_records("square/customers.jsonl"))

    cut, expected = _recent_quarter(world_records("square/orders.jsonl"))
    orders, cursor = [], None
    while True:
        page = client.orders.search(
            location_ids=[loc.id for loc in locations],
            limit=40,
            cursor=cursor,
            query={
                "filter": {"date_time_filter": {"updated_at": {"start_at": cut}}},
                "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
            },
        )
        orders += page.orders or []
        cursor = page.cursor
        if not cursor:
            break
    assert {order.id for order in orders} == expected and len(orders) == len(expected)
    assert all(isinstance(order.line_items[0].quantity, str) for order in orders if order.line_items)

    cut, expected = _recent_quarter(world_records("square/payments.jsonl"))
    payments = [
        p.id
        for loc in locations
        for p in client.payments.list(
            location_id=loc.id, updated_at_begin_time=cut, sort_field="UPDATED_AT", limit=30
        )
    ]
    assert sorted(payments) == sorted(expected)
    refunds = [r.id for r in client.refunds.list(begin_time="2000-01-01T00:00:00Z")]
    assert sorted(refunds) == sorted(r["id"] for r in world_records("square/refunds.jsonl"))
    accounts = client.loyalty.accounts.search(limit=200).loyalty_accounts or []
    assert len(accounts) == min(200, len(world_records("square/loyalty_accounts.jsonl")))


def test_square_sdk_reads_the_catalog(sandboxes: Sandboxes, world_records) -> None:
    catalog = world_records("square/catalog.jsonl")
    assert catalog, "this world has no square/catalog.jsonl"
    client = Square(base_url=sandboxes.base_urls["square"], token=sandboxes.token)
    listed = list(client.catalog.list(types="ITEM,ITEM_VARIATION"))  # the pager follows `cursor`
    live = [item for item in catalog if not item.get("is_deleted")]
    assert sorted(o.id for o in listed if o.type == "ITEM") == sorted(item["id"] for item in live)
    skus = {o.item_variation_data.sku for o in listed if o.type == "ITEM_VARIATION"}
    assert skus == {
        v["item_variation_data"]["sku"] for item in catalog for v in item["item_data"]["variations"]
        if not v.get("is_deleted")
    }
    found = client.catalog.batch_get(object_ids=[live[0]["id"]]).objects
    assert [o.item_data.name for o in found] == [live[0]["item_data"]["name"]]
    searched, cursor = [], None
    while True:
        page = client.catalog.search(object_types=["ITEM"], include_deleted_objects=True, limit=10, cursor=cursor)
        searched += page.objects or []
        cursor = page.cursor
        if not cursor:
            break
    assert sorted(o.id for o in searched) == sorted(item["id"] for item in catalog)


def test_square_sdk_sees_square_errors(sandboxes: Sandboxes) -> None:
    client = Square(base_url=sandboxes.base_urls["square"], token="wrong")
    with pytest.raises(ApiError) as raised:
        client.locations.list()
    assert raised.value.status_code == 401
    assert raised.value.errors[0].code == "UNAUTHORIZED"


@pytest.fixture
def every_fourth_rate_limited(world_dir: Path) -> Iterator[Sandboxes]:
    with start_sandboxes(world_dir, faults=Faults(rate_limit_every=4, vendors=("square",))) as running:
        yield running


def test_square_sdk_retries_through_rate_limits(every_fourth_rate_limited: Sandboxes, world_records) -> None:
    client = Square(
        base_url=every_fourth_rate_limited.base_urls["square"], token=every_fourth_rate_limited.token
    )
    customers = [customer.id for customer in client.customers.list(limit=50)]
    assert sorted(customers) == sorted(c["id"] for c in world_records("square/customers.jsonl"))


# ---------------------------------------------------------------- Bluesky


def _bluesky(sandboxes: Sandboxes, token: str) -> Client:
    """A logged-in client for the sandbox's app password; any other token is set as the bearer as is."""
    client = Client(base_url=sandboxes.base_urls["bluesky"] + "/xrpc")
    if token == sandboxes.app_password:  # atproto's login reads the profile: log in as the brand
        client.login(sandboxes.store.manifest()["brand"]["bluesky_handle"], token)
    else:
        client.request.add_additional_header("Authorization", f"Bearer {token}")
    return client


def test_atproto_client_searches_posts_and_reads_the_author_feed(
    sandboxes: Sandboxes, world_records, world_dir: Path
) -> None:
    brand = _brand(world_dir)
    client = _bluesky(sandboxes, sandboxes.token)
    posts, cursor = [], None
    while True:
        page = client.app.bsky.feed.search_posts({"q": brand["search_query"], "limit": 25, "cursor": cursor})
        posts += page.posts
        cursor = page.cursor
        if not cursor:
            break
    expected = [
        p["uri"]
        for p in world_records("bluesky/posts.jsonl")
        if brand["search_query"].lower() in p["record"]["text"].lower()
    ]
    assert sorted(post.uri for post in posts) == sorted(expected)
    assert page.hits_total == len(expected)
    assert all(post.record.text and post.record.created_at for post in posts)

    feed, cursor = [], None
    while True:
        page = client.app.bsky.feed.get_author_feed(
            {"actor": brand["bluesky_handle"], "limit": 30, "cursor": cursor}
        )
        feed += page.feed
        cursor = page.cursor
        if not cursor:
            break
    own = [
        p["uri"]
        for p in world_records("bluesky/posts.jsonl")
        if p["author"]["handle"] == brand["bluesky_handle"]
    ]
    assert sorted(item.post.uri for item in feed) == sorted(own)


def test_atproto_client_sees_xrpc_auth_errors(sandboxes: Sandboxes) -> None:
    with pytest.raises(UnauthorizedError) as raised:
        _bluesky(sandboxes, "wrong").app.bsky.feed.search_posts({"q": "a"})
    assert raised.value.response.status_code == 401
    assert raised.value.response.content.error == "InvalidToken"


def test_atproto_client_logs_in_with_the_token_as_app_password(sandboxes: Sandboxes, world_dir: Path) -> None:
    """The usual atproto flow: createSession, getProfile, then calls with the access JWT, refresh."""
    brand = _brand(world_dir)
    client = Client(base_url=sandboxes.base_urls["bluesky"] + "/xrpc")
    profile = client.login(brand["bluesky_handle"], sandboxes.token)
    assert profile.handle == brand["bluesky_handle"] and profile.posts_count > 0
    first = client.app.bsky.feed.search_posts({"q": brand["search_query"], "limit": 5})
    refreshed = client._refresh_and_set_session()  # what the client does when the access JWT nears `exp`
    assert session_jwt_valid(refreshed.access_jwt, sandboxes.token)
    assert not session_jwt_valid(refreshed.refresh_jwt, sandboxes.token)  # a refresh JWT is no access token
    again = client.app.bsky.feed.search_posts({"q": brand["search_query"], "limit": 5})
    assert [p.uri for p in again.posts] == [p.uri for p in first.posts]
    brand_profile = client.app.bsky.actor.get_profile({"actor": brand["bluesky_handle"]})
    assert brand_profile.did == profile.did and brand_profile.display_name
    with pytest.raises(UnauthorizedError) as raised:
        Client(base_url=sandboxes.base_urls["bluesky"] + "/xrpc").login(
            brand["bluesky_handle"], "wrong-password"
        )
    assert raised.value.response.content.error == "AuthenticationRequired"


def test_atproto_client_refreshes_an_expiring_session_by_itself(world_dir: Path) -> None:
    """atproto refreshes when `exp` is near; with a 2 s access JWT a second call already refreshes."""
    brand = _brand(world_dir)
    with start_sandboxes(world_dir, session_lifetimes=SessionLifetimes(access_seconds=2.0)) as sandboxes:
        client = Client(base_url=sandboxes.base_urls["bluesky"] + "/xrpc")
        client.login(brand["bluesky_handle"], sandboxes.app_password)
        posts = client.app.bsky.feed.search_posts({"q": brand["search_query"], "limit": 3}).posts
        assert posts and sandboxes.session_calls["createSession"] == 1
        assert sandboxes.session_calls.get("refreshSession", 0) >= 1


# ---------------------------------------------------------------- Google


def _mybusiness(sandboxes: Sandboxes, token: str):
    base = sandboxes.base_urls["google_reviews"]
    return build(
        "mybusiness",
        "v4",
        discoveryServiceUrl=base + "/$discovery/rest?version={apiVersion}",
        credentials=Credentials(token=token),
        static_discovery=False,
        cache_discovery=False,
    )


def test_google_api_client_lists_locations_and_reviews(sandboxes: Sandboxes, world_records, world_dir: Path) -> None:
    service = _mybusiness(sandboxes, sandboxes.token)
    account = review_parents(world_dir)[0].split("/locations/")[0]
    locations = service.accounts().locations().list(parent=account).execute()["locations"]
    reviews = []
    for location in locations:
        request = service.accounts().locations().reviews().list(parent=location["name"], pageSize=20)
        while request is not None:
            response = request.execute()
            reviews += response.get("reviews", [])
            request = service.accounts().locations().reviews().list_next(request, response)
    assert sorted(r["reviewId"] for r in reviews) == sorted(
        r["reviewId"] for r in world_records("google/reviews.jsonl")
    )


def test_google_api_client_lists_v1_locations_from_googles_own_discovery_document(
    sandboxes: Sandboxes, world_dir: Path
) -> None:
    """Business Information v1 through the discovery document google-api-python-client ships, with
    only the endpoint pointed at the sandbox."""
    service = build(
        "mybusinessbusinessinformation",
        "v1",
        credentials=Credentials(token=sandboxes.token),
        client_options={"api_endpoint": sandboxes.base_urls["google_reviews"]},
        static_discovery=True,
    )
    parents = review_parents(world_dir)
    account = parents[0].split("/locations/")[0]
    locations = service.accounts().locations()
    request = locations.list(parent=account, readMask="name,storefrontAddress", pageSize=4)
    served = []
    while request is not None:
        response = request.execute()
        served += response.get("locations", [])
        request = locations.list_next(request, response)
    assert [f"{account}/{loc['name']}" for loc in served] == sorted(p for p in parents if p.startswith(account))
    with pytest.raises(HttpError) as raised:
        locations.list(parent=account).execute()
    assert raised.value.status_code == 400


def test_google_api_client_sees_google_errors(sandboxes: Sandboxes, world_dir: Path) -> None:
    """With a bad token google-auth would try to refresh it; here the header is set on the request
    itself so the 401 reaches the client as Google's error."""
    parent = review_parents(world_dir)[0]
    base = sandboxes.base_urls["google_reviews"]
    service = build(
        "mybusiness",
        "v4",
        discoveryServiceUrl=base + "/$discovery/rest?version={apiVersion}",
        http=httplib2.Http(),
        static_discovery=False,
        cache_discovery=False,
    )
    request = service.accounts().locations().reviews().list(parent=parent)
    request.headers["authorization"] = "Bearer ya29.wrong"
    with pytest.raises(HttpError) as raised:
        request.execute()
    assert raised.value.status_code == 401
    assert raised.value.reason.startswith("Request had invalid authentication credentials")


# ---------------------------------------------------------------- Shopify


@pytest.fixture
def shopify_site(sandboxes: Sandboxes) -> Iterator[None]:
    shopify.ShopifyResource.set_site(sandboxes.base_urls["shopify"])
    shopify.ShopifyResource.set_headers({"X-Shopify-Access-Token": sandboxes.token})
    yield
    shopify.ShopifyResource.clear_session()


def _all_pages(first) -> list:
    records, page = list(first), first
    while page.has_next_page():
        page = page.next_page(no_cache=True)
        records += list(page)
    return records


@pytest.mark.usefixtures("shopify_site")
def test_shopify_api_library_pages_through_every_resource(world_records) -> None:
    orders = _all_pages(shopify.Order.find(status="any", limit=40))
    assert sorted(order.id for order in orders) == sorted(
        o["id"] for o in world_records("shopify/orders.jsonl")
    )
    assert all(isinstance(order.total_price, str) for order in orders)
    customers = _all_pages(shopify.Customer.find(limit=50))
    assert sorted(c.id for c in customers) == sorted(
        c["id"] for c in world_records("shopify/customers.jsonl")
    )
    products = _all_pages(shopify.Product.find(limit=10))
    assert sorted(p.id for p in products) == sorted(p["id"] for p in world_records("shopify/products.jsonl"))
    checkouts = _all_pages(shopify.Checkout.find(limit=10, status="closed")) + _all_pages(
        shopify.Checkout.find(limit=10)
    )
    assert sorted(c.id for c in checkouts) == sorted(
        c["id"] for c in world_records("shopify/checkouts.jsonl")
    )


@pytest.mark.usefixtures("shopify_site")
def test_shopify_api_library_reads_locations(world_records) -> None:
    expected = sorted(location["id"] for location in world_records("shopify/locations.jsonl"))
    assert expected, "this world has no shopify/locations.jsonl"
    assert sorted(location.id for location in _all_pages(shopify.Location.find(limit=2))) == expected
    assert shopify.Location.count() == len(expected)


@pytest.mark.usefixtures("shopify_site")
def test_shopify_api_library_reads_an_orders_fulfillment_orders(world_records) -> None:
    """The library's `FulfillmentOrders` resource (`/orders/$order_id/fulfillment_orders.json`)."""
    by_order: dict[int, list[dict]] = {}
    for record in world_records("shopify/fulfillment_orders.jsonl"):
        by_order.setdefault(record["order_id"], []).append(record)
    order_id, expected = max(by_order.items(), key=lambda item: (len(item[1]), item[0]))
    found = shopify.FulfillmentOrders.find(order_id=order_id)
    assert sorted(fo.id for fo in found) == sorted(record["id"] for record in expected)
    assert {fo.delivery_method.method_type for fo in found} == {r["delivery_method"]["method_type"] for r in expected}
    assert {fo.assigned_location_id for fo in found} == {r["assigned_location_id"] for r in expected}
    with pytest.raises(ResourceNotFound):
        shopify.FulfillmentOrders.find(order_id=max(by_order) + 1)


@pytest.mark.usefixtures("shopify_site")
def test_shopify_api_library_previous_page(world_records) -> None:
    first = shopify.Customer.find(limit=10)
    second = first.next_page(no_cache=True)
    assert second.has_previous_page()
    back = second.previous_page(no_cache=True)
    assert [c.id for c in back] == [c.id for c in first]


def test_shopify_api_library_sees_the_auth_error(sandboxes: Sandboxes) -> None:
    shopify.ShopifyResource.set_site(sandboxes.base_urls["shopify"])
    shopify.ShopifyResource.set_headers({"X-Shopify-Access-Token": "shpat_wrong"})
    try:
        with pytest.raises(UnauthorizedAccess) as raised:
            shopify.Order.find(status="any")
        assert raised.value.code == 401
    finally:
        shopify.ShopifyResource.clear_session()
