"""The Shopify source's fulfillment_orders: asked only for orders this run pulled that still await
fulfilment (a fulfilled order's fulfillments[] already say where; a cancelled one goes nowhere)."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.pipelines import run_source
from sandbox.servers import start_sandboxes
from sandbox.world.generate import generate_world
from seamline_core.paths import raw_db

TOKEN = "shpat_stub_token_0042"
STORE, WAREHOUSE = 71_000_000_001, 71_000_000_009


def order(order_id: int, updated_at: str, fulfillment_status: str | None = None, cancelled: bool = False) -> dict:
    return {"id": order_id, "updated_at": updated_at, "created_at": "2024-03-01T09:00:00-05:00",
            "processed_at": "2024-03-01T09:00:00-05:00", "email": f"o{order_id}@example.com",
            "source_name": "web", "location_id": None, "total_price": "10.00", "subtotal_price": "10.00",
            "total_discounts": "0.00", "total_tax": "0.00", "fulfillment_status": fulfillment_status,
            "cancelled_at": "2024-03-01T10:00:00-05:00" if cancelled else None,
            "line_items": [{"id": order_id * 10, "quantity": 1, "price": "10.00", "sku": "SKU-1"}],
            "fulfillments": [], "refunds": [], "shipping_lines": [],
            "admin_graphql_api_id": f"gid://shopify/Order/{order_id}"}


def fulfillment_order(fo_id: int, order_id: int, method: str, location: int, status: str = "open") -> dict:
    return {"id": fo_id, "shop_id": 1, "order_id": order_id, "assigned_location_id": location,
            "request_status": "unsubmitted", "status": status, "supported_actions": [],
            "destination": None, "line_items": [{"id": fo_id * 10, "quantity": 1, "line_item_id": order_id * 10,
                                                 "fulfillable_quantity": 1, "fulfillment_order_id": fo_id}],
            "fulfill_at": None, "fulfill_by": None, "fulfillment_holds": [], "merchant_requests": [],
            "created_at": "2024-03-01T09:00:00-05:00", "updated_at": "2024-03-01T09:00:00-05:00",
            "delivery_method": {"id": fo_id + 1, "method_type": method, "min_delivery_date_time": None,
                                "max_delivery_date_time": None},
            "assigned_location": {"location_id": location, "name": "Pearl District"}}


class FakeShop:
    """orders.json (one page, `updated_at_min`) and orders/{id}/fulfillment_orders.json (404 unless known)."""

    def __init__(self, orders: list[dict], fulfillment_orders: dict[int, list[dict]]) -> None:
        self.orders, self.fulfillment_orders = orders, fulfillment_orders

    def __call__(self, request: StubRequest) -> StubResponse:
        if request.headers.get("x-shopify-access-token") != TOKEN:
            return StubResponse(401, {"errors": "[API] Invalid API key or access token"})
        if request.path.endswith("/fulfillment_orders.json"):
            order_id = int(request.path.split("/")[-2])
            if order_id not in self.fulfillment_orders:
                return StubResponse(404, {"errors": "Not Found"})
            return StubResponse(200, {"fulfillment_orders": self.fulfillment_orders[order_id]})
        minimum = request.query.get("updated_at_min")
        page = [o for o in self.orders
                if minimum is None or datetime.fromisoformat(o["updated_at"]) >= datetime.fromisoformat(minimum)]
        return StubResponse(200, {"orders": page})


def run(stub: StubServer):
    return run_source("shopify", resources=["orders", "fulfillment_orders"],
                      base_url=f"{stub.url}/admin/api/2024-04", access_token=TOKEN)


def asked(stub: StubServer, since: int = 0) -> list[int]:
    return sorted(int(r.path.split("/")[-2]) for r in stub.requests[since:] if r.path.endswith("fulfillment_orders.json"))


def table(sql: str) -> list[tuple]:
    with duckdb.connect(str(raw_db()), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_only_orders_awaiting_fulfilment_are_asked_and_an_unchanged_rerun_asks_nothing() -> None:
    shop = FakeShop(
        orders=[
            order(1, "2024-03-01T10:00:00-05:00", "fulfilled"),
            order(2, "2024-03-02T10:00:00-05:00"),  # pickup, not handed over yet
            order(3, "2024-03-03T10:00:00-05:00", "partial"),  # split: one part shipped, one to ship from a store
            order(4, "2024-03-04T10:00:00-05:00", cancelled=True),
            order(5, "2024-03-05T10:00:00-05:00"),  # deleted after it was listed: 404
            order(6, "2024-03-06T10:00:00-05:00", "restocked"),
        ],
        fulfillment_orders={
            1: [fulfillment_order(11, 1, "shipping", WAREHOUSE, "closed")],
            2: [fulfillment_order(21, 2, "pick_up", STORE)],
            3: [fulfillment_order(31, 3, "shipping", WAREHOUSE, "closed"), fulfillment_order(32, 3, "shipping", STORE)],
            4: [fulfillment_order(41, 4, "shipping", WAREHOUSE, "cancelled")],
            6: [fulfillment_order(61, 6, "shipping", WAREHOUSE, "closed")],
        },
    )
    with StubServer(shop) as stub:
        first = run(stub)
        assert asked(stub) == [2, 3, 5]
        assert first.rows_loaded["fulfillment_orders"] == 3 and first.quarantined == {}
        assert table("""select id, order_id, delivery_method__method_type, assigned_location_id, status
                        from shopify.fulfillment_orders order by id""") == [
            (21, 2, "pick_up", STORE, "open"), (31, 3, "shipping", WAREHOUSE, "closed"),
            (32, 3, "shipping", STORE, "open")]

        before = len(stub.requests)
        assert run(stub).rows_loaded == {}
        assert asked(stub, before) == []

        shop.orders[1] = order(2, "2024-04-01T09:00:00-04:00")  # changed, still waiting: asked again
        shop.fulfillment_orders[2] = [fulfillment_order(21, 2, "pick_up", STORE + 1)]
        shop.orders[0] = order(1, "2024-04-01T10:00:00-04:00", "fulfilled")  # changed but fulfilled: not asked
        before = len(stub.requests)
        third = run(stub)
        assert asked(stub, before) == [2]
        assert third.rows_loaded["fulfillment_orders"] == 1
    assert table("select assigned_location_id from shopify.fulfillment_orders where id = 21") == [(STORE + 1,)]
    assert table("select count(*) from shopify.fulfillment_orders") == [(3,)]


def test_the_columns_dbt_reads_exist_even_when_no_order_awaits_fulfilment() -> None:
    shop = FakeShop(orders=[order(1, "2024-03-01T10:00:00-05:00", "fulfilled")], fulfillment_orders={})
    with StubServer(shop) as stub:
        run(stub)
        assert asked(stub) == []
    columns = {name for (name,) in table(
        "select column_name from information_schema.columns where table_schema = 'shopify' "
        "and table_name = 'fulfillment_orders'")}
    assert {"order_id", "assigned_location_id", "status", "delivery_method__method_type"} <= columns


def test_against_the_sandbox_the_open_orders_fulfillment_orders_land_as_the_world_holds_them(tmp_path) -> None:
    """Seed 23's tiny world has orders still open at its as_of (pickup and ship-from-store among them)."""
    world = generate_world("tiny", 23, tmp_path / "world")
    orders = {o["id"]: o for o in map(json.loads, (world / "shopify/orders.jsonl").read_text().splitlines())}
    expected = sorted((fo["id"], fo["order_id"], fo["delivery_method"]["method_type"], fo["assigned_location_id"])
                      for fo in map(json.loads, (world / "shopify/fulfillment_orders.jsonl").read_text().splitlines())
                      if orders[fo["order_id"]]["fulfillment_status"] is None
                      and orders[fo["order_id"]]["cancelled_at"] is None)
    assert expected and {method for _, _, method, _ in expected} == {"pick_up", "shipping"}
    with start_sandboxes(world) as sandboxes:
        settings = sandboxes.settings()
        run_source("shopify", resources=["orders", "fulfillment_orders"],
                   base_url=settings["SOURCES__SHOPIFY__BASE_URL"], access_token=settings["SOURCES__SHOPIFY__ACCESS_TOKEN"])
    assert table("""select id, order_id, delivery_method__method_type, assigned_location_id
                    from shopify.fulfillment_orders order by id""") == expected
