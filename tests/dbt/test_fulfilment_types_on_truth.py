"""Pickup in store and ship from store of web orders, order by order, equal the world's truth.

Shopify's authority for where and how an order is fulfilled: its fulfilments' location once fulfilled,
before that its fulfillment order (delivery_method.method_type, assigned_location_id); the shipping
line's free-text title only when neither exists. Orders placed in the last days before as_of are not
fulfilled yet: the fulfillment orders the connector reads for them are what classifies them.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


# Seed 23's tiny world has an unfulfilled order of each kind at its as_of (pickup, ship from store, ship
# to home); seeds 7 and 11 have none, and their totals are checked end to end in
# tests/orchestration/test_dialects_e2e.py, whose run of seed 23 (through the connectors) this reuses.
@pytest.fixture(scope="module", params=[23], ids=lambda seed: f"seed{seed}")
def built(request, tiny_pipeline_of_seed) -> tuple[Path, Path]:
    run = tiny_pipeline_of_seed(request.param)
    # published: dbt built the models and passed their blocking tests (those on fulfillment orders among them)
    assert run.outcome.published, f"seed {request.param}: not published; failing: {run.outcome.failing_checks}"
    return run.world_dir, run.data_dir


def _truth(world: Path) -> dict[str, str]:
    """Web order id -> fulfilment type, for the orders that are purchases (not cancelled)."""
    with duckdb.connect() as con:
        return dict(con.execute(
            "select record_id, fulfilment_type from read_parquet(?) "
            "where touchpoint_type = 'purchase' and source = 'shopify'",
            [str(world / "truth" / "touchpoints.parquet")]).fetchall())


def test_every_web_orders_fulfilment_type_is_the_truths(built) -> None:
    world, data = built
    truth = _truth(world)
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        found = dict(con.execute(
            "select source_order_id, fulfilment_type from marts.fct_orders "
            "where source = 'shopify' and channel = 'web' and not is_cancelled").fetchall())
    assert found == truth
    for kind in ("pickup_in_store", "ship_from_store"):
        assert sum(value == kind for value in found.values()) == sum(value == kind for value in truth.values()) > 0


def test_orders_not_fulfilled_yet_take_their_store_from_the_fulfillment_order(built) -> None:
    world, data = built
    orders = [json.loads(line) for line in (world / "shopify/orders.jsonl").read_text().splitlines()]
    waiting = {str(o["id"]) for o in orders if o["fulfillment_status"] is None and o["cancelled_at"] is None}
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("""
            select orders.source_order_id, orders.fulfilment_type, orders.location_id, stores.shopify_location_id
            from marts.fct_orders as orders
            left join marts.dim_locations as stores using (location_id)
            where orders.source = 'shopify'""").fetchall()
    planned = {str(fo["order_id"]): fo for fo in map(json.loads, (world / "shopify/fulfillment_orders.jsonl")
                                                       .read_text().splitlines())}
    truth = _truth(world)
    for order_id, fulfilment_type, location_id, shopify_location_id in rows:
        if order_id not in waiting:
            continue
        assert fulfilment_type == truth[order_id], order_id
        if fulfilment_type != "ship_to_home":
            assert shopify_location_id == str(planned[order_id]["assigned_location_id"]), order_id
        else:
            assert location_id is None
