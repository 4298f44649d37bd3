"""Google Business Profile sandbox: v4 accounts.locations.reviews.list (and the retired v4
accounts.locations.list, kept for the v4 discovery client), and the Business Information API v1
accounts.locations.list, where Google lists locations now.

Faithful: Bearer auth with Google's `{"error": {code, message, status, errors}}` bodies (401
UNAUTHENTICATED, 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED, 404 NOT_FOUND), `pageSize` (max 50,
larger values are clamped), `pageToken`/`nextPageToken` (absent on the last page), `orderBy`
`updateTime desc` (default), `rating`, `rating desc` (anything else is INVALID_ARGUMENT),
`averageRating` (double) and `totalReviewCount` (int32) over the location's reviews, and proto3 JSON
omission (no `reviews` key, no zero totals when a location has none). It also serves its own discovery
document at `/$discovery/rest?version=v4` so `googleapiclient.discovery.build` can read the sandbox.

v1 locations: `readMask` is required (400 INVALID_ARGUMENT naming `read_mask` without it, or with a
field a Location does not have) and only the masked fields are returned; `pageSize` defaults to 10,
at most 100; `nextPageToken` is absent on the last page. The world file's `account` routing key says
which account owns a location and is never served.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.servers.errors import RequestRejected
from sandbox.servers.faults import RecordShape
from sandbox.servers.gate import AuthProblem, Gate, SandboxContext, bearer_token, json_response
from sandbox.servers.paging import cursor_position, encode_cursor, keyset_page
from sandbox.servers.ratelimit import BucketState
from sandbox.servers.store import Record, SortedIndex, SortKey
from sandbox.servers.timeparse import instant_or_zero

MAX_PAGE_SIZE = 50
MAX_LOCATIONS_PAGE_SIZE = 100
V1_DEFAULT_PAGE_SIZE = 10
# Business Information API v1 Location fields (its discovery document's Location schema)
V1_LOCATION_FIELDS = frozenset({
    "name", "languageCode", "storeCode", "title", "phoneNumbers", "categories", "storefrontAddress",
    "websiteUri", "regularHours", "specialHours", "serviceArea", "labels", "adWordsLocationExtensions",
    "latlng", "openInfo", "metadata", "profile", "relationshipData", "moreHours", "serviceItems",
})
REVIEW_SHAPE = RecordShape(id="reviewId", timestamp="updateTime", text="comment", drifting="starRating")
STAR_VALUES = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
DISCOVERY_DOCUMENT = Path(__file__).with_name("mybusiness_v4_discovery.json")
_STATUS_REASONS = {
    400: ("INVALID_ARGUMENT", "badRequest"),
    401: ("UNAUTHENTICATED", "authError"),
    403: ("PERMISSION_DENIED", "forbidden"),
    404: ("NOT_FOUND", "notFound"),
    429: ("RESOURCE_EXHAUSTED", "rateLimitExceeded"),
    500: ("INTERNAL", "backendError"),
    502: ("UNAVAILABLE", "backendError"),
    503: ("UNAVAILABLE", "backendError"),
    504: ("DEADLINE_EXCEEDED", "backendError"),
}


def google_error(code: int, message: str, details: list[dict[str, Any]] | None = None) -> Response:
    status, reason = _STATUS_REASONS[code]
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": status,
        "errors": [{"message": message, "domain": "global", "reason": reason}],
    }
    if details:
        error["details"] = details
    return json_response({"error": error}, code)


def _field_violation(field: str, description: str) -> list[dict[str, Any]]:
    """google.rpc.BadRequest details, as Google attaches them to an INVALID_ARGUMENT."""
    return [{
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        "fieldViolations": [{"field": field, "description": description}],
    }]


class GoogleProfile:
    name = "google_reviews"
    issues_sessions = False

    def presented_token(self, request: Request) -> str | None:
        return bearer_token(request)

    def auth_error(self, problem: AuthProblem) -> Response:
        if problem == "forbidden":
            return google_error(403, "The caller does not have permission")
        if problem == "missing":
            return google_error(
                401,
                "Request is missing required authentication credential. Expected OAuth 2 access token, login "
                "cookie or other valid authentication credential.",
            )
        return google_error(
            401,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
            "other valid authentication credential.",
        )

    def rate_limited(self, state: BucketState) -> Response:
        return google_error(
            429,
            "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service "
            "'mybusiness.googleapis.com'.",
        )

    def server_error(self, status: int) -> Response:
        return google_error(status, "The service is currently unavailable.")

    def not_found(self) -> Response:
        return google_error(404, "Requested entity was not found.")

    def rejected(self, error: RequestRejected) -> Response:
        details = _field_violation(error.field, error.code or error.message) if error.field and error.code else None
        return google_error(error.status, error.message, details)

    def limit_headers(self, state: BucketState) -> dict[str, str]:
        return {}


def _page_size(value: str | None, maximum: int) -> int:
    """`pageSize`: absent or 0 means the maximum, larger values are clamped to it."""
    if value is None:
        return maximum
    try:
        size = int(value)
    except ValueError as exc:
        raise RequestRejected(f"Invalid value at 'page_size' (TYPE_INT32), \"{value}\"") from exc
    if size < 0:
        raise RequestRejected("Request contains an invalid argument.", field="pageSize")
    return maximum if size == 0 else min(size, maximum)


def _position(token: str | None) -> SortKey | None:
    return cursor_position(token, RequestRejected("Request contains an invalid argument.", field="pageToken"))


def _rating_key(review: Record) -> SortKey:
    return (
        STAR_VALUES.get(review.get("starRating"), 0),
        instant_or_zero(review.get("updateTime")),
        review.get("reviewId", ""),
    )


def _update_key(review: Record) -> SortKey:
    return (instant_or_zero(review.get("updateTime")), review.get("reviewId", ""))


_ORDERINGS = {
    "updatetime desc": ("updateTime", _update_key, True),
    "rating": ("rating", _rating_key, False),
    "rating asc": ("rating", _rating_key, False),
    "rating desc": ("rating", _rating_key, True),
}


def _known_location(context: SandboxContext, parent: str) -> bool:
    for record in context.store.records("google/locations.jsonl"):
        account, location = account_and_location(record)
        if f"{account}/{location.get('name')}" == parent:
            return True
    return any(
        str(review.get("name", "")).startswith(parent + "/")
        for review in context.store.records("google/reviews.jsonl")
    )


async def list_reviews(request: Request, context: SandboxContext) -> Response:
    parent = f"accounts/{request.path_params['account']}/locations/{request.path_params['location']}"
    if not _known_location(context, parent):
        raise RequestRejected("Requested entity was not found.", status=404)
    ordering = " ".join(request.query_params.get("orderBy", "updateTime desc").split()).lower()
    if ordering not in _ORDERINGS:
        raise RequestRejected(
            f"Invalid orderBy value {request.query_params.get('orderBy')!r}: use 'updateTime desc', 'rating' or 'rating desc'.",
            field="orderBy",
        )
    size = _page_size(request.query_params.get("pageSize"), MAX_PAGE_SIZE)
    position = _position(request.query_params.get("pageToken"))
    sort_name, sort_key, descending = _ORDERINGS[ordering]
    snapshot = context.store.snapshot("google/reviews.jsonl")
    prefix = parent + "/reviews/"

    def keep(review: Record) -> bool:
        return str(review.get("name", "")).startswith(prefix)

    page = keyset_page(
        snapshot.index(sort_name, sort_key), after=position, limit=size, descending=descending, keep=keep
    )
    ratings = [STAR_VALUES.get(review.get("starRating"), 0) for review in snapshot.records if keep(review)]
    body: dict[str, Any] = {}
    if page.records:
        body["reviews"] = context.record_faults.apply("reviews", REVIEW_SHAPE, page.records)
    if ratings:
        body["averageRating"] = round(sum(ratings) / len(ratings), 2)
        body["totalReviewCount"] = len(ratings)
    if page.has_more and page.last_key is not None:
        body["nextPageToken"] = encode_cursor({"after": list(page.last_key)})
    return json_response(body)


def account_and_location(record: Record) -> tuple[str, Record]:
    """(`accounts/{a}`, the v1 Location as served) of a world location record.

    World files write v1 Locations (`name: "locations/{id}"`) with an `account` routing key that is
    stripped here; an older world's v4-style `accounts/{a}/locations/{id}` name is split the same way.
    """
    name = str(record.get("name", ""))
    if "account" in record:
        location = {key: value for key, value in record.items() if key != "account"}
        return str(record["account"]), location
    account, _, rest = name.partition("/locations/")
    return account, {**record, "name": f"locations/{rest}"} if rest else record


def _account_locations(context: SandboxContext, account: str) -> SortedIndex:
    """The account's v1 Locations in name order (rebuilt per request: a handful of stores)."""
    located = [account_and_location(record) for record in context.store.records("google/locations.jsonl")]
    mine = sorted((location for owner, location in located if owner == account), key=lambda loc: str(loc["name"]))
    return SortedIndex(keys=[(str(loc["name"]),) for loc in mine], records=mine)


