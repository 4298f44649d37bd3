"""Bluesky (AT Protocol XRPC) as a dlt source: `posts` mentioning the brand and the brand's own posts.

Two endpoints feed one table merged on `uri`: `app.bsky.feed.searchPosts` (q = brand query,
`since` = last committed `indexedAt` minus a safety margin, newest first) and
`app.bsky.feed.getAuthorFeed` (the brand handle, newest first, read until posts older than the
cursor). Pagination is dlt's JSONResponseCursorPaginator on `cursor`. Each post gets `feed`:
`author` when the brand wrote it, else `search` (decided by the author, so a post returned by both
endpoints is labelled the same on every run). Reposts in the author feed are someone else's posts
and are skipped.
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
from ingestion.common.incremental import timestamp_cursor
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.timestamps import parse_timestamp
from ingestion.common.validation import RecordSpec

SOURCE = "bluesky"
PAGE_SIZE = 100
SINCE_MARGIN = timedelta(days=1)  # `since` filters on sortAt, which may precede indexedAt
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


def _cursor() -> JSONResponseCursorPaginator:
    return JSONResponseCursorPaginator(cursor_path="cursor", cursor_param="cursor")


def _older_than(post: Any, instant: Any) -> bool:
    try:
        return parse_timestamp(post["indexedAt"]) < instant
    except (KeyError, TypeError, ValueError):
        return False


def _posts(client: RESTClient, brand_query: str, brand_handle: str, start_date: str) -> DltResource:
    def label(posts: list[Any]) -> list[Any]:
        for post in posts:
            if isinstance(post, dict):
                author = post.get("author")
                handle = author.get("handle") if isinstance(author, dict) else None
                post["feed"] = "author" if handle == brand_handle else "search"
        return posts

    @dlt.resource(name="posts", primary_key="uri", write_disposition="merge")
    def posts(indexed_at: dlt.sources.incremental = timestamp_cursor("indexedAt", start_date)) -> Iterator[Any]:  # noqa: B008
        validate = EdgeValidator(SOURCE, "posts", POSTS)
        known = parse_timestamp(indexed_at.start_value)
        since = (known - SINCE_MARGIN).strftime("%Y-%m-%dT%H:%M:%SZ")
        search = {"q": brand_query, "limit": PAGE_SIZE, "sort": "latest", "since": since}
        for page in client.paginate("/xrpc/app.bsky.feed.searchPosts", params=search, paginator=_cursor(),
                                    data_selector="posts"):
            yield from validate(label(page), note="search")
            if any(_older_than(post, known - SINCE_MARGIN) for post in page):
                break
        feed = {"actor": brand_handle, "limit": PAGE_SIZE}
        for page in client.paginate("/xrpc/app.bsky.feed.getAuthorFeed", params=feed, paginator=_cursor(),
                                    data_selector="feed"):
            own = [item.get("post") for item in page if isinstance(item, dict) and not item.get("reason")]
            yield from validate(label(own), note="author")
            if any(_older_than(post, known) for post in own):
                break

    return posts


@dlt.source(name=SOURCE)
def bluesky_source(
    base_url: str = dlt.config.value,
    access_token: str = dlt.secrets.value,
    brand_query: str = dlt.config.value,
    brand_handle: str = dlt.config.value,
    start_date: str = "2000-01-01T00:00:00Z",
    max_retry_seconds: float = 120.0,
) -> DltResource:
    """Brand mentions and the brand's own posts, merged on `uri`, incremental on `indexedAt`.

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
    return _posts(client, brand_query, brand_handle, start_date)
