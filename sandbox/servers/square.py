"""Square API v2 sandbox: locations, customers (list + search), orders search, payments, refunds,
loyalty accounts search, catalog (list, batch-retrieve, search).

Faithful: Bearer auth with Square's `{"errors": [{category, code, detail}]}` bodies, cursor
pagination (no `cursor` on the last page, empty results as `{}`), each endpoint's own limit rules
(customers 1..100 else 400 VALUE_TOO_LOW/HIGH; orders default 500, max 1000; payments and refunds
cap at 100; loyalty 1..200, default 30), SearchOrders' `date_time_filter` that must match
`sort.sort_field`, payments defaulting to the main location and to the last year of `created_at`
(the world's `as_of` is "now"), refunds across all locations, `updated_at_begin_time` with
`sort_field=UPDATED_AT`, and 429 `RATE_LIMITED`. The catalog file holds ITEM objects with their
ITEM_VARIATIONs nested in `item_data.variations`; an ITEM_VARIATION asked for by type or id is served
as a top-level object too, as Square does (see `catalog_objects`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.servers.errors import RequestRejected
from sandbox.servers.faults import RecordShape
from sandbox.servers.gate import AuthProblem, Gate, SandboxContext, bearer_token, json_response
from sandbox.servers.paging import cursor_position, encode_cursor, keyset_page
from sandbox.servers.ratelimit import BucketState
from sandbox.servers.store import Record, SortedIndex, SortKey, WorldStore
from sandbox.servers.timeparse import TimestampError, instant_or_zero, parse_instant

ONE_YEAR_SECONDS = 365 * 24 * 3600

SHAPES = {
    "locations": RecordShape(id="id", timestamp="created_at", text="name"),
    "customers": RecordShape(id="id", timestamp="updated_at", text="family_name", drifting="version"),
    "orders": RecordShape(
        id="id",
        timestamp="updated_at",
        text="line_items.0.name",
        amount="line_items.0.quantity",
        drifting="total_money.amount",
    ),
    "payments": RecordShape(
        id="id",
        timestamp="updated_at",
        text="note",
        amount="amount_money.amount",
        drifting="amount_money.amount",
    ),
    "refunds": RecordShape(
        id="id",
        timestamp="updated_at",
        text="reason",
        amount="amount_money.amount",
        drifting="amount_money.amount",
    ),
    "catalog": RecordShape(
        id="id",
        timestamp="updated_at",
        text="item_data.name",
        amount="item_data.variations.0.item_variation_data.price_money.amount",
        drifting="version",
    ),
    # `balance` may legitimately go negative after a clawback; `lifetime_points` never does.
    "loyalty_accounts": RecordShape(
        id="id",
        timestamp="updated_at",
        text="mapping.phone_number",
        amount="lifetime_points",
        drifting="balance",
    ),
}


def _errors(category: str, code: str, detail: str, field: str | None = None) -> dict[str, Any]:
    error = {"category": category, "code": code, "detail": detail}
    if field:
        error["field"] = field
    return {"errors": [error]}


class SquareProfile:
    name = "square"
    issues_sessions = False

    def presented_token(self, request: Request) -> str | None:
        return bearer_token(request)

    def auth_error(self, problem: AuthProblem) -> Response:
        if problem == "forbidden":
            return json_response(
                _errors(
                    "AUTHENTICATION_ERROR",
                    "INSUFFICIENT_SCOPES",
                    "The merchant has not given your application sufficient permissions to do that. "
                    "The app attempted to use the following permission(s): ORDERS_READ",
                ),
                403,
            )
        detail = (
            "The `Authorization` http header of your request was malformed. The header value is expected to be "
            'of the format "Bearer TOKEN" (without quotation marks), where TOKEN is to be replaced with your '
            'access token (e.g. "Bearer ABC123def456GHI789jkl0").'
            if problem == "missing"
            else "This request could not be authorized."
        )
        return json_response(_errors("AUTHENTICATION_ERROR", "UNAUTHORIZED", detail), 401)

    def rate_limited(self, state: BucketState) -> Response:
        return json_response(_errors("RATE_LIMIT_ERROR", "RATE_LIMITED", "Rate limited."), 429)

    def server_error(self, status: int) -> Response:
        code = {
            500: "INTERNAL_SERVER_ERROR",
            502: "BAD_GATEWAY",
            503: "SERVICE_UNAVAILABLE",
            504: "GATEWAY_TIMEOUT",
        }
        return json_response(
            _errors("API_ERROR", code[status], "The service is temporarily unavailable."), status
        )

    def not_found(self) -> Response:
        return json_response(_errors("INVALID_REQUEST_ERROR", "NOT_FOUND", "API endpoint not found."), 404)

    def rejected(self, error: RequestRejected) -> Response:
        return json_response(
            _errors("INVALID_REQUEST_ERROR", error.code or "BAD_REQUEST", error.message, error.field),
            error.status,
        )

    def limit_headers(self, state: BucketState) -> dict[str, str]:
        return {}


def _bounded_limit(value: Any, *, default: int, minimum: int, maximum: int, field: str) -> int:
    """Square's strict limits: out of range is a 400 VALUE_TOO_LOW / VALUE_TOO_HIGH."""
    if value is None:
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError) as exc:
        raise RequestRejected(
            f"Expected an integer value for `{field}`.", code="INVALID_VALUE", field=field
        ) from exc
    if limit < minimum:
        raise RequestRejected(
            f"`{field}` must be greater than or equal to {minimum}.", code="VALUE_TOO_LOW", field=field
        )
    if limit > maximum:
        raise RequestRejected(
            f"`{field}` must be less than or equal to {maximum}.", code="VALUE_TOO_HIGH", field=field
        )
    return limit


