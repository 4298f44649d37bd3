"""The demo world landed without HTTP: world JSONL files -> raw.duckdb (dlt) -> dbt build.

The sandbox's shortcut past its servers, for the dbt tests and the benchmarks that need a warehouse
built from a world in seconds (formerly tests/dbt/dbt_world_loader.py).

The raw tables are loaded under the connectors' dataset/table names with dlt's own normalisation
(snake_case, nested lists as child tables), adding only what the connectors add (`location_name` on
reviews, `feed` on posts) and shaping records as the endpoints return them (the Square connector
searches the catalog for ITEMs, variations nested; Google's v1 location list has no `account` key,
which the world keeps only for sandbox routing; the Shopify connector reads fulfillment orders only
of orders not fulfilled yet and not cancelled), so the dbt project sees what it sees in production
without HTTP. Files an older world lacks are skipped.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import dlt

from ingestion.shopify import needs_fulfillment_orders
from sandbox.world.output import read_jsonl
from seamline_core.paths import DBT_PROJECT_DIR

# (dataset, table, file under the world directory, primary key)
WORLD_TABLES = [
    ("shopify", "customers", "shopify/customers.jsonl", "id"),
    ("shopify", "orders", "shopify/orders.jsonl", "id"),
    ("shopify", "checkouts", "shopify/checkouts.jsonl", "id"),
    ("shopify", "products", "shopify/products.jsonl", "id"),
    ("square", "locations", "square/locations.jsonl", "id"),
    ("square", "customers", "square/customers.jsonl", "id"),
    ("square", "orders", "square/orders.jsonl", "id"),
    ("square", "payments", "square/payments.jsonl", "id"),
    ("square", "refunds", "square/refunds.jsonl", "id"),
    ("square", "loyalty_accounts", "square/loyalty_accounts.jsonl", "id"),
    ("google_reviews", "reviews", "google/reviews.jsonl", "reviewId"),
    ("bluesky", "posts", "bluesky/posts.jsonl", "uri"),
    ("shopify", "locations", "shopify/locations.jsonl", "id"),
    ("square", "catalog_objects", "square/catalog.jsonl", "id"),
    ("google_reviews", "locations", "google/locations.jsonl", "name"),
    ("shopify", "fulfillment_orders", "shopify/fulfillment_orders.jsonl", "id"),
]
# Loaded only when the world has the file (worlds generated before these endpoints existed do not).
OPTIONAL_FILES = {"shopify/locations.jsonl", "square/catalog.jsonl", "google/locations.jsonl",
                  "shopify/fulfillment_orders.jsonl"}


def _as_endpoint_lists(dataset: str, table: str, records: list[dict], world_dir: Path) -> list[dict]:
    """Records as the connector's list endpoint returns them (see the module docstring); fulfillment
    orders only of the orders the connector asks about (not fulfilled yet, not cancelled)."""
    if (dataset, table) == ("google_reviews", "locations"):
        return [{key: value for key, value in record.items() if key != "account"} for record in records]
    if (dataset, table) == ("shopify", "fulfillment_orders"):
        asked = {order["id"] for order in read_jsonl(world_dir / "shopify/orders.jsonl")
                 if needs_fulfillment_orders(order)}
        return [record for record in records if record["order_id"] in asked]
    return records


def _as_connector_loads(dataset: str, table: str, record: dict, brand_handle: str) -> dict:
    if (dataset, table) == ("google_reviews", "reviews"):
        record["location_name"] = record["name"].rsplit("/reviews/", 1)[0]
    if (dataset, table) == ("bluesky", "posts"):
        record["feed"] = "author" if record["author"]["handle"] == brand_handle else "search"
    return record


def load_world(world_dir: Path, data_dir: Path, extra: dict[tuple[str, str], list[dict]] | None = None) -> None:
    """Load (replace) the world's files (plus `extra` records per (dataset, table)) into data_dir/raw.duckdb."""
    world_dir, data_dir = Path(world_dir), Path(data_dir)
    brand_handle = json.loads((world_dir / "manifest.json").read_text())["brand"]["bluesky_handle"]
    extra = extra or {}
    destination = dlt.destinations.duckdb(str(data_dir / "raw.duckdb"))
    by_dataset: dict[str, list] = {}
    for dataset, table, relative, key in WORLD_TABLES:
        if relative in OPTIONAL_FILES and not (world_dir / relative).exists():
            continue
        listed = _as_endpoint_lists(dataset, table, list(read_jsonl(world_dir / relative)), world_dir)
        records = [
            _as_connector_loads(dataset, table, record, brand_handle)
            for record in [*listed, *extra.get((dataset, table), [])]
        ]
        by_dataset.setdefault(dataset, []).append(
            dlt.resource(records, name=table, primary_key=key, write_disposition="replace")
        )
    events = [record for path in sorted((world_dir / "web_events").glob("events-*.jsonl*"))
              for record in read_jsonl(path)]
    events += extra.get(("web_events", "events"), [])
    events = list({event["messageId"]: event for event in reversed(events)}.values())  # as merge: one per id
    by_dataset["web_events"] = [dlt.resource(events, name="events", primary_key="messageId", write_disposition="replace")]
    for dataset, resources in by_dataset.items():
        pipeline = dlt.pipeline(
            pipeline_name=f"dbt_tests_{dataset}", destination=destination, dataset_name=dataset,
            pipelines_dir=str(data_dir / "dlt_pipelines"),
        )
        pipeline.run(resources, loader_file_format="parquet")


def run_dbt(data_dir: Path, *args: str) -> None:
    """Run dbt against data_dir in a child process (dbt-duckdb keeps its DuckDB connection open for
    the life of the process, which would lock the warehouse against the test's own reads)."""
    data_dir = Path(data_dir).absolute()
    env = os.environ | {
        "SEAMLINE_DATA_DIR": str(data_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SEAMLINE_PII_SALT": os.environ.get("SEAMLINE_PII_SALT", "test-salt"),
    }
    command = [
        str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(data_dir / "dbt_target"),
        "--log-path", str(data_dir / "dbt_logs"),
    ]
    finished = subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=600)
    if finished.returncode != 0:
        problems = [line for line in finished.stdout.splitlines() if "ERROR" in line or "FAIL" in line or "Error" in line]
        raise AssertionError(f"dbt {' '.join(args)} failed (exit {finished.returncode}):\n" + "\n".join(problems[-40:]))
