"""The bare ingestion baseline: the same sandbox pages fetched with plain `requests` and inserted into
DuckDB from Arrow, with nothing else (no validation, no schema inference beyond Arrow's, no state,
no nested-table unpacking). It is the practical speed limit of "HTTP API -> DuckDB" on this machine,
against which the dlt connectors are compared.

Endpoints and pagination follow shared/design/SOURCE_CONTRACTS.md, the same contract the connectors
speak; each function returns {table: records} for one source.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

SQUARE_VERSION = "2025-08-20"


def _shopify_pages(session: requests.Session, url: str, params: dict[str, Any], key: str) -> Iterator[list]:
    """Shopify: follow the Link header's rel="next" (absolute URLs carrying page_info)."""
    next_url: str | None = url
    while next_url:
        response = session.get(next_url, params=params, timeout=60)
        response.raise_for_status()
        yield response.json()[key]
        next_url = response.links.get("next", {}).get("url")
        params = {}  # a page_info URL carries its own limit and must carry no other filter


def shopify(base_url: str, token: str, manifest: dict[str, Any]) -> dict[str, list]:
    session = requests.Session()
    session.headers["X-Shopify-Access-Token"] = token
    tables = {}
    for table, extra in (("customers", {}), ("orders", {"status": "any"}), ("checkouts", {}),
                         ("products", {})):
        records: list = []
        for page in _shopify_pages(session, f"{base_url}/{table}.json", {"limit": 250, **extra}, table):
            records.extend(page)
        tables[table] = records
    return tables


def _square_get(session: requests.Session, url: str, params: dict[str, Any], key: str) -> list:
    records, cursor = [], None
    while True:
        response = session.get(url, params={**params, **({"cursor": cursor} if cursor else {})}, timeout=60)
        response.raise_for_status()
        body = response.json()
        records.extend(body.get(key, []))
        cursor = body.get("cursor")
        if not cursor:
            return records


def _square_post(session: requests.Session, url: str, body: dict[str, Any], key: str) -> list:
    records, cursor = [], None
    while True:
        response = session.post(url, json={**body, **({"cursor": cursor} if cursor else {})}, timeout=60)
        response.raise_for_status()
        payload = response.json()
        records.extend(payload.get(key, []))
        cursor = payload.get("cursor")
        if not cursor:
            return records


def square(base_url: str, token: str, manifest: dict[str, Any]) -> dict[str, list]:
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {token}", "Square-Version": SQUARE_VERSION})
    begin = manifest["start"] if "T" in str(manifest["start"]) else f"{manifest['start']}T00:00:00Z"
    response = session.get(f"{base_url}/v2/locations", timeout=60)
    response.raise_for_status()
    locations = response.json()["locations"]
    location_ids = [location["id"] for location in locations]
    payments: list = []
    for location_id in location_ids:
        payments += _square_get(session, f"{base_url}/v2/payments",
                                {"location_id": location_id, "limit": 100, "begin_time": begin}, "payments")
    return {
        "locations": locations,
        "customers": _square_get(session, f"{base_url}/v2/customers", {"limit": 100}, "customers"),
        "orders": _square_post(session, f"{base_url}/v2/orders/search",
                               {"location_ids": location_ids, "limit": 500}, "orders"),
        "payments": payments,
        "refunds": _square_get(session, f"{base_url}/v2/refunds", {"limit": 100, "begin_time": begin}, "refunds"),
        "loyalty_accounts": _square_post(session, f"{base_url}/v2/loyalty/accounts/search", {"limit": 200},
                                         "loyalty_accounts"),
    }