def _capped_limit(value: Any) -> int:
    """Payments and refunds: a limit above 100 is silently replaced by the default 100."""
    try:
        limit = int(value) if value is not None else 100
    except (TypeError, ValueError) as exc:
        raise RequestRejected(
            "Expected an integer value for `limit`.", code="INVALID_VALUE", field="limit"
        ) from exc
    if limit < 1:
        raise RequestRejected(
            "`limit` must be greater than or equal to 1.", code="VALUE_TOO_LOW", field="limit"
        )
    return min(limit, 100)


def _instant(value: Any, field: str) -> float:
    try:
        return parse_instant(value)
    except TimestampError as exc:
        raise RequestRejected(
            f"Invalid RFC 3339 timestamp {value!r} for `{field}`.", code="INVALID_TIME", field=field
        ) from exc


def _time_range(range_: dict[str, Any] | None, field: str) -> tuple[float | None, float | None]:
    if not range_:
        return None, None
    start = range_.get("start_at")
    end = range_.get("end_at")
    return (
        _instant(start, f"{field}.start_at") if start else None,
        _instant(end, f"{field}.end_at") if end else None,
    )


def _within(value: Any, start: float | None, end: float | None) -> bool:
    if start is None and end is None:
        return True
    moment = instant_or_zero(value)
    return (start is None or moment >= start) and (end is None or moment < end)


def _timestamp_key(field: str) -> Callable[[Record], SortKey]:
    return lambda record: (instant_or_zero(record.get(field)), str(record.get("id", "")))


def _customer_default_key(record: Record) -> SortKey:
    return (
        str(record.get("given_name") or "").lower(),
        str(record.get("family_name") or "").lower(),
        str(record.get("id", "")),
    )


@dataclass
class Listing:
    """One page request against one world file, independent of how the vendor spells the query."""

    resource: str
    sort_name: str
    sort_key: Callable[[Record], SortKey]
    descending: bool
    limit: int
    cursor: str | None
    keep: Callable[[Record], bool]


