"""Running the connectors against the sandboxes on a generated world, and reading what landed."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb

from ingestion.pipelines import SOURCES, run_source
from sandbox.servers import Sandboxes
from seamline_core.paths import raw_db

# manifest count key -> raw table
WORLD_TABLES = {
    "shopify/customers": "shopify.customers",
    "shopify/orders": "shopify.orders",
    "shopify/checkouts": "shopify.checkouts",
    "shopify/products": "shopify.products",
    "shopify/locations": "shopify.locations",
    "square/locations": "square.locations",
    "square/catalog": "square.catalog_objects",
    "square/customers": "square.customers",
    "square/orders": "square.orders",
    "square/payments": "square.payments",
    "square/refunds": "square.refunds",
    "square/loyalty_accounts": "square.loyalty_accounts",
    "google/reviews": "google_reviews.reviews",
    "google/locations": "google_reviews.locations",
    "bluesky/posts": "bluesky.posts",
    "web_events/events": "web_events.events",
}
PRIMARY_KEYS = {"google_reviews.reviews": "review_id", "google_reviews.locations": "name", "bluesky.posts": "uri",
                "web_events.events": "message_id"}
API_SOURCES = ("shopify", "square", "google_reviews", "bluesky")
# The first characters of every access / refresh JWT the Bluesky sandbox mints (base64url JOSE headers):
# finding one in a log or table means a session token leaked.
JWT_PREFIXES = tuple(base64.urlsafe_b64encode(json.dumps({"typ": typ, "alg": "HS256"}).encode()).decode().rstrip("=")
                     for typ in ("at+jwt", "refresh+jwt"))


def manifest(world: Path) -> dict[str, Any]:
    return json.loads((world / "manifest.json").read_text())


def world_counts(world: Path) -> dict[str, int]:
    """Records per world file the raw tables must hold: the manifest's counts, or the file's lines for
    a file the manifest does not count yet (absent files are not expected as tables)."""
    counts = manifest(world)["counts"]
    found = {}
    for key in WORLD_TABLES:
        path = world / f"{key}.jsonl"
        if key in counts:
            found[key] = counts[key]
        elif path.exists():
            found[key] = sum(1 for line in path.read_text().splitlines() if line.strip())
    return found


def source_config(sandboxes: Sandboxes | None, world: Path, token: str | None = None) -> dict[str, dict[str, Any]]:
    """Keyword arguments pointing each source at the sandboxes (API sources) or the world's files.

    Built from the settings a user types (`sandboxes.settings()`) and nothing else: the Bluesky
    connector finds the brand's search term from its profile.
    `token` replaces every access token and app password (to test refusals).
    """
    config: dict[str, dict[str, Any]] = {"web_events": {"bucket_url": str(world / "web_events")}}
    if sandboxes is None:
        return config
    for name, value in sandboxes.settings().items():
        _, source, setting = name.split("__")
        if source.lower() in API_SOURCES:
            secret = setting in ("ACCESS_TOKEN", "APP_PASSWORD")
            config.setdefault(source.lower(), {"max_retry_seconds": 60.0})[setting.lower()] = \
                token if secret and token else value
    return config


def run_all(config: dict[str, dict[str, Any]], names: tuple[str, ...] = tuple(SOURCES)) -> dict[str, Any]:
    return {name: run_source(name, **config[name]) for name in names if name in config}


def query(sql: str, database: Path | None = None) -> list[tuple]:
    with duckdb.connect(str(database or raw_db()), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def row_counts(database: Path | None = None) -> dict[str, int]:
    """Rows per loaded world table in the raw database, after checking the primary key has no duplicates."""
    present = {f"{schema}.{table}" for schema, table in query(
        "select table_schema, table_name from information_schema.tables", database)}
    counts = {}
    for key, table in WORLD_TABLES.items():
        if table not in present:
            continue
        column = PRIMARY_KEYS.get(table, "id")
        total, distinct = query(f"select count(*), count(distinct {column}) from {table}", database)[0]
        assert total == distinct, f"{table}: {total - distinct} duplicate {column} values"
        counts[key] = total
    return counts


def table_fingerprints(database: Path | None = None) -> dict[str, str]:
    """A digest of every raw table's content without dlt's load bookkeeping columns."""
    digests = {}
    tables = query("select table_schema, table_name from information_schema.tables "
                   "where table_schema in ('shopify','square','google_reviews','bluesky','web_events') "
                   "and table_name not like '\\_dlt%' escape '\\' and table_name <> '_quarantine'", database)
    for schema, table in tables:
        columns = [f'"{c}"' for (c,) in query(
            f"select column_name from information_schema.columns where table_schema='{schema}' "
            f"and table_name='{table}' and column_name not like '\\_dlt%' escape '\\' order by column_name", database)]
        rows = query(f"select {', '.join(columns)} from {schema}.{table}", database)
        digests[f"{schema}.{table}"] = hashlib.sha256(
            "\n".join(sorted(repr(row) for row in rows)).encode()).hexdigest()
    return digests
