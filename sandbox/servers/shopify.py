"""Shopify Admin REST API 2024-04 sandbox: customers, orders, abandoned checkouts, products, locations.

Faithful: `X-Shopify-Access-Token` auth with Shopify's error bodies, `limit` (default 50, above 250 a 400),
`updated_at_min/max`, `created_at_min/max`, `since_id`, `ids`, `fields`, order and checkout `status`
(open by default, as Shopify, so a full pull must send `status=any`), cursor pagination through the
`Link` header (absolute URLs, quoted rel, `previous` and `next`, page_info URLs carrying only
page_info/limit/fields, 400 when another filter accompanies page_info), the leaky-bucket limiter with
`X-Shopify-Shop-Api-Call-Limit` and 429 + `Retry-After`. Records are served as the world wrote them,
in id order (the order Shopify's cursor pagination walks). Locations are paginated like the others
(since 2022-07, default 50 per page) and counted by `locations/count.json`. An order's fulfillment
orders come from `orders/{order_id}/fulfillment_orders.json` (one unpaginated list; 404 `Not Found`
for an order the shop does not have).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.servers.errors import RequestRejected
from sandbox.servers.faults import RecordShape
from sandbox.servers.gate import AuthProblem, Gate, SandboxContext, json_response
from sandbox.servers.paging import (
    CursorError,
    decode_cursor,
    encode_cursor,
    key_from_cursor,
    keyset_page,
)
from sandbox.servers.ratelimit import BucketState
from sandbox.servers.store import Record
from sandbox.servers.timeparse import TimestampError, instant_or_zero, parse_instant

API_VERSION = "2024-04"
BASE_PATH = f"/admin/api/{API_VERSION}"
DEFAULT_LIMIT = 50
MAX_LIMIT = 250
PAGINATION_DOCS = "https://shopify.dev/api/usage/pagination-rest"
_PAGE_INFO_COMPANIONS = {"page_info", "limit", "fields"}
_TIME_FILTERS = ("updated_at_min", "updated_at_max", "created_at_min", "created_at_max")


@dataclass(frozen=True)
class ShopifyResource:
    name: str
    shape: RecordShape
    status_filter: Callable[[Record, str], bool] | None = None


def _order_status(order: Record, status: str) -> bool:
    if status == "any":
        return True
    if status == "cancelled":
        return order.get("cancelled_at") is not None
    if status == "closed":
        return order.get("closed_at") is not None
    return order.get("closed_at") is None and order.get("cancelled_at") is None


def _checkout_status(checkout: Record, status: str) -> bool:
    closed = checkout.get("closed_at") is not None
    return closed if status == "closed" else not closed


RESOURCES = {
    "customers": ShopifyResource(
        "customers", RecordShape(id="id", timestamp="updated_at", text="last_name", drifting="total_spent")
    ),
    "orders": ShopifyResource(
        "orders",
        RecordShape(
            id="id",
            timestamp="updated_at",
            text="line_items.0.title",
            amount="line_items.0.quantity",
            drifting="total_price",
        ),
        status_filter=_order_status,
    ),
    "checkouts": ShopifyResource(
        "checkouts",
        RecordShape(
            id="id",
            timestamp="updated_at",
            text="email",
            amount="line_items.0.quantity",
            drifting="total_price",
        ),
        status_filter=_checkout_status,
    ),
    "products": ShopifyResource(
        "products", RecordShape(id="id", timestamp="updated_at", text="title", drifting="id")
    ),
    "locations": ShopifyResource(
        "locations", RecordShape(id="id", timestamp="updated_at", text="name", drifting="id")
    ),
}
_STATUS_VALUES = {"orders": {"open", "closed", "cancelled", "any"}, "checkouts": {"open", "closed"}}


class ShopifyProfile:
    name = "shopify"
    issues_sessions = False

    def presented_token(self, request: Request) -> str | None:
        return request.headers.get("x-shopify-access-token")

    def auth_error(self, problem: AuthProblem) -> Response:
        if problem == "forbidden":
            return json_response(
                {"errors": "[API] This action requires merchant approval for read_orders scope."}, 403
            )
        return json_response(
            {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}, 401
        )

    def rate_limited(self, state: BucketState) -> Response:
        retry_after = max(state.retry_after, 1.0)
        return json_response(
            {
                "errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
            },
            429,
            headers={"Retry-After": f"{retry_after:.1f}"},
        )

    def server_error(self, status: int) -> Response:
        messages = {
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }
        return json_response({"errors": messages[status]}, status)

    def not_found(self) -> Response:
        return json_response({"errors": "Not Found"}, 404)

    def rejected(self, error: RequestRejected) -> Response:
        return json_response({"errors": {error.field or "base": error.message}}, error.status)

    def limit_headers(self, state: BucketState) -> dict[str, str]:
        return {
            "X-Shopify-Shop-Api-Call-Limit": f"{state.used}/{state.size}",
            "X-Shopify-API-Version": API_VERSION,
        }


def _filters_from_query(resource: ShopifyResource, params: dict[str, str]) -> dict[str, Any]:
    """The first page's filters, validated the way Shopify rejects them (400 naming the parameter)."""
    filters: dict[str, Any] = {}
    for name in _TIME_FILTERS:
        if name in params:
            try:
                filters[name] = parse_instant(params[name])
            except TimestampError as exc:
                raise RequestRejected(f"{name} is not a valid date: {params[name]!r}", field=name) from exc
    if "since_id" in params:
        if not params["since_id"].isdigit():
            raise RequestRejected("expected Integer to be a id", field="since_id")
        filters["since_id"] = int(params["since_id"])
    if "ids" in params:
        try:
            filters["ids"] = sorted({int(part) for part in params["ids"].split(",") if part.strip()})
        except ValueError as exc:
            raise RequestRejected("expected a comma-separated list of integer ids", field="ids") from exc
    if resource.status_filter is not None:
        status = params.get("status", "open")
        if status not in _STATUS_VALUES[resource.name]:
            raise RequestRejected(
                f"status must be one of {sorted(_STATUS_VALUES[resource.name])}", field="status"
            )
        filters["status"] = status
    return filters