def _serve(context: SandboxContext, listing: Listing, extra: dict[str, Any] | None = None) -> Response:
    index = context.store.snapshot(f"square/{listing.resource}.jsonl").index(
        listing.sort_name, listing.sort_key
    )
    page = keyset_page(
        index,
        after=cursor_position(
            listing.cursor,
            RequestRejected("The cursor provided is invalid.", code="INVALID_CURSOR", field="cursor"),
        ),
        limit=listing.limit,
        descending=listing.descending,
        keep=listing.keep,
    )
    body: dict[str, Any] = {}
    if page.records:
        body[listing.resource] = context.record_faults.apply(
            listing.resource, SHAPES[listing.resource], page.records
        )
    if page.has_more and page.last_key is not None:
        body["cursor"] = encode_cursor({"after": list(page.last_key)})
    body.update(extra or {})
    return json_response(body)


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RequestRejected(
            "The body of the request is not valid JSON.", code="EXPECTED_JSON_BODY"
        ) from exc
    if not isinstance(body, dict):
        raise RequestRejected("The body of the request must be a JSON object.", code="EXPECTED_JSON_BODY")
    return body


def _sort_order(value: Any, default: str, field: str) -> bool:
    """True when descending."""
    order = value or default
    if order not in ("ASC", "DESC"):
        raise RequestRejected(f"`{field}` must be ASC or DESC.", code="INVALID_SORT_ORDER", field=field)
    return order == "DESC"


def _main_location_id(store: WorldStore) -> str | None:
    """The seller's main location: the first one created (what Square's dashboard calls "main")."""
    locations = store.records("square/locations.jsonl")
    if not locations:
        return None
    return min(locations, key=lambda location: instant_or_zero(location.get("created_at"))).get("id")


def _as_of(store: WorldStore) -> float | None:
    as_of = store.manifest().get("as_of")
    return instant_or_zero(as_of) if as_of else None


async def list_locations(request: Request, context: SandboxContext) -> Response:
    locations = context.record_faults.apply(
        "locations", SHAPES["locations"], context.store.records("square/locations.jsonl")
    )
    return json_response({"locations": locations} if locations else {})


def _customer_sort(
    sort_field: Any, sort_order: Any, field: str
) -> tuple[str, Callable[[Record], SortKey], bool]:
    descending = _sort_order(sort_order, "ASC", f"{field}.order")
    if sort_field in (None, "DEFAULT"):
        return "default", _customer_default_key, descending
    if sort_field == "CREATED_AT":
        return "created_at", _timestamp_key("created_at"), descending
    raise RequestRejected(
        f"`{field}.field` must be DEFAULT or CREATED_AT.", code="INVALID_ENUM_VALUE", field=f"{field}.field"
    )


def _count_extra(context: SandboxContext, keep: Callable[[Record], bool], wanted: Any) -> dict[str, Any]:
    if str(wanted).lower() != "true":
        return {}
    return {"count": sum(1 for record in context.store.records("square/customers.jsonl") if keep(record))}


async def list_customers(request: Request, context: SandboxContext) -> Response:
    params = request.query_params
    limit = _bounded_limit(params.get("limit"), default=100, minimum=1, maximum=100, field="limit")
    sort_name, sort_key, descending = _customer_sort(
        params.get("sort_field"), params.get("sort_order"), "sort"
    )

    def keep(record: Record) -> bool:
        return True

    listing = Listing("customers", sort_name, sort_key, descending, limit, params.get("cursor"), keep)
    return _serve(context, listing, _count_extra(context, keep, params.get("count")))


def _text_filter(filter_: dict[str, Any] | None, field: str) -> Callable[[Record], bool]:
    """CustomerTextFilter: `exact` (case-insensitive) or `fuzzy` (every token contained)."""
    if not filter_:
        return lambda record: True
    exact, fuzzy = filter_.get("exact"), filter_.get("fuzzy")
    if exact is not None:
        return lambda record: str(record.get(field) or "").lower() == str(exact).lower()
    tokens = str(fuzzy or "").lower().split()
    return lambda record: all(token in str(record.get(field) or "").lower() for token in tokens)


