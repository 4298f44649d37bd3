"""The ingestion baseline reads every record of the tiny world exactly once through the sandboxes."""

from __future__ import annotations

import json

import duckdb
import pytest

from benchmarks.baseline import fetch_and_load
from benchmarks.ingestion import top_level_records

# baseline table -> the world's manifest count key
EXPECTED = {
    "shopify": {"customers": "shopify/customers", "orders": "shopify/orders", "checkouts": "shopify/checkouts",
                "products": "shopify/products"},
    "square": {"locations": "square/locations", "customers": "square/customers", "orders": "square/orders",
               "payments": "square/payments", "refunds": "square/refunds",
               "loyalty_accounts": "square/loyalty_accounts"},
    "google_reviews": {"reviews": "google/reviews"},
    "bluesky": {"posts": "bluesky/posts"},
    "web_events": {"events": "web_events/events"},
}


@pytest.mark.parametrize("source", list(EXPECTED))
def test_baseline_loads_each_world_record_once(source, tiny_world, tiny_sandboxes, tmp_path):
    counts = json.loads((tiny_world / "manifest.json").read_text())["counts"]
    database = tmp_path / "baseline.duckdb"
    loaded = fetch_and_load(source, tiny_sandboxes.base_urls.get(source, ""), tiny_sandboxes.token,
                            str(tiny_world), str(database))
    assert loaded == {table: counts[key] for table, key in EXPECTED[source].items()}
    with duckdb.connect(str(database), read_only=True) as con:
        for table, rows in loaded.items():
            assert con.execute(f"select count(*) from {source}.{table}").fetchone()[0] == rows


def test_top_level_records_ignore_child_and_bookkeeping_tables():
    rows = {"orders": 10, "orders__line_items": 31, "customers": 4, "_quarantine": 2, "_dlt_loads": 1}
    assert top_level_records(rows) == 14