def _masked(record: Record, paths: list[str]) -> Record:
    """Only the fields named by a FieldMask (dotted paths reach into nested messages)."""
    kept: Record = {}
    for path in paths:
        source: Any = record
        steps = path.split(".")
        for step in steps:
            source = source.get(step) if isinstance(source, dict) else None
        if source is None:
            continue
        target = kept
        for step in steps[:-1]:
            target = target.setdefault(step, {})
        target[steps[-1]] = source
    return kept


def _read_mask(value: str | None) -> list[str]:
    if not value or not value.strip():
        raise RequestRejected(
            "Request contains an invalid argument.", field="read_mask", code="Field is required"
        )
    paths = [path.strip() for path in value.split(",") if path.strip()]
    unknown = [path for path in paths if path.split(".")[0] not in V1_LOCATION_FIELDS]
    if unknown:
        raise RequestRejected(
            "Request contains an invalid argument.", field="read_mask",
            code=f"Invalid field mask path: {unknown[0]}",
        )
    return paths


async def list_locations_v1(request: Request, context: SandboxContext) -> Response:
    """Business Information API v1 accounts.locations.list: readMask required, masked fields only."""
    params = request.query_params
    paths = _read_mask(params.get("readMask"))
    for unsupported in ("filter", "orderBy"):
        if params.get(unsupported):
            raise RequestRejected(f"The sandbox does not support `{unsupported}`.", field=unsupported)
    size = _page_size(params.get("pageSize"), MAX_LOCATIONS_PAGE_SIZE) if params.get("pageSize") else \
        V1_DEFAULT_PAGE_SIZE
    account = f"accounts/{request.path_params['account']}"
    page = keyset_page(_account_locations(context, account), after=_position(params.get("pageToken")), limit=size)
    body: dict[str, Any] = {}
    if page.records:
        body["locations"] = [_masked(location, paths) for location in page.records]
    if page.has_more and page.last_key is not None:
        body["nextPageToken"] = encode_cursor({"after": list(page.last_key)})
    return json_response(body)


