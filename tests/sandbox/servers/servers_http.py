"""Plain-HTTP clients for the sandbox tests: one request helper and one page walker per vendor,
written from the vendors' documentation (the SDK tests use the vendors' own clients instead)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from sandbox.servers import Sandboxes

LINK = re.compile(r'<([^>]+)>; rel="(next|previous)"')
MAX_PAGES = 10_000


def parse_link_header(value: str | None) -> dict[str, str]:
    """Shopify's Link header as {rel: absolute url}."""
    return {rel: url for url, rel in LINK.findall(value or "")}


@dataclass
class VendorHttp:
    sandboxes: Sandboxes
    token: str | None = None
    anonymous: bool = False  # send no credentials at all

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.token = self.token or self.sandboxes.token
        self._access_jwt: str | None = None

    def url(self, vendor: str, path: str) -> str:
        return self.sandboxes.base_urls[vendor] + path

    def shopify(
        self, path_or_url: str, headers: dict[str, str] | None = None, **params: Any
    ) -> requests.Response:
        url = path_or_url if path_or_url.startswith("http") else self.url("shopify", path_or_url)
        auth = {} if self.anonymous else {"X-Shopify-Access-Token": self.token}
        return self.session.get(url, params=params, headers={**auth, **(headers or {})})

    def _bearer(self) -> dict[str, str]:
        auth = {} if self.anonymous else {"Authorization": f"Bearer {self.token}"}
        return {**auth, "Square-Version": "2025-08-20"}

    def square(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, **params: Any
    ) -> requests.Response:
        return self.session.request(
            method, self.url("square", path), params=params or None, json=body, headers=self._bearer()
        )

    def google(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.url("google_reviews", path), params=params, headers=self._bearer())

    def bluesky_bearer(self) -> dict[str, str]:
        """Bluesky takes session JWTs only: with the sandbox's app password, log in once (any handle may)
        and send the access JWT; any other token is sent as it is, to be refused."""
        if self.anonymous:
            return {}
        if self.token != self.sandboxes.app_password:
            return {"Authorization": f"Bearer {self.token}"}
        if self._access_jwt is None:
            login = self.session.post(
                self.url("bluesky", "/xrpc/com.atproto.server.createSession"),
                json={"identifier": "tests.bsky.social", "password": self.token},
            )
            assert login.status_code == 200, login.text
            self._access_jwt = login.json()["accessJwt"]
        return {"Authorization": f"Bearer {self._access_jwt}"}

    def bluesky(self, method: str, **params: Any) -> requests.Response:
        return self.session.get(
            self.url("bluesky", f"/xrpc/{method}"), params=params, headers=self.bluesky_bearer()
        )

    # Walkers: every page of a listing, in order; each asserts the page answered 200.

    def walk_shopify(self, resource: str, **params: Any) -> list[requests.Response]:
        pages = [self.shopify(f"/{resource}.json", **params)]
        while True:
            assert pages[-1].status_code == 200, pages[-1].text
            following = parse_link_header(pages[-1].headers.get("Link")).get("next")
            if not following or len(pages) > MAX_PAGES:
                return pages
            pages.append(self.shopify(following))

    def walk_square(
        self, method: str, path: str, *, body: dict[str, Any] | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        pages: list[dict[str, Any]] = []
        cursor = None
        while len(pages) <= MAX_PAGES:
            if method == "POST":
                response = self.square(
                    "POST", path, body={**(body or {}), **({"cursor": cursor} if cursor else {})}
                )
            else:
                response = self.square("GET", path, **params, **({"cursor": cursor} if cursor else {}))
            assert response.status_code == 200, response.text
            pages.append(response.json())
            cursor = pages[-1].get("cursor")
            if not cursor:
                break
        return pages

    def walk_google(self, path: str, **params: Any) -> list[dict[str, Any]]:
        return _walk_token_pages(lambda **token: self.google(path, **params, **token), "pageToken", "nextPageToken")

    def walk_bluesky(self, method: str, **params: Any) -> list[dict[str, Any]]:
        return _walk_token_pages(lambda **token: self.bluesky(method, **params, **token), "cursor", "cursor")


def _walk_token_pages(
    request: Callable[..., requests.Response], query_name: str, response_field: str
) -> list[dict[str, Any]]:
    """Follow a page token (sent as `query_name`, returned in `response_field`) until it is absent."""
    pages: list[dict[str, Any]] = []
    token = None
    while len(pages) <= MAX_PAGES:
        response = request(**({query_name: token} if token else {}))
        assert response.status_code == 200, response.text
        pages.append(response.json())
        token = pages[-1].get(response_field)
        if not token:
            break
    return pages


def items(pages: list[dict[str, Any]], key: str) -> list[Any]:
    return [item for page in pages for item in page.get(key, [])]


def review_parents(world: Path) -> list[str]:
    """The v4 review parents `accounts/{a}/locations/{id}` of the world's Google locations (v1 records
    with an `account` routing key; an older world wrote the v4 name itself)."""
    path = world / "google" / "locations.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [f"{r['account']}/{r['name']}" if "account" in r else r["name"] for r in records]
