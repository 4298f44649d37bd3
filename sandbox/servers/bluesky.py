"""Bluesky AppView XRPC sandbox: app.bsky.feed.searchPosts, app.bsky.feed.getAuthorFeed and
app.bsky.actor.getProfile (the login endpoints live in bluesky_sessions.py).

Faithful: XRPC error bodies `{"error", "message"}`, parameter validation from the lexicons (`q` and
`actor` required, `limit` 1..100 with defaults 25 and 50), `cursor` absent on the last page,
`hitsTotal`, `since` (inclusive) / `until` (exclusive) on `sortAt` (the earlier of `indexedAt` and
`record.createdAt`), `sort` latest/top, `author` and `lang` filters, getAuthorFeed's `filter`, Bearer
auth (getAuthorFeed works without a token, as its lexicon says; searchPosts needs one) and the
`RateLimit-Limit/Remaining/Reset/Policy` headers on every answer, 429 `RateLimitExceeded` over it.
"""

from __future__ import annotations

import shlex
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.servers.bluesky_sessions import session_routes, xrpc_error
from sandbox.servers.errors import RequestRejected
from sandbox.servers.faults import RecordShape
from sandbox.servers.gate import AuthProblem, Gate, SandboxContext, bearer_token, json_response
from sandbox.servers.paging import cursor_position, encode_cursor, keyset_page
from sandbox.servers.ratelimit import BucketState
from sandbox.servers.store import Record, SortKey, WorldStore
from sandbox.servers.timeparse import TimestampError, instant_or_zero, parse_instant

POST_SHAPE = RecordShape(
    id="uri", timestamp="record.createdAt", text="record.text", amount="likeCount", drifting="likeCount"
)
POSTS_FILE = "bluesky/posts.jsonl"
_AUTHOR_FILTERS = {
    "posts_with_replies",
    "posts_no_replies",
    "posts_with_media",
    "posts_and_author_threads",
    "posts_with_video",
}


class BlueskyProfile:
    name = "bluesky"
    issues_sessions = True

    def presented_token(self, request: Request) -> str | None:
        return bearer_token(request)

    def auth_error(self, problem: AuthProblem) -> Response:
        if problem == "missing":
            return xrpc_error(401, "AuthMissing", "Authentication Required")
        if problem == "forbidden":
            return xrpc_error(403, "InsufficientScope", "Bad token scope")
        if problem == "expired":  # the PDS's answer to a stale access JWT: the client refreshes
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        return xrpc_error(401, "InvalidToken", "Token could not be verified")

    def rate_limited(self, state: BucketState) -> Response:
        return xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded")

    def server_error(self, status: int) -> Response:
        names = {
            500: "InternalServerError",
            502: "UpstreamFailure",
            503: "NotEnoughResources",
            504: "UpstreamTimeout",
        }
        return xrpc_error(status, names[status], "Internal Server Error" if status == 500 else names[status])

    def not_found(self) -> Response:
        return xrpc_error(501, "MethodNotImplemented", "Method Not Implemented")

    def rejected(self, error: RequestRejected) -> Response:
        return xrpc_error(error.status, error.code or "InvalidRequest", error.message)

    def limit_headers(self, state: BucketState) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(state.size),
            "RateLimit-Remaining": str(max(0, state.size - state.used)),
            "RateLimit-Reset": str(state.reset_epoch),
            "RateLimit-Policy": f"{state.size};w={state.window_seconds}",
        }


def sort_at(post: Record) -> float:
    """The AppView's `sortAt`: the earlier of indexedAt and the record's own createdAt."""
    indexed = instant_or_zero(post.get("indexedAt"))
    created = instant_or_zero((post.get("record") or {}).get("createdAt"))
    return min(indexed, created) if created else indexed


def _latest_key(post: Record) -> SortKey:
    return (sort_at(post), str(post.get("uri", "")))


def _top_key(post: Record) -> SortKey:
    return (int(post.get("likeCount") or 0), sort_at(post), str(post.get("uri", "")))


