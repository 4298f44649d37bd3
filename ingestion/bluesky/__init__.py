"""Bluesky (AT Protocol XRPC) as a dlt source: `posts` mentioning the brand and the brand's own posts.

Two endpoints feed one table merged on `uri`: `app.bsky.feed.searchPosts` (q = brand query,
`since`, newest first) and `app.bsky.feed.getAuthorFeed` (the brand handle, newest first).
Pagination is dlt's JSONResponseCursorPaginator on `cursor`.

Posts have no update timestamp, yet their like/repost/reply/quote counts keep growing for days,
so an `indexedAt` cursor alone would freeze them at first sight. Each run therefore re-reads the
posts indexed within `engagement_window_days` before the last committed `indexedAt` and loads only
the posts that are new or whose content changed (a content hash per recent post is kept in the
resource state, committed with the load and pruned to the window). That is why this resource keeps
its cursor in resource state instead of `dlt.sources.incremental`, whose boundary logic would drop
the re-read posts.

Each post gets `feed`: `author` when the brand wrote it, else `search` (decided by the author, so a
post returned by both endpoints is labelled the same on every run). Reposts in the author feed are
someone else's posts and are skipped.

The user configures the brand's handle and an app password, never a token: the connector logs in
itself (`com.atproto.server.createSession`), and when the access JWT expires mid-run (HTTP 400/401
`ExpiredToken`, after about two hours on Bluesky) it refreshes the session
(`com.atproto.server.refreshSession` with the refresh JWT) and sends the refused request again; if the
refresh is refused too, it logs in afresh. Without a configured `brand_query` the search term is the
first distinctive word of the brand profile's display name (`app.bsky.actor.getProfile`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import dlt
import requests
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests.auth import AuthBase

from ingestion.common.errors import SourceError
from ingestion.common.http import RetryingSession, RetryPolicy, make_client
from ingestion.common.incremental import record_digest
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.timestamps import any_older_than, latest_timestamp, parse_timestamp, timestamp_of
from ingestion.common.validation import RecordSpec, latest_copy_hints, nullable_columns

SOURCE = "bluesky"
PAGE_SIZE = 100
SINCE_MARGIN = timedelta(days=1)  # `since` filters on sortAt, which may differ from indexedAt
CREDENTIAL_HINT = (
    "Set SOURCES__BLUESKY__HANDLE to the brand's handle and SOURCES__BLUESKY__APP_PASSWORD (or "
    "sources.bluesky.app_password in .dlt/secrets.toml) to an app password of that account "
    "(Bluesky Settings > Privacy and security > App passwords)."
)
CREATE_SESSION = "/xrpc/com.atproto.server.createSession"
REFRESH_SESSION = "/xrpc/com.atproto.server.refreshSession"

logger = logging.getLogger("seamline.ingestion")

POSTS = RecordSpec(
    primary_key="uri",
    cursor="indexedAt",
    timestamps=("record.createdAt",),
    types={"uri": "string", "cid": "string", "author": "object", "author.did": "string",
           "author.handle": "string", "record": "object", "record.text": "string",
           "replyCount": "integer", "repostCount": "integer", "likeCount": "integer", "quoteCount": "integer"},
    non_negative=("replyCount", "repostCount", "likeCount", "quoteCount"),
)

POST_COLUMNS = nullable_columns(author__display_name="text", feed="text", record__text="text")


def _is_expired_token(response: requests.Response) -> bool:
    """The PDS's answer to a stale access JWT: HTTP 400 (or 401) with error `ExpiredToken`."""
    if response.status_code not in (400, 401):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("error") == "ExpiredToken"


