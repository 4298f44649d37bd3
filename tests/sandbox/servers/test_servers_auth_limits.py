"""Auth errors (401 bad/missing token, 403 token without scope) and rate limits with each vendor's
headers and 429 body."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from servers_http import VendorHttp, review_parents

from sandbox.servers import Budget, RateLimits, Sandboxes, start_sandboxes


def _probes(world_dir) -> dict[str, Callable[[VendorHttp], requests.Response]]:
    parent = review_parents(world_dir)[0]
    return {
        "shopify": lambda http: http.shopify("/customers.json", limit=1),
        "square": lambda http: http.square("GET", "/v2/customers", limit=1),
        "google_reviews": lambda http: http.google(f"/v4/{parent}/reviews", pageSize=1),
        "bluesky": lambda http: http.bluesky("app.bsky.feed.searchPosts", q="a", limit=1),
    }


def _error_code(vendor: str, response: requests.Response) -> str:
    body = response.json()
    return {
        "shopify": lambda: body["errors"][:5],
        "square": lambda: body["errors"][0]["code"],
        "google_reviews": lambda: body["error"]["status"],
        "bluesky": lambda: body["error"],
    }[vendor]()


def test_each_vendor_rejects_missing_wrong_and_unscoped_tokens(sandboxes: Sandboxes, world_dir) -> None:
    outcomes = {}
    for vendor, probe in _probes(world_dir).items():
        missing = probe(VendorHttp(sandboxes, anonymous=True))
        wrong = probe(VendorHttp(sandboxes, token="not-the-token"))
        unscoped = probe(VendorHttp(sandboxes, token=sandboxes.unscoped_token))
        outcomes[vendor] = [(r.status_code, _error_code(vendor, r)) for r in (missing, wrong, unscoped)]
    assert outcomes == {
        "shopify": [(401, "[API]"), (401, "[API]"), (403, "[API]")],
        "square": [(401, "UNAUTHORIZED"), (401, "UNAUTHORIZED"), (403, "INSUFFICIENT_SCOPES")],
        "google_reviews": [(401, "UNAUTHENTICATED"), (401, "UNAUTHENTICATED"), (403, "PERMISSION_DENIED")],
        "bluesky": [(401, "AuthMissing"), (401, "InvalidToken"), (403, "InsufficientScope")],
    }


def test_bluesky_author_feed_needs_no_token_but_rejects_a_bad_one(
    sandboxes: Sandboxes, world_dir: Path
) -> None:
    handle = json.loads((world_dir / "manifest.json").read_text())["brand"]["bluesky_handle"]
    url = sandboxes.base_urls["bluesky"] + "/xrpc/app.bsky.feed.getAuthorFeed"
    assert requests.get(url, params={"actor": handle}).status_code == 200
    bad = requests.get(url, params={"actor": handle}, headers={"Authorization": "Bearer nope"})
    assert (bad.status_code, bad.json()["error"]) == (401, "InvalidToken")


@pytest.fixture
def throttled(world_dir: Path) -> Iterator[Sandboxes]:
    """Small buckets that refill slowly, so a burst of requests overflows them quickly."""
    limits = RateLimits(
        shopify=Budget(size=5, refill_per_second=1.0),
        square=Budget(size=3, refill_per_second=1.0),
        google_reviews=Budget(size=3, refill_per_second=1.0),
        bluesky=Budget(size=4, refill_per_second=1.0),
    )
    with start_sandboxes(world_dir, rate_limits=limits) as running:
        yield running


def test_shopify_leaky_bucket_headers_and_retry_after(throttled: Sandboxes) -> None:
    http = VendorHttp(throttled)
    responses = [http.shopify("/customers.json", limit=1) for _ in range(7)]
    assert [r.status_code for r in responses[:5]] == [200] * 5
    assert [r.headers["X-Shopify-Shop-Api-Call-Limit"] for r in responses[:5]] == [
        "1/5",
        "2/5",
        "3/5",
        "4/5",
        "5/5",
    ]
    limited = responses[5]
    assert limited.status_code == 429
    assert limited.json()["errors"].startswith("Exceeded 2 calls per second")
    retry_after = float(limited.headers["Retry-After"])
    assert 0.5 <= retry_after <= 2.0
    time.sleep(retry_after)
    assert http.shopify("/customers.json", limit=1).status_code == 200


def test_shopify_real_bucket_allows_a_burst_of_40(world_dir: Path) -> None:
    with start_sandboxes(world_dir, rate_limits=RateLimits.vendor_defaults()) as running:
        http = VendorHttp(running)
        statuses = [http.shopify("/products.json", limit=1).status_code for _ in range(50)]
    assert statuses[:40] == [200] * 40
    assert 429 in statuses[40:]


def test_square_google_bluesky_answer_429_in_their_own_shape(throttled: Sandboxes, world_dir) -> None:
    probes = _probes(world_dir)
    http = VendorHttp(throttled)
    square = [probes["square"](http) for _ in range(4)]
    google = [probes["google_reviews"](http) for _ in range(4)]
    bluesky = [probes["bluesky"](http) for _ in range(5)]
    assert [r.status_code for r in square] == [200, 200, 200, 429]
    assert square[-1].json() == {
        "errors": [{"category": "RATE_LIMIT_ERROR", "code": "RATE_LIMITED", "detail": "Rate limited."}]
    }
    assert [r.status_code for r in google] == [200, 200, 200, 429]
    error = google[-1].json()["error"]
    assert (error["code"], error["status"], error["errors"][0]["reason"]) == (
        429,
        "RESOURCE_EXHAUSTED",
        "rateLimitExceeded",
    )
    assert [r.status_code for r in bluesky] == [200, 200, 200, 200, 429]
    assert bluesky[-1].json()["error"] == "RateLimitExceeded"


def test_bluesky_ratelimit_headers(throttled: Sandboxes) -> None:
    http = VendorHttp(throttled)
    responses = [http.bluesky("app.bsky.feed.searchPosts", q="a", limit=1) for _ in range(5)]
    assert [r.headers["RateLimit-Limit"] for r in responses] == ["4"] * 5
    assert [int(r.headers["RateLimit-Remaining"]) for r in responses] == [3, 2, 1, 0, 0]
    assert all(r.headers["RateLimit-Policy"] == "4;w=4" for r in responses)
    now = time.time()
    assert all(now - 1 <= int(r.headers["RateLimit-Reset"]) <= now + 6 for r in responses)


def test_vendor_default_numbers_are_the_published_ones() -> None:
    real = RateLimits.vendor_defaults()
    assert (real.shopify.size, real.shopify.refill_per_second) == (40, 2.0)
    assert (real.bluesky.size, real.bluesky.window_seconds) == (3000, 300)
