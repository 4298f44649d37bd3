"""The retrying session: vendor back-off headers, bounded retry time, clean auth failures."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.common.errors import SourceAuthError, SourceUnavailableError
from ingestion.common.http import make_client

TOKEN = "shpat_secret_token_123"


def scripted(*responses: StubResponse) -> Callable[[StubRequest], StubResponse]:
    """A handler answering with `responses` in order, then 200s."""
    queue = list(responses)

    def handler(request: StubRequest) -> StubResponse:
        return queue.pop(0) if queue else StubResponse(body={"ok": True})

    return handler


def test_429_waits_for_retry_after_then_succeeds_while_paginating() -> None:
    with StubServer(scripted(StubResponse(429, {}, {"Retry-After": "0.3"}),
                             StubResponse(429, {}, {"Retry-After": "0.3"}))) as stub:
        client = make_client("shopify", stub.url, data_selector="ok")
        started = time.monotonic()
        assert [page for page in client.paginate("/customers.json")] == [[True]]
        assert len(stub.requests) == 3
        assert time.monotonic() - started >= 0.6


def test_ratelimit_reset_epoch_seconds_is_honoured() -> None:
    reset_at = int(time.time()) + 2
    with StubServer(scripted(StubResponse(429, {"error": "RateLimitExceeded"}, {"RateLimit-Reset": str(reset_at)}))) as stub:
        client = make_client("bluesky", stub.url)
        client.get("/xrpc/app.bsky.feed.searchPosts")
        assert time.time() >= reset_at - 0.05
        assert len(stub.requests) == 2


def test_5xx_burst_is_ridden_out() -> None:
    with StubServer(scripted(*[StubResponse(503, {"errors": []})] * 3)) as stub:
        client = make_client("square", stub.url)
        assert client.get("/v2/locations").json() == {"ok": True}
        assert len(stub.requests) == 4


def test_gives_up_within_the_retry_budget_naming_source_and_endpoint() -> None:
    with StubServer(lambda request: StubResponse(503, {"errors": []})) as stub:
        client = make_client("square", stub.url, max_retry_seconds=1.5)
        started = time.monotonic()
        with pytest.raises(SourceUnavailableError) as failure:
            client.get("/v2/payments", params={"cursor": "abc"})
        assert time.monotonic() - started < 3
        message = str(failure.value)
        assert message.startswith("square: GET /v2/payments: gave up after")
        assert "HTTP 503" in message and "SOURCES__SQUARE__MAX_RETRY_SECONDS" in message


def test_wrong_token_fails_fast_without_the_token_in_the_message() -> None:
    with StubServer(lambda request: StubResponse(401, {"errors": "[API] Invalid API key or access token"})) as stub:
        client = make_client("shopify", stub.url, secrets=[TOKEN], credential_hint="Set SOURCES__SHOPIFY__ACCESS_TOKEN.",
                             headers={"X-Shopify-Access-Token": TOKEN})
        started = time.monotonic()
        with pytest.raises(SourceAuthError) as failure:
            client.get("/customers.json")
        assert time.monotonic() - started < 1
        assert len(stub.requests) == 1
        assert str(failure.value) == (
            "shopify: GET /customers.json: HTTP 401: the credentials were refused. Set SOURCES__SHOPIFY__ACCESS_TOKEN."
        )
        assert TOKEN not in str(failure.value)


def test_invalid_utf8_in_one_string_keeps_the_page_readable() -> None:
    raw = b'{"reviews": [{"reviewId": "a", "comment": "ok"}, {"reviewId": "b", "comment": "b\xffad"}]}'
    with StubServer(lambda request: StubResponse(raw=raw)) as stub:
        reviews = make_client("google_reviews", stub.url).get("/v4/x").json()["reviews"]
    assert reviews[0] == {"reviewId": "a", "comment": "ok"}
    assert reviews[1]["comment"] == "b\udcffad"