async def search_customers(request: Request, context: SandboxContext) -> Response:
    body = await _json_body(request)
    limit = _bounded_limit(body.get("limit"), default=100, minimum=1, maximum=100, field="limit")
    query = body.get("query") or {}
    filter_ = query.get("filter") or {}
    sort = query.get("sort") or {}
    sort_name, sort_key, descending = _customer_sort(sort.get("field"), sort.get("order"), "query.sort")
    created = _time_range(filter_.get("created_at"), "query.filter.created_at")
    updated = _time_range(filter_.get("updated_at"), "query.filter.updated_at")
    text_filters = [
        _text_filter(filter_.get("email_address"), "email_address"),
        _text_filter(filter_.get("phone_number"), "phone_number"),
        _text_filter(filter_.get("reference_id"), "reference_id"),
    ]

    def keep(record: Record) -> bool:
        return (
            _within(record.get("created_at"), *created)
            and _within(record.get("updated_at"), *updated)
            and all(check(record) for check in text_filters)
        )

    listing = Listing("customers", sort_name, sort_key, descending, limit, body.get("cursor"), keep)
    return _serve(context, listing, _count_extra(context, keep, body.get("count")))


_ORDER_SORT_FIELDS = {"CREATED_AT": "created_at", "UPDATED_AT": "updated_at", "CLOSED_AT": "closed_at"}


async def search_orders(request: Request, context: SandboxContext) -> Response:
    body = await _json_body(request)
    location_ids = body.get("location_ids") or []
    if not location_ids:
        raise RequestRejected(
            "Must provide at least 1 location_id.", code="MISSING_REQUIRED_PARAMETER", field="location_ids"
        )
    if len(location_ids) > 10:
        raise RequestRejected(
            "At most 10 location_ids may be provided.", code="VALUE_TOO_HIGH", field="location_ids"
        )
    limit = _bounded_limit(body.get("limit"), default=500, minimum=1, maximum=1000, field="limit")
    query = body.get("query") or {}
    filter_ = query.get("filter") or {}
    sort = query.get("sort") or {}
    sort_field = sort.get("sort_field", "CREATED_AT")
    if sort_field not in _ORDER_SORT_FIELDS:
        raise RequestRejected(
            "`query.sort.sort_field` must be CREATED_AT, UPDATED_AT or CLOSED_AT.",
            code="INVALID_ENUM_VALUE",
            field="query.sort.sort_field",
        )
    descending = _sort_order(sort.get("sort_order"), "DESC", "query.sort.sort_order")
    date_filter = filter_.get("date_time_filter") or {}
    ranges = {
        name: _time_range(date_filter.get(name), f"query.filter.date_time_filter.{name}")
        for name in _ORDER_SORT_FIELDS.values()
    }
    for name, range_ in ranges.items():
        if range_ != (None, None) and name != _ORDER_SORT_FIELDS[sort_field]:
            raise RequestRejected(
                f"The sort_field must match the date_time_filter field: filtering on {name} requires "
                f"sort_field {name.upper()}.",
                code="BAD_REQUEST",
                field="query.sort.sort_field",
            )
    states = set((filter_.get("state_filter") or {}).get("states") or [])
    customer_ids = set((filter_.get("customer_filter") or {}).get("customer_ids") or [])
    wanted_locations = set(location_ids)

    def keep(order: Record) -> bool:
        return (
            order.get("location_id") in wanted_locations
            and (not states or order.get("state") in states)
            and (not customer_ids or order.get("customer_id") in customer_ids)
            and all(_within(order.get(name), *range_) for name, range_ in ranges.items())
        )

    sort_column = _ORDER_SORT_FIELDS[sort_field]
    listing = Listing(
        "orders", sort_column, _timestamp_key(sort_column), descending, limit, body.get("cursor"), keep
    )
    response = _serve(context, listing)
    if body.get("return_entries"):
        served = json.loads(response.body)
        entries = [
            {
                "order_id": order.get("id"),
                "version": order.get("version"),
                "location_id": order.get("location_id"),
            }
            for order in served.pop("orders", [])
        ]
        return json_response({**({"order_entries": entries} if entries else {}), **served})
    return response