def _limit(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        limit = int(value)
    except ValueError as exc:
        raise RequestRejected("Error: limit must be an integer") from exc
    if limit < 1:
        raise RequestRejected("Error: limit can not be less than 1")
    if limit > 100:
        raise RequestRejected("Error: limit can not be greater than 100")
    return limit


def _bound(value: str | None, name: str) -> float | None:
    if not value:
        return None
    try:
        return parse_instant(value)
    except TimestampError as exc:
        raise RequestRejected(f"Error: {name} must be a valid datetime or date") from exc


def _position(cursor: str | None) -> SortKey | None:
    return cursor_position(cursor, RequestRejected("Error: malformed cursor", field="cursor"))


def _query_terms(query: str) -> list[str]:
    try:
        terms = shlex.split(query)
    except ValueError:
        terms = query.split()
    return [term.lower() for term in terms if term]


def _is_author(post: Record, actor: str) -> bool:
    author = post.get("author") or {}
    return actor.lower() in (str(author.get("did", "")).lower(), str(author.get("handle", "")).lower())


async def search_posts(request: Request, context: SandboxContext) -> Response:
    params = request.query_params
    query = params.get("q")
    if not query:
        raise RequestRejected('Error: Params must have the property "q"')
    limit = _limit(params.get("limit"), 25)
    sort = params.get("sort", "latest")
    since, until = _bound(params.get("since"), "since"), _bound(params.get("until"), "until")
    terms = _query_terms(query)
    author, lang = params.get("author"), params.get("lang")

    def keep(post: Record) -> bool:
        record = post.get("record") or {}
        text = str(record.get("text", "")).lower()
        moment = sort_at(post)
        return (
            all(term in text for term in terms)
            and (since is None or moment >= since)
            and (until is None or moment < until)
            and (author is None or _is_author(post, author))
            and (lang is None or lang in (record.get("langs") or []))
        )

    snapshot = context.store.snapshot(POSTS_FILE)
    index = snapshot.index("top", _top_key) if sort == "top" else snapshot.index("latest", _latest_key)
    page = keyset_page(index, after=_position(params.get("cursor")), limit=limit, descending=True, keep=keep)
    body: dict[str, Any] = {"posts": context.record_faults.apply("posts", POST_SHAPE, page.records)}
    if page.has_more and page.last_key is not None:
        body["cursor"] = encode_cursor({"after": list(page.last_key)})
    body["hitsTotal"] = sum(1 for post in snapshot.records if keep(post))
    return json_response(body)


def _author_filter(name: str):
    if name not in _AUTHOR_FILTERS:
        raise RequestRejected(f"Error: filter must be one of {sorted(_AUTHOR_FILTERS)}")
    if name == "posts_no_replies":
        return lambda post: not (post.get("record") or {}).get("reply")
    if name in ("posts_with_media", "posts_with_video"):
        return lambda post: bool(post.get("embed"))
    return lambda post: True


async def get_author_feed(request: Request, context: SandboxContext) -> Response:
    params = request.query_params
    actor = params.get("actor")
    if not actor:
        raise RequestRejected('Error: Params must have the property "actor"')
    limit = _limit(params.get("limit"), 50)
    wanted = _author_filter(params.get("filter", "posts_with_replies"))
    snapshot = context.store.snapshot(POSTS_FILE)
    if not any(_is_author(post, actor) for post in snapshot.records):
        raise RequestRejected("Profile not found")
    page = keyset_page(
        snapshot.index("latest", _latest_key),
        after=_position(params.get("cursor")),
        limit=limit,
        descending=True,
        keep=lambda post: _is_author(post, actor) and wanted(post),
    )
    served = context.record_faults.apply("posts", POST_SHAPE, page.records)
    body: dict[str, Any] = {"feed": [{"post": post} for post in served]}
    if page.has_more and page.last_key is not None:
        body["cursor"] = encode_cursor({"after": list(page.last_key)})
    return json_response(body)


def author_of(store: WorldStore, actor: str) -> dict[str, Any] | None:
    """The author record of a world account, by handle or did."""
    return next((post["author"] for post in store.records(POSTS_FILE) if _is_author(post, actor)), None)


async def get_profile(request: Request, context: SandboxContext) -> Response:
    """app.bsky.actor.getProfile for the authors in the world (atproto's `login` looks the user up)."""
    actor = request.query_params.get("actor")
    if not actor:
        raise RequestRejected('Error: Params must have the property "actor"')
    author = author_of(context.store, actor)
    if author is None:
        raise RequestRejected("Profile not found")
    posts = sum(1 for post in context.store.records(POSTS_FILE) if _is_author(post, actor))
    return json_response(
        {
            **{key: author[key] for key in ("did", "handle", "displayName") if key in author},
            "postsCount": posts,
        }
    )


def bluesky_routes(gate: Gate) -> list[Route]:
    return [
        Route("/xrpc/app.bsky.feed.searchPosts", gate.guard(search_posts), methods=["GET"]),
        Route(
            "/xrpc/app.bsky.feed.getAuthorFeed",
            gate.guard(get_author_feed, auth_optional=True),
            methods=["GET"],
        ),
        Route(
            "/xrpc/app.bsky.actor.getProfile", gate.guard(get_profile, auth_optional=True), methods=["GET"]
        ),
        *session_routes(gate, author_of),
    ]