class _Bearer(AuthBase):
    """`Authorization: Bearer <jwt>` added at send time, so the JWT never sits in a logged header dict."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class BlueskySession(AuthBase):
    """An atproto session for the brand's handle: logs in on first use, renews when it expires.

    Used as the data client's auth (it adds the current access JWT to each request) and as its
    `renew` hook (an `ExpiredToken` answer refreshes the session, or logs in again when the refresh
    JWT is refused too). Login calls go through their own retrying session, outside dlt's request
    logging, so the app password and JWTs never reach a log line; every JWT is redacted from the
    errors of each session named in `redacting` (`redact_in`).
    """

    def __init__(self, base_url: str, handle: str, app_password: str, max_retry_seconds: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.handle = handle
        self.app_password = app_password
        self.login = RetryingSession(SOURCE, RetryPolicy(max_total_seconds=max_retry_seconds),
                                     [app_password], CREDENTIAL_HINT)
        self.redacting: list[RetryingSession] = [self.login]
        self.access_jwt: str | None = None
        self.refresh_jwt: str | None = None
        self.refreshes = 0
        self.logins = 0

    def _take(self, response: requests.Response) -> None:
        body = response.json()
        self.access_jwt, self.refresh_jwt = body["accessJwt"], body["refreshJwt"]
        for session in self.redacting:
            session.add_secret(self.access_jwt)
            session.add_secret(self.refresh_jwt)

    def redact_in(self, session: Any) -> None:
        """Keep this session's JWTs out of `session`'s error messages too."""
        if isinstance(session, RetryingSession):
            self.redacting.append(session)

    def create(self) -> None:
        """com.atproto.server.createSession with the handle and the app password."""
        self._take(self.login.post(self.base_url + CREATE_SESSION,
                                   json={"identifier": self.handle, "password": self.app_password}))
        self.logins += 1
        logger.info("%s: logged in as %s", SOURCE, self.handle)

    def refresh_or_create(self) -> None:
        """com.atproto.server.refreshSession; a refused refresh JWT means logging in again."""
        try:
            self._take(self.login.post(self.base_url + REFRESH_SESSION, auth=_Bearer(self.refresh_jwt or "")))
            self.refreshes += 1
            logger.info("%s: access token expired; session refreshed", SOURCE)
        except SourceError as refused:
            logger.info("%s: session refresh refused (%s); logging in again", SOURCE, refused.problem[:60])
            self.create()

    def renew(self, response: requests.Response) -> Mapping[str, str] | None:
        """New headers for a request refused with `ExpiredToken`; None for any other refusal."""
        if not _is_expired_token(response):
            return None
        self.refresh_or_create()
        return {"Authorization": f"Bearer {self.access_jwt}"}

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.access_jwt is None:
            self.create()
        request.headers["Authorization"] = f"Bearer {self.access_jwt}"
        return request


LEADING_ARTICLES = {"the", "a", "an", "la", "le", "les", "el", "los", "las", "die", "der", "das"}


def brand_search_terms(client: RESTClient, handle: str) -> list[str]:
    """Default search terms: the first distinctive word of the brand profile's display name.

    People call a brand by its distinctive word ("larkspur" for "Larkspur Supply Co."), and search
    matches posts containing every word of a query, so the full name would miss most mentions. A
    distinctive word may be an ordinary word too (a flower, a town): search returns those posts as
    well, and dbt's brand-mention classifier keeps only the ones about the brand. A profile without a
    display name falls back to the handle's first label (`larkspur` of `larkspur.bsky.social`). Set
    `brand_query` (comma-separated terms) when people call the brand something else.
    """
    profile = client.get("/xrpc/app.bsky.actor.getProfile", params={"actor": handle}).json()
    name = str(profile.get("displayName") or "").strip() if isinstance(profile, dict) else ""
    words = [word.strip(".,&'\"()!") for word in name.split()]
    words = [word for word in words if len(word) >= 3 and word.lower() not in LEADING_ARTICLES]
    if not words:
        logger.warning("%s: profile %s has no usable display name; searching for its handle's first label "
                       "(set SOURCES__BLUESKY__BRAND_QUERY to choose)", SOURCE, handle)
        return [handle.split(".")[0]]
    return [words[0]]


def query_terms(brand_query: str | None) -> list[str]:
    """`brand_query` as a list of search terms (comma-separated), or [] when unset."""
    return [term.strip() for term in (brand_query or "").split(",") if term.strip()]


def _cursor() -> JSONResponseCursorPaginator:
    """Cursor paging that also ends on an empty page: search may hand out a cursor past the last hit."""
    return JSONResponseCursorPaginator(cursor_path="cursor", cursor_param="cursor", stop_after_empty_page=True)


class RecentPosts:
    """Content hashes of the posts inside the engagement window, kept in the resource's dlt state."""

    def __init__(self, state: dict[str, Any], start_date: str, window: timedelta) -> None:
        self.state = state
        self.window = window
        self.newest: str = state.setdefault("last_indexed_at", start_date)
        self.window_start = parse_timestamp(self.newest) - window
        self.hashes: dict[str, list[str]] = state.setdefault("recent_posts", {})  # uri -> [hash, indexedAt]

    def changed(self, posts: list[Any]) -> list[Any]:
        """New posts and posts whose content differs from the last committed run.

        Posts older than the window were loaded by an earlier run and are settled: they are skipped.
        """
        fresh = []
        for post in posts:
            indexed = timestamp_of(post, "indexedAt")
            if indexed is not None and indexed < self.window_start:
                continue
            if not isinstance(post, dict):
                fresh.append(post)
                continue
            digest = record_digest(post)
            uri = str(post.get("uri"))
            if self.hashes.get(uri, [None])[0] != digest:
                fresh.append(post)
            if indexed is not None:
                self.hashes[uri] = [digest, post["indexedAt"]]
                self.newest = latest_timestamp([self.newest, post["indexedAt"]])
        return fresh

    def commit(self) -> None:
        """Advance the cursor and forget posts that left the engagement window."""
        self.state["last_indexed_at"] = self.newest
        oldest = parse_timestamp(self.newest) - self.window
        for uri in [u for u, (_, at) in self.hashes.items() if parse_timestamp(at) < oldest]:
            del self.hashes[uri]