def _payment_like_listing(
    request: Request, context: SandboxContext, resource: str, *, default_location: str | None
) -> Listing:
    """ListPayments / ListPaymentRefunds: created_at window, updated_at window, location, sort."""
    params = request.query_params
    limit = _capped_limit(params.get("limit"))
    descending = _sort_order(params.get("sort_order"), "DESC", "sort_order")
    sort_field = params.get("sort_field", "CREATED_AT")
    if sort_field not in ("CREATED_AT", "UPDATED_AT", "OFFLINE_CREATED_AT"):
        raise RequestRejected(
            "`sort_field` must be CREATED_AT or UPDATED_AT.", code="INVALID_ENUM_VALUE", field="sort_field"
        )
    now = _as_of(context.store)
    begin = _instant(params["begin_time"], "begin_time") if params.get("begin_time") else None
    end = _instant(params["end_time"], "end_time") if params.get("end_time") else None
    updated_begin = (
        _instant(params["updated_at_begin_time"], "updated_at_begin_time")
        if params.get("updated_at_begin_time")
        else None
    )
    updated_end = (
        _instant(params["updated_at_end_time"], "updated_at_end_time")
        if params.get("updated_at_end_time")
        else None
    )
    if begin is None and updated_begin is None and now is not None:
        begin = now - ONE_YEAR_SECONDS
    location_id = params.get("location_id") or default_location
    status = params.get("status")
    source_type = params.get("source_type")

    def keep(record: Record) -> bool:
        created = instant_or_zero(record.get("created_at"))
        if (begin is not None and created < begin) or (end is not None and created >= end):
            return False
        if not _within(record.get("updated_at"), updated_begin, updated_end):
            return False
        if location_id and record.get("location_id") != location_id:
            return False
        if status and record.get("status") != status:
            return False
        return not source_type or record.get("source_type") == source_type

    sort_column = "updated_at" if sort_field == "UPDATED_AT" else "created_at"
    return Listing(
        resource, sort_column, _timestamp_key(sort_column), descending, limit, params.get("cursor"), keep
    )


async def list_payments(request: Request, context: SandboxContext) -> Response:
    listing = _payment_like_listing(
        request, context, "payments", default_location=_main_location_id(context.store)
    )
    return _serve(context, listing)


async def list_refunds(request: Request, context: SandboxContext) -> Response:
    return _serve(context, _payment_like_listing(request, context, "refunds", default_location=None))


async def search_loyalty_accounts(request: Request, context: SandboxContext) -> Response:
    body = await _json_body(request)
    limit = _bounded_limit(body.get("limit"), default=30, minimum=1, maximum=200, field="limit")
    query = body.get("query") or {}
    mappings = query.get("mappings") or []
    customer_ids = set(query.get("customer_ids") or [])
    if mappings and customer_ids:
        raise RequestRejected(
            "`mappings` cannot be combined with `customer_ids`.", code="BAD_REQUEST", field="query"
        )
    phones = {mapping.get("phone_number") for mapping in mappings}

    def keep(account: Record) -> bool:
        if customer_ids and account.get("customer_id") not in customer_ids:
            return False
        return not phones or (account.get("mapping") or {}).get("phone_number") in phones

    listing = Listing(
        "loyalty_accounts", "created_at", _timestamp_key("created_at"), False, limit, body.get("cursor"), keep
    )
    return _serve(context, listing)