def google_reviews(base_url: str, token: str, manifest: dict[str, Any], world_dir: Path) -> dict[str, list]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    # v4 review parents: a v1 world record is {"name": "locations/{id}", "account": "accounts/{a}"}
    records = [json.loads(line) for line in (world_dir / "google" / "locations.jsonl").read_text().splitlines() if line]
    location_names = [f"{r['account']}/{r['name']}" if "account" in r else r["name"] for r in records]
    reviews: list = []
    for name in location_names:
        token_param: dict[str, str] = {}
        while True:
            response = session.get(f"{base_url}/v4/{name}/reviews", params={"pageSize": 50, **token_param},
                                   timeout=60)
            response.raise_for_status()
            body = response.json()
            reviews.extend(body.get("reviews", []))
            if not body.get("nextPageToken"):
                break
            token_param = {"pageToken": body["nextPageToken"]}
    return {"reviews": reviews}


def _xrpc(session: requests.Session, url: str, params: dict[str, Any], key: str) -> list:
    records, cursor = [], None
    while True:
        response = session.get(url, params={**params, **({"cursor": cursor} if cursor else {})}, timeout=60)
        response.raise_for_status()
        body = response.json()
        page = body.get(key, [])
        records.extend(page)
        cursor = body.get("cursor")
        if not cursor or not page:
            return records


def bluesky(base_url: str, token: str, manifest: dict[str, Any]) -> dict[str, list]:
    brand = manifest["brand"]
    session = requests.Session()
    login = session.post(f"{base_url}/xrpc/com.atproto.server.createSession",  # the token is the app password
                         json={"identifier": brand["bluesky_handle"], "password": token}, timeout=60)
    login.raise_for_status()
    session.headers["Authorization"] = f"Bearer {login.json()['accessJwt']}"
    # a brand post can be both a search hit and in the author feed: once per uri
    search = _xrpc(session, f"{base_url}/xrpc/app.bsky.feed.searchPosts",
                   {"q": brand["search_query"], "limit": 100}, "posts")
    feed = _xrpc(session, f"{base_url}/xrpc/app.bsky.feed.getAuthorFeed",
                 {"actor": brand["bluesky_handle"], "limit": 100}, "feed")
    unique = {post["uri"]: post for post in [*search, *(item["post"] for item in feed)]}
    return {"posts": list(unique.values())}


def web_events(world_dir: Path) -> dict[str, list]:
    """The file drop: every events file (plain or gzipped), deduplicated on messageId."""
    seen: dict[str, dict] = {}
    for path in sorted((world_dir / "web_events").iterdir()):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    event = json.loads(line)
                    seen.setdefault(event["messageId"], event)
    return {"events": list(seen.values())}


def load(tables: dict[str, list], database: Path, schema: str) -> dict[str, int]:
    """Insert each table's records into DuckDB from an Arrow table (nested objects stay structs)."""
    import duckdb
    import pyarrow as pa

    counts = {}
    with duckdb.connect(str(database)) as con:
        con.execute(f"create schema if not exists {schema}")
        for table, records in tables.items():
            if not records:
                counts[table] = 0
                continue
            arrow_table = pa.Table.from_pylist(records)  # noqa: F841 - read by DuckDB's replacement scan
            con.execute(f"create or replace table {schema}.{table} as select * from arrow_table")
            counts[table] = len(records)
    return counts


def fetch_and_load_all(base_urls: dict[str, str], token: str, world_dir: str, database: str) -> dict[str, Any]:
    """Child-process body: every source through the baseline into one database; records per source and table."""
    return {source: fetch_and_load(source, base_url, token, world_dir, database) for source, base_url in base_urls.items()}


def fetch_and_load(source: str, base_url: str, token: str, world_dir: str, database: str) -> dict[str, Any]:
    """Child-process body: one source through the baseline; returns records per table."""
    world = Path(world_dir)
    manifest = json.loads((world / "manifest.json").read_text())
    if source == "web_events":
        tables = web_events(world)
    elif source == "google_reviews":
        tables = google_reviews(base_url, token, manifest, world)
    else:
        tables = {"shopify": shopify, "square": square, "bluesky": bluesky}[source](base_url, token, manifest)
    return load(tables, Path(database), source)
