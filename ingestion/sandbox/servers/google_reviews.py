"""Google Business Profile API v4 sandbox: accounts.locations.reviews.list and accounts.locations.list.

Faithful: Bearer auth with Google's `{"error": {code, message, status, errors}}` bodies (401
UNAUTHENTICATED, 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED, 404 NOT_FOUND), `pageSize` (max 50,
larger values are clamped), `pageToken`/`nextPageToken` (absent on the last page), `orderBy`
`updateTime desc` (default), `rating`, `rating desc` (anything else is INVALID_ARGUMENT),
`averageRating` (double) and `totalReviewCount` (int32) over the location's reviews, and proto3 JSON
omission (no `reviews` key, no zero totals when a location has none). It also serves its own discovery
document at `/$discovery/rest?version=v4` so `googleapiclient.discovery.build` can read the sandbox.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ingestion.sandbox.servers.errors import RequestRejected
from ingestion.sandbox.servers.faults import RecordShape
from ingestion.sandbox.servers.gate import AuthProblem, Gate, SandboxContext, bearer_token, json_response
from ingestion.sandbox.servers.paging import cursor_position, encode_cursor, keyset_page
from ingestion.sandbox.servers.ratelimit import BucketState
from ingestion.sandbox.servers.store import Record, SortKey
from ingestion.sandbox.servers.timeparse import instant_or_zero

MAX_PAGE_SIZE = 50
MAX_LOCATIONS_PAGE_SIZE = 100
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


def google_error(code: int, message: str) -> Response:
    status, reason = _STATUS_REASONS[code]
    body = {
        "error": {
            "code": code,
            "message": message,
            "status": status,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
        }
    }
    return json_response(body, code)


class GoogleProfile:
    name = "google_reviews"

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
        return google_error(error.status, error.message)

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
    locations = context.store.records("google/locations.jsonl")
    if any(location.get("name") == parent for location in locations):
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


async def list_locations(request: Request, context: SandboxContext) -> Response:
    account = f"accounts/{request.path_params['account']}/"
    size = _page_size(request.query_params.get("pageSize"), MAX_LOCATIONS_PAGE_SIZE)
    position = _position(request.query_params.get("pageToken"))
    snapshot = context.store.snapshot("google/locations.jsonl")
    index = snapshot.index("name", lambda location: (str(location.get("name", "")),))
    page = keyset_page(
        index,
        after=position,
        limit=size,
        keep=lambda location: str(location.get("name", "")).startswith(account),
    )
    body: dict[str, Any] = {}
    if page.records:
        body["locations"] = page.records
    total = sum(1 for location in snapshot.records if str(location.get("name", "")).startswith(account))
    if total:
        body["totalSize"] = total
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
        Route("/$discovery/rest", discovery_document, methods=["GET"]),
        Route("/discovery/v1/apis/mybusiness/v4/rest", discovery_document, methods=["GET"]),
    ]