def _keeps(resource: ShopifyResource, filters: dict[str, Any]) -> Callable[[Record], bool]:
    def keep(record: Record) -> bool:
        for name in _TIME_FILTERS:
            if name in filters:
                moment = instant_or_zero(record.get(name.rsplit("_", 1)[0]))
                if name.endswith("_min") and moment < filters[name]:
                    return False
                if name.endswith("_max") and moment > filters[name]:
                    return False
        if "since_id" in filters and not record.get("id", 0) > filters["since_id"]:
            return False
        if "ids" in filters and record.get("id") not in filters["ids"]:
            return False
        return "status" not in filters or resource.status_filter(record, filters["status"])  # type: ignore[misc]

    return keep


def _link_header(
    request: Request, resource: str, tokens: list[tuple[str, str]], limit: int, fields: str | None
) -> str:
    links = []
    for rel, page_info in tokens:
        query = {"limit": limit, "page_info": page_info}
        if fields:
            query["fields"] = fields
        url = f"{str(request.base_url).rstrip('/')}{BASE_PATH}/{resource}.json?{urlencode(query)}"
        links.append(f'<{url}>; rel="{rel}"')
    return ", ".join(links)


def _id_key(record: Record) -> tuple[int]:
    record_id = record.get("id")
    return (record_id if isinstance(record_id, int) else 0,)