def _posts(client: RESTClient, brand_query: str | None, brand_handle: str, start_date: str,
           window: timedelta) -> DltResource:
    def label(posts: list[Any]) -> list[Any]:
        for post in posts:
            if isinstance(post, dict):
                author = post.get("author")
                handle = author.get("handle") if isinstance(author, dict) else None
                post["feed"] = "author" if handle == brand_handle else "search"
        return posts

    @dlt.resource(name="posts", primary_key="uri", write_disposition="merge", columns=latest_copy_hints(POSTS, POST_COLUMNS))
    def posts() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "posts", POSTS)
        recent = RecentPosts(dlt.current.resource_state(), start_date, window)
        window_start = recent.window_start
        since = (window_start - SINCE_MARGIN).strftime("%Y-%m-%dT%H:%M:%SZ")
        for query in query_terms(brand_query) or brand_search_terms(client, brand_handle):
            search = {"q": query, "limit": PAGE_SIZE, "sort": "latest", "since": since}
            for page in client.paginate("/xrpc/app.bsky.feed.searchPosts", params=search, paginator=_cursor(),
                                        data_selector="posts"):
                yield from validate(recent.changed(label(page)), note=f"search {query}")
                if any_older_than(page, "indexedAt", window_start - SINCE_MARGIN):
                    break
        feed = {"actor": brand_handle, "limit": PAGE_SIZE}
        for page in client.paginate("/xrpc/app.bsky.feed.getAuthorFeed", params=feed, paginator=_cursor(),
                                    data_selector="feed"):
            own = [item.get("post") for item in page if isinstance(item, dict) and not item.get("reason")]
            yield from validate(recent.changed(label(own)), note="author")
            if any_older_than(own, "indexedAt", window_start):
                break
        recent.commit()

    return posts


@dlt.source(name=SOURCE)
def bluesky_source(
    base_url: str = dlt.config.value,
    handle: str = dlt.config.value,
    app_password: str = dlt.secrets.value,
    brand_query: str | None = None,
    start_date: str = "2000-01-01T00:00:00Z",
    engagement_window_days: float = 7.0,
    max_retry_seconds: float = 120.0,
) -> DltResource:
    """Brand mentions and the brand's own posts, merged on `uri`, incremental on `indexedAt`.

    Posts indexed within `engagement_window_days` of the newest loaded post are re-read each run
    so that their growing engagement counts are updated.

    `base_url` is the brand account's PDS (`https://bsky.social`); `handle` is the brand's handle,
    both the login and the author of the brand's own feed; `app_password` is an app password of that
    account; `brand_query` (comma-separated search terms) defaults to the first distinctive word of
    the brand profile's display name.
    """
    session = BlueskySession(base_url, handle, app_password, max_retry_seconds)
    client = make_client(SOURCE, base_url, auth=session, renew=session.renew, secrets=[app_password],
                         credential_hint=CREDENTIAL_HINT, max_retry_seconds=max_retry_seconds)
    session.redact_in(client.session)
    return _posts(client, brand_query, handle, start_date, timedelta(days=engagement_window_days))