CATALOG_FILE = "square/catalog.jsonl"
CATALOG_LIST_PAGE_SIZE = 100  # ListCatalog: "The page size is currently set to be 100."
CATALOG_SEARCH_DEFAULT_LIMIT = 100
CATALOG_SEARCH_MAX_LIMIT = 1000
# Types a seller's catalog can hold; the world's holds ITEMs and their ITEM_VARIATIONs.
CATALOG_TYPES = {
    "ITEM", "IMAGE", "CATEGORY", "ITEM_VARIATION", "TAX", "DISCOUNT", "MODIFIER_LIST", "MODIFIER",
    "PRICING_RULE", "PRODUCT_SET", "TIME_PERIOD", "MEASUREMENT_UNIT", "SUBSCRIPTION_PLAN",
    "ITEM_OPTION", "ITEM_OPTION_VAL", "CUSTOM_ATTRIBUTE_DEFINITION", "QUICK_AMOUNTS_SETTINGS",
    "SUBSCRIPTION_PLAN_VARIATION", "AVAILABILITY_PERIOD",
}
# Types returned when none are asked for: the top-level ones (nested ITEM_VARIATIONs are not).
CATALOG_DEFAULT_TYPES = {"ITEM", "CATEGORY", "TAX", "DISCOUNT", "MODIFIER_LIST", "PRICING_RULE", "PRODUCT_SET",
                         "TIME_PERIOD", "MEASUREMENT_UNIT", "SUBSCRIPTION_PLAN", "ITEM_OPTION",
                         "CUSTOM_ATTRIBUTE_DEFINITION", "QUICK_AMOUNTS_SETTINGS"}


def _catalog_types(requested: Any, field: str) -> set[str]:
    """CatalogObjectType names, case-insensitive; absent means the default top-level types."""
    if requested in (None, "", []):
        return CATALOG_DEFAULT_TYPES
    names = requested.split(",") if isinstance(requested, str) else requested
    types = {str(name).strip().upper() for name in names if str(name).strip()}
    unknown = sorted(types - CATALOG_TYPES)
    if unknown:
        raise RequestRejected(
            f"Unknown object type `{unknown[0]}`.", code="INVALID_ENUM_VALUE", field=field
        )
    return types


def catalog_objects(store: WorldStore, types: set[str], *, include_deleted: bool) -> list[Record]:
    """The catalog as top-level CatalogObjects of `types`: each ITEM keeps its variations nested, and
    when ITEM_VARIATION is asked for, every variation is also an object of its own (Square's
    ListCatalog and SearchCatalogObjects answer `types=ITEM,ITEM_VARIATION` this way)."""
    objects = []
    for item in store.records(CATALOG_FILE):
        if "ITEM" in types and item.get("type", "ITEM") == "ITEM":
            objects.append(item)
        if "ITEM_VARIATION" in types:
            objects.extend((item.get("item_data") or {}).get("variations") or [])
    return [o for o in objects if include_deleted or not o.get("is_deleted")]


def _catalog_index(objects: list[Record], key: Callable[[Record], SortKey]) -> SortedIndex:
    keyed = sorted(((key(record), position) for position, record in enumerate(objects)))
    return SortedIndex(keys=[k for k, _ in keyed], records=[objects[position] for _, position in keyed])


def _catalog_page(
    context: SandboxContext, index: SortedIndex, cursor: str | None, limit: int, keep: Callable[[Record], bool]
) -> tuple[list[Record], str | None]:
    page = keyset_page(
        index,
        after=cursor_position(
            cursor, RequestRejected("The cursor provided is invalid.", code="INVALID_CURSOR", field="cursor")
        ),
        limit=limit,
        keep=keep,
    )
    served = context.record_faults.apply("catalog", SHAPES["catalog"], page.records)
    following = encode_cursor({"after": list(page.last_key)}) if page.has_more and page.last_key else None
    return served, following


async def list_catalog(request: Request, context: SandboxContext) -> Response:
    """ListCatalog: no deleted objects, fixed pages of 100 in id order."""
    types = _catalog_types(request.query_params.get("types"), "types")
    objects = catalog_objects(context.store, types, include_deleted=False)
    served, following = _catalog_page(
        context, _catalog_index(objects, lambda o: (str(o.get("id", "")),)),
        request.query_params.get("cursor"), CATALOG_LIST_PAGE_SIZE, lambda o: True,
    )
    body: dict[str, Any] = {"objects": served} if served else {}
    if following:
        body["cursor"] = following
    return json_response(body)