def _list_handler(resource: ShopifyResource):
    async def handler(request: Request, context: SandboxContext) -> Response:
        params = dict(request.query_params)
        try:
            limit = int(params.get("limit", DEFAULT_LIMIT))
        except ValueError as exc:
            raise RequestRejected("expected Integer", field="limit") from exc
        if not 1 <= limit <= MAX_LIMIT:
            raise RequestRejected(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        fields = params.get("fields")
        if "page_info" in params:
            extra = sorted(set(params) - _PAGE_INFO_COMPANIONS)
            if extra:
                raise RequestRejected(
                    f"{extra[0]} cannot be passed when page_info is present. See {PAGINATION_DOCS} for more information.",
                    field=extra[0],
                )
            try:
                page_info = decode_cursor(params["page_info"])
                position = key_from_cursor(page_info, "last_id")
                filters = page_info.get("filters", {})
                direction = page_info["direction"]
            except (CursorError, KeyError) as exc:
                raise RequestRejected("Invalid value.", field="page_info") from exc
        else:
            filters, position, direction = _filters_from_query(resource, params), None, "next"

        index = context.store.snapshot(f"shopify/{resource.name}.jsonl").index("id", _id_key)
        backwards = direction == "prev"
        page = keyset_page(
            index, after=position, limit=limit, descending=backwards, keep=_keeps(resource, filters)
        )
        records = list(reversed(page.records)) if backwards else page.records
        first_key, last_key = (
            (page.last_key, page.first_key) if backwards else (page.first_key, page.last_key)
        )
        more_before = page.has_more if backwards else position is not None
        more_after = position is not None if backwards else page.has_more

        served = context.record_faults.apply(resource.name, resource.shape, records)
        if fields:
            wanted = [name.strip() for name in fields.split(",") if name.strip()]
            served = [{name: record[name] for name in wanted if name in record} for record in served]
        tokens = []
        if records and more_before:
            tokens.append(
                (
                    "previous",
                    encode_cursor({"filters": filters, "last_id": list(first_key), "direction": "prev"}),
                )
            )
        if records and more_after:
            tokens.append(
                ("next", encode_cursor({"filters": filters, "last_id": list(last_key), "direction": "next"}))
            )
        headers = {"Link": _link_header(request, resource.name, tokens, limit, fields)} if tokens else None
        return json_response({resource.name: served}, headers=headers)

    return handler


FULFILLMENT_ORDER_SHAPE = RecordShape(id="id", timestamp="updated_at", text="assigned_location.name",
                                      amount="line_items.0.quantity", drifting="assigned_location_id")


def _order_exists(context: SandboxContext, order_id: int) -> bool:
    keys = context.store.snapshot("shopify/orders.jsonl").index("id", _id_key).keys
    position = bisect_left(keys, (order_id,))
    return position < len(keys) and keys[position] == (order_id,)


async def list_fulfillment_orders(request: Request, context: SandboxContext) -> Response:
    """`GET orders/{order_id}/fulfillment_orders.json` -> `{"fulfillment_orders": [...]}`, the order's
    fulfillment orders in id order (Shopify does not paginate this list)."""
    raw_id = request.path_params["order_id"]
    if not raw_id.isdigit() or not _order_exists(context, int(raw_id)):
        return ShopifyProfile().not_found()
    order_id = int(raw_id)
    index = context.store.snapshot("shopify/fulfillment_orders.jsonl").index(
        "order_id", lambda record: (record.get("order_id") or 0, *_id_key(record)))
    records = []
    for key, record in index.walk((order_id,), descending=False):
        if key[0] != order_id:
            break
        records.append(record)
    served = context.record_faults.apply("fulfillment_orders", FULFILLMENT_ORDER_SHAPE, records)
    return json_response({"fulfillment_orders": served})


async def count_locations(request: Request, context: SandboxContext) -> Response:
    """`GET locations/count.json` -> `{"count": N}`, every location of the shop."""
    return json_response({"count": len(context.store.records("shopify/locations.jsonl"))})


def shopify_routes(gate: Gate) -> list[Route]:
    return [
        Route(f"{BASE_PATH}/locations/count.json", gate.guard(count_locations), methods=["GET"]),
        Route(f"{BASE_PATH}/orders/{{order_id}}/fulfillment_orders.json", gate.guard(list_fulfillment_orders),
              methods=["GET"]),
        *(
            Route(f"{BASE_PATH}/{name}.json", gate.guard(_list_handler(resource)), methods=["GET"])
            for name, resource in RESOURCES.items()
        ),
    ]
