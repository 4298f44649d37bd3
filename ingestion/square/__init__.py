"""Square API v2 as a dlt source: locations, customers, orders, payments, refunds, loyalty accounts.

All pagination is dlt's JSONResponseCursorPaginator: the `cursor` of a response goes into the
query string (GET lists) or into the request body (`cursor_body_path`, POST searches); the last
page has no cursor. Incremental pulls:
- orders: SearchOrders filtered on `date_time_filter.updated_at.start_at`, sorted UPDATED_AT ASC,
  at most 10 location ids per request (API limit);
- customers: the plain list on a first load, SearchCustomers on `query.filter.updated_at` after;
- payments (per location: without `location_id` only the main location is listed) and refunds
  (all locations): `updated_at_begin_time` with `sort_field=UPDATED_AT`, and `begin_time` set to the
  start date because it otherwise defaults to one year ago;
- locations and loyalty accounts have no update filter: every run reads them and only records whose
  content changed since the last committed run are loaded;
- catalog: SearchCatalogObjects (`object_types=["ITEM"]`, variations nested in each item), with
  `begin_time` = the last committed `updated_at` (exclusive) after the first load. Search rather than
  ListCatalog because ListCatalog has no time filter and never returns deleted objects, and a deleted
  item must reach the table with `is_deleted=true` to replace its live version.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator, SinglePagePaginator

from ingestion.common.http import make_client
from ingestion.common.incremental import changed_only, timestamp_cursor
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.timestamps import to_rfc3339
from ingestion.square import specs

SOURCE = "square"
SQUARE_VERSION = "2025-08-20"
LIST_LIMIT = 100
ORDERS_LIMIT = 500
LOYALTY_LIMIT = 200
MAX_LOCATIONS_PER_ORDER_SEARCH = 10
CREDENTIAL_HINT = (
    "Set SOURCES__SQUARE__ACCESS_TOKEN (or sources.square.access_token in .dlt/secrets.toml) to a "
    "Square access token with MERCHANT_PROFILE_READ, CUSTOMERS_READ, ORDERS_READ, PAYMENTS_READ, "
    "LOYALTY_READ and ITEMS_READ permissions."
)
CATALOG_LIMIT = 1000  # SearchCatalogObjects' maximum (advisory)
ALL_RESOURCES = ("locations", "customers", "orders", "payments", "refunds", "loyalty_accounts", "catalog_objects")


def _merged_on_id(name: str) -> Any:
    """The resource decorator every Square resource shares: merge on `id`, contract columns declared."""
    return dlt.resource(name=name, primary_key="id", write_disposition="merge", columns=specs.COLUMNS[name])


def _query_cursor() -> JSONResponseCursorPaginator:
    return JSONResponseCursorPaginator(cursor_path="cursor", cursor_param="cursor")


def _body_cursor() -> JSONResponseCursorPaginator:
    return JSONResponseCursorPaginator(cursor_path="cursor", cursor_body_path="cursor")


def _location_ids(client: RESTClient) -> list[str]:
    response = client.get("/v2/locations")
    return [location["id"] for location in response.json().get("locations", []) if location.get("id")]


def _resources(client: RESTClient, start_date: str, location_ids: Sequence[str] | None) -> dict[str, DltResource]:
    start_rfc3339 = to_rfc3339(start_date)

    def locations_to_read() -> list[str]:
        return list(location_ids) if location_ids else _location_ids(client)

    @_merged_on_id("locations")
    def locations() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "locations", specs.LOCATIONS)
        for page in client.paginate("/v2/locations", paginator=SinglePagePaginator(), data_selector="locations"):
            yield from validate(changed_only(page, "id"))

    @_merged_on_id("customers")
    def customers(updated_at: dlt.sources.incremental = timestamp_cursor("updated_at", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "customers", specs.CUSTOMERS)
        if updated_at.start_value == updated_at.initial_value:
            pages = client.paginate("/v2/customers", params={"limit": LIST_LIMIT}, paginator=_query_cursor(),
                                    data_selector="customers")
        else:
            body = {"limit": LIST_LIMIT, "query": {
                "filter": {"updated_at": {"start_at": to_rfc3339(updated_at.start_value)}}}}
            pages = client.paginate("/v2/customers/search", method="POST", json=body, paginator=_body_cursor(),
                                    data_selector="customers")
        for page in pages:
            yield from validate(page)

    @_merged_on_id("orders")
    def orders(updated_at: dlt.sources.incremental = timestamp_cursor("updated_at", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "orders", specs.ORDERS)
        ids = locations_to_read()
        for first in range(0, len(ids), MAX_LOCATIONS_PER_ORDER_SEARCH):
            body = {
                "location_ids": ids[first : first + MAX_LOCATIONS_PER_ORDER_SEARCH],
                "limit": ORDERS_LIMIT,
                "return_entries": False,
                "query": {
                    "filter": {"date_time_filter": {"updated_at": {"start_at": to_rfc3339(updated_at.start_value)}}},
                    "sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"},
                },
            }
            for page in client.paginate("/v2/orders/search", method="POST", json=body, paginator=_body_cursor(),
                                        data_selector="orders"):
                yield from validate(page)

    def updated_since_params(updated_at: dlt.sources.incremental) -> dict[str, Any]:
        return {"begin_time": start_rfc3339, "updated_at_begin_time": to_rfc3339(updated_at.start_value),
                "sort_field": "UPDATED_AT", "sort_order": "ASC", "limit": LIST_LIMIT}

    @_merged_on_id("payments")
    def payments(updated_at: dlt.sources.incremental = timestamp_cursor("updated_at", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "payments", specs.PAYMENTS)
        for location_id in locations_to_read():
            params = {**updated_since_params(updated_at), "location_id": location_id}
            for page in client.paginate("/v2/payments", params=params, paginator=_query_cursor(),
                                        data_selector="payments"):
                yield from validate(page, note=location_id)

    @_merged_on_id("refunds")
    def refunds(updated_at: dlt.sources.incremental = timestamp_cursor("updated_at", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "refunds", specs.REFUNDS)
        for page in client.paginate("/v2/refunds", params=updated_since_params(updated_at),
                                    paginator=_query_cursor(), data_selector="refunds"):
            yield from validate(page)

    @_merged_on_id("loyalty_accounts")
    def loyalty_accounts() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "loyalty_accounts", specs.LOYALTY_ACCOUNTS)
        for page in client.paginate("/v2/loyalty/accounts/search", method="POST", json={"limit": LOYALTY_LIMIT},
                                    paginator=_body_cursor(), data_selector="loyalty_accounts"):
            yield from validate(changed_only(page, "id"))

    @_merged_on_id("catalog_objects")
    def catalog_objects(updated_at: dlt.sources.incremental = timestamp_cursor("updated_at", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "catalog_objects", specs.CATALOG_OBJECTS)
        body: dict[str, Any] = {"object_types": ["ITEM"], "include_deleted_objects": True, "limit": CATALOG_LIMIT}
        if updated_at.start_value != updated_at.initial_value:
            body["begin_time"] = to_rfc3339(updated_at.start_value)
        for page in client.paginate("/v2/catalog/search", method="POST", json=body, paginator=_body_cursor(),
                                    data_selector="objects"):
            yield from validate(page)

    return {r.name: r for r in (locations, customers, orders, payments, refunds, loyalty_accounts, catalog_objects)}


@dlt.source(name=SOURCE)
def square_source(
    base_url: str = dlt.config.value,
    access_token: str = dlt.secrets.value,
    start_date: str = "2000-01-01T00:00:00Z",
    location_ids: list[str] | None = None,
    max_retry_seconds: float = 120.0,
    resources: Sequence[str] = ALL_RESOURCES,
) -> list[DltResource]:
    """Square seller data, each resource merged on `id`.

    `base_url` is `https://connect.squareup.com`; `location_ids` restricts orders and payments to
    some locations (default: every location the token can see); `start_date` bounds the first load.
    """
    client = make_client(
        SOURCE,
        base_url,
        auth=BearerTokenAuth(access_token),
        headers={"Square-Version": SQUARE_VERSION, "Content-Type": "application/json"},
        secrets=[access_token],
        credential_hint=CREDENTIAL_HINT,
        max_retry_seconds=max_retry_seconds,
    )
    available = _resources(client, start_date, location_ids)
    return [available[name] for name in resources]