def _related_objects(store: WorldStore, objects: list[Record], include_deleted: bool) -> list[Record]:
    """Objects the results reference by id, one level deep: a variation's parent ITEM."""
    served = {o.get("id") for o in objects}
    wanted = {(o.get("item_variation_data") or {}).get("item_id") for o in objects} - served - {None}
    return [o for o in catalog_objects(store, {"ITEM"}, include_deleted=include_deleted) if o.get("id") in wanted]


async def batch_retrieve_catalog(request: Request, context: SandboxContext) -> Response:
    """BatchRetrieveCatalogObjects: `object_ids` (required), `include_related_objects`,
    `include_deleted_objects`; ids that do not exist are simply absent from `objects`."""
    body = await _json_body(request)
    object_ids = body.get("object_ids")
    if not object_ids:
        raise RequestRejected(
            "Field must be set", code="MISSING_REQUIRED_PARAMETER", field="object_ids"
        )
    include_deleted = bool(body.get("include_deleted_objects"))
    wanted = set(object_ids)
    everything = catalog_objects(context.store, {"ITEM", "ITEM_VARIATION"}, include_deleted=include_deleted)
    found = [o for o in everything if o.get("id") in wanted]
    response: dict[str, Any] = {}
    if found:
        response["objects"] = context.record_faults.apply("catalog", SHAPES["catalog"], found)
    related = _related_objects(context.store, found, include_deleted) if body.get("include_related_objects") else []
    if related:
        response["related_objects"] = related
    return json_response(response)


async def search_catalog(request: Request, context: SandboxContext) -> Response:
    """SearchCatalogObjects: `object_types`, `include_deleted_objects`, `begin_time` (exclusive, on
    `updated_at`), `limit` (advisory: out-of-range values are ignored), `cursor`, `latest_time`.
    Objects come in `updated_at` order. A `query` is not supported by the sandbox (400)."""
    body = await _json_body(request)
    if body.get("query"):
        raise RequestRejected(
            "The sandbox's SearchCatalogObjects supports no `query`; omit it to read the whole catalog.",
            code="BAD_REQUEST",
            field="query",
        )
    types = _catalog_types(body.get("object_types"), "object_types")
    include_deleted = bool(body.get("include_deleted_objects"))
    begin = _instant(body["begin_time"], "begin_time") if body.get("begin_time") else None
    limit = body.get("limit")
    if not isinstance(limit, int) or not 0 < limit <= CATALOG_SEARCH_MAX_LIMIT:
        limit = CATALOG_SEARCH_DEFAULT_LIMIT
    objects = catalog_objects(context.store, types, include_deleted=include_deleted)
    served, following = _catalog_page(
        context, _catalog_index(objects, _timestamp_key("updated_at")), body.get("cursor"), limit,
        lambda o: begin is None or instant_or_zero(o.get("updated_at")) > begin,
    )
    response: dict[str, Any] = {"objects": served} if served else {}
    if following:
        response["cursor"] = following
    related = _related_objects(context.store, served, include_deleted) if body.get("include_related_objects") else []
    if related:
        response["related_objects"] = related
    every = catalog_objects(context.store, {"ITEM", "ITEM_VARIATION"}, include_deleted=True)
    if every:
        response["latest_time"] = max((o.get("updated_at", "") for o in every), key=instant_or_zero)
    return json_response(response)


def square_routes(gate: Gate) -> list[Route]:
    endpoints = [
        ("/v2/locations", list_locations, "GET"),
        ("/v2/customers", list_customers, "GET"),
        ("/v2/customers/search", search_customers, "POST"),
        ("/v2/orders/search", search_orders, "POST"),
        ("/v2/payments", list_payments, "GET"),
        ("/v2/refunds", list_refunds, "GET"),
        ("/v2/loyalty/accounts/search", search_loyalty_accounts, "POST"),
        ("/v2/catalog/list", list_catalog, "GET"),
        ("/v2/catalog/batch-retrieve", batch_retrieve_catalog, "POST"),
        ("/v2/catalog/search", search_catalog, "POST"),
    ]
    return [Route(path, gate.guard(handler), methods=[method]) for path, handler, method in endpoints]
