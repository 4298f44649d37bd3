"""Shopify Admin REST API (2024-04) as a dlt source: customers, orders, abandoned checkouts, products,
locations, and the fulfillment orders of orders not yet fulfilled.

Pagination is dlt's HeaderLinkPaginator: it follows the absolute `Link: <...page_info=...>;
rel="next"` URL and drops the first request's filters, which is exactly Shopify's rule that a
page_info request may carry no other filter. Incremental pulls filter on `updated_at_min`;
locations.json has no such filter, so each run reads every location and loads only the ones whose
content changed (a hash per id in the dlt resource state).

Fulfillment orders (`orders/{id}/fulfillment_orders.json`, one request per order) are Shopify's
authority for where an order WILL be fulfilled and how (pickup at a store, shipping from a store or
a warehouse). Once an order is fulfilled its `fulfillments[].location_id` says where, so only the
orders of this run's pull that are unfulfilled or partially fulfilled and not cancelled are asked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import APIKeyAuth
from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator

from ingestion.common.errors import SourceNotFoundError
from ingestion.common.http import make_client
from ingestion.common.incremental import changed_only, timestamp_cursor
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.validation import RecordSpec
from ingestion.shopify import specs

SOURCE = "shopify"
logger = logging.getLogger("seamline.ingestion")
MAX_PAGE_SIZE = 250
CREDENTIAL_HINT = (
    "Set SOURCES__SHOPIFY__ACCESS_TOKEN (or sources.shopify.access_token in .dlt/secrets.toml) to an "
    "Admin API access token of the shop with read_customers, read_orders, read_products, "
    "read_locations and read_merchant_managed_fulfillment_orders scopes."
)

# resource (= raw table) -> (endpoint, record spec, one parameter set per pass over the endpoint)
ENDPOINTS: dict[str, tuple[str, RecordSpec, tuple[dict[str, str], ...]]] = {
    "customers": ("customers.json", specs.CUSTOMERS, ({},)),
    "orders": ("orders.json", specs.ORDERS, ({"status": "any"},)),
    # open = still abandoned, closed = recovered or archived: cart-recovery KPIs need both
    "checkouts": ("checkouts.json", specs.CHECKOUTS, ({"status": "open"}, {"status": "closed"})),
    "products": ("products.json", specs.PRODUCTS, ({},)),
}
ALL_RESOURCES = (*ENDPOINTS, "locations", "fulfillment_orders")
# Order fulfillment_status values that leave work to do ("partial": some items still to fulfil)
UNFULFILLED = (None, "partial")


def needs_fulfillment_orders(order: dict[str, Any]) -> bool:
    """An order whose fulfilment is still ahead: its fulfillment orders say where it will happen."""
    return order.get("cancelled_at") is None and order.get("fulfillment_status") in UNFULFILLED


def _resource(
    client: RESTClient, name: str, start_date: str, page_size: int
) -> DltResource:
    endpoint, spec, passes = ENDPOINTS[name]

    @dlt.resource(name=name, primary_key="id", write_disposition="merge", columns=specs.COLUMNS[name])
    def fetch(updated_at: dlt.sources.incremental = timestamp_cursor("updated_at", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, name, spec)
        for extra in passes:
            params = {"limit": min(page_size, MAX_PAGE_SIZE), "updated_at_min": updated_at.start_value, **extra}
            for page in client.paginate(endpoint, params=params, data_selector=name):
                yield from validate(page, note=extra.get("status", ""))

    return fetch


def _locations(client: RESTClient, page_size: int) -> DltResource:
    @dlt.resource(name="locations", primary_key="id", write_disposition="merge", columns=specs.COLUMNS["locations"])
    def locations() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "locations", specs.LOCATIONS)
        params = {"limit": min(page_size, MAX_PAGE_SIZE)}
        for page in client.paginate("locations.json", params=params, data_selector="locations"):
            yield from validate(changed_only(page, "id"))

    return locations


def _fulfillment_orders(client: RESTClient, orders: DltResource) -> DltResource:
    validator: list[EdgeValidator] = []  # one per run, made inside the resource (it keeps resource state)

    @dlt.transformer(data_from=orders, name="fulfillment_orders", primary_key="id", write_disposition="merge",
                     columns=specs.COLUMNS["fulfillment_orders"])
    def fulfillment_orders(page: Any, meta: Any = None) -> Iterator[Any]:
        """Fed each page of orders this run pulled (new or changed ones only, by the orders cursor);
        quarantine rows the orders resource sends alongside carry `meta` and are skipped."""
        if meta is not None:
            return
        if not validator:
            validator.append(EdgeValidator(SOURCE, "fulfillment_orders", specs.FULFILLMENT_ORDERS))
            yield dlt.mark.materialize_table_schema()  # the table and the columns dbt reads, even if empty
        for order in page if isinstance(page, list) else [page]:
            if not needs_fulfillment_orders(order):
                continue
            try:
                response = client.get(f"orders/{order['id']}/fulfillment_orders.json")
            except SourceNotFoundError:
                logger.warning("%s: order %s is gone (404); no fulfillment orders to read", SOURCE, order["id"])
                continue
            yield from validator[0](response.json().get("fulfillment_orders") or [], note=f"order {order['id']}")

    return fulfillment_orders


@dlt.source(name=SOURCE)
def shopify_source(
    base_url: str = dlt.config.value,
    access_token: str = dlt.secrets.value,
    start_date: str = "2000-01-01T00:00:00Z",
    page_size: int = MAX_PAGE_SIZE,
    max_retry_seconds: float = 120.0,
    resources: Sequence[str] = ALL_RESOURCES,
) -> list[DltResource]:
    """Shopify shop data, each resource merged on `id`; all but locations pulled incrementally on
    `updated_at`. `fulfillment_orders` rides on `orders` (it reads the orders each run pulls), so
    asking for it brings `orders` along.

    `base_url` is `https://{shop}.myshopify.com/admin/api/2024-04`; `start_date` bounds the first
    (full) load; `max_retry_seconds` bounds the time spent retrying one request.
    """
    client = make_client(
        SOURCE,
        base_url,
        auth=APIKeyAuth(name="X-Shopify-Access-Token", api_key=access_token, location="header"),
        paginator=HeaderLinkPaginator(),
        secrets=[access_token],
        credential_hint=CREDENTIAL_HINT,
        max_retry_seconds=max_retry_seconds,
    )
    wanted = list(resources)
    if "fulfillment_orders" in wanted and "orders" not in wanted:
        wanted.insert(wanted.index("fulfillment_orders"), "orders")
    built: dict[str, DltResource] = {}
    for name in wanted:
        if name == "locations":
            built[name] = _locations(client, page_size)
        elif name == "fulfillment_orders":
            continue  # after its parent, below
        else:
            built[name] = _resource(client, name, start_date, page_size)
    if "fulfillment_orders" in wanted:
        built["fulfillment_orders"] = _fulfillment_orders(client, built["orders"])
    return list(built.values())