async def list_locations(request: Request, context: SandboxContext) -> Response:
    """The retired v4 accounts.locations.list (names `accounts/{a}/locations/{id}`), kept so the v4
    discovery client can still walk locations to reviews; the connector lists through v1."""
    account = f"accounts/{request.path_params['account']}"
    size = _page_size(request.query_params.get("pageSize"), MAX_LOCATIONS_PAGE_SIZE)
    index = _account_locations(context, account)
    v4 = SortedIndex(
        keys=index.keys, records=[{**loc, "name": f"{account}/{loc['name']}"} for loc in index.records]
    )
    page = keyset_page(v4, after=_position(request.query_params.get("pageToken")), limit=size)
    body: dict[str, Any] = {}
    if page.records:
        body["locations"] = page.records
    if index.records:
        body["totalSize"] = len(index.records)
    if page.has_more and page.last_key is not None:
        body["nextPageToken"] = encode_cursor({"after": list(page.last_key)})
    return json_response(body)


async def discovery_document(request: Request) -> Response:
    """The v4 discovery document with `rootUrl` pointing at this sandbox (public, as Google's is)."""
    document = json.loads(DISCOVERY_DOCUMENT.read_text(encoding="utf-8"))
    document["rootUrl"] = str(request.base_url)
    document["baseUrl"] = str(request.base_url)
    return json_response(document)


def google_routes(gate: Gate) -> list[Route]:
    return [
        Route(
            "/v4/accounts/{account}/locations/{location}/reviews", gate.guard(list_reviews), methods=["GET"]
        ),
        Route("/v4/accounts/{account}/locations", gate.guard(list_locations), methods=["GET"]),
        Route("/v1/accounts/{account}/locations", gate.guard(list_locations_v1), methods=["GET"]),
        Route("/$discovery/rest", discovery_document, methods=["GET"]),
        Route("/discovery/v1/apis/mybusiness/v4/rest", discovery_document, methods=["GET"]),
    ]
