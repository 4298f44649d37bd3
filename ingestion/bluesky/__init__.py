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
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator

from ingestion.common.http import make_client
from ingestion.common.incremental import record_digest
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.timestamps import any_older_than, latest_timestamp, parse_timestamp, timestamp_of
from ingestion.common.validation import RecordSpec, nullable_columns

SOURCE = "bluesky"
PAGE_SIZE = 100
SINCE_MARGIN = timedelta(days=1)  # `since` filters on sortAt, which may differ from indexedAt
CREDENTIAL_HINT = (
    "Set SOURCES__BLUESKY__ACCESS_TOKEN (or sources.bluesky.access_token in .dlt/secrets.toml) to a "
    "current access JWT from com.atproto.server.createSession (they expire after a few hours)."
)

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


def _posts(client: RESTClient, brand_query: str, brand_handle: str, start_date: str, window: timedelta) -> DltResource:
    def label(posts: list[Any]) -> list[Any]:
        for post in posts:
            if isinstance(post, dict):
                author = post.get("author")
                handle = author.get("handle") if isinstance(author, dict) else None
                post["feed"] = "author" if handle == brand_handle else "search"
        return posts

    @dlt.resource(name="posts", primary_key="uri", write_disposition="merge", columns=POST_COLUMNS)
    def posts() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "posts", POSTS)
        recent = RecentPosts(dlt.current.resource_state(), start_date, window)
        window_start = recent.window_start
        since = (window_start - SINCE_MARGIN).strftime("%Y-%m-%dT%H:%M:%SZ")
        search = {"q": brand_query, "limit": PAGE_SIZE, "sort": "latest", "since": since}
        for page in client.paginate("/xrpc/app.bsky.feed.searchPosts", params=search, paginator=_cursor(),
                                    data_selector="posts"):
            yield from validate(recent.changed(label(page)), note="search")
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
    access_token: str = dlt.secrets.value,
    brand_query: str = dlt.config.value,
    brand_handle: str = dlt.config.value,
    start_date: str = "2000-01-01T00:00:00Z",
    engagement_window_days: float = 7.0,
    max_retry_seconds: float = 120.0,
) -> DltResource:
    """Brand mentions and the brand's own posts, merged on `uri`, incremental on `indexedAt`.

    Posts indexed within `engagement_window_days` of the newest loaded post are re-read each run
    so that their growing engagement counts are updated.

    `base_url` is the PDS or AppView host (`https://bsky.social` with a session token).
    """
    client = make_client(
        SOURCE,
        base_url,
        auth=BearerTokenAuth(access_token),
        secrets=[access_token],
        credential_hint=CREDENTIAL_HINT,
        max_retry_seconds=max_retry_seconds,
    )
    return _posts(client, brand_query, brand_handle, start_date, timedelta(days=engagement_window_days))
