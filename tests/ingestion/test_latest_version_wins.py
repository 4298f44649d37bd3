"""Latest version wins (issue 18 item 5): a record returned twice in one pull, or again in a later
pull, lands in raw as its newest copy by the vendor's `updated_at` / `version`."""

from __future__ import annotations

from typing import Any

from connector_harness import query
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.pipelines import run_source
from ingestion.shopify import specs as shopify_specs
from ingestion.square import specs as square_specs

TOKEN = "square_stub_token_0042"


def square_order(order_id: str, version: int, updated_at: str, total: int) -> dict[str, Any]:
    return {"id": order_id, "location_id": "L1", "state": "COMPLETED", "version": version,
            "created_at": "2024-03-01T10:00:00Z", "updated_at": updated_at,
            "line_items": [{"uid": f"{order_id}-1", "quantity": "1", "name": "Mug",
                            "base_price_money": {"amount": total, "currency": "USD"},
                            "total_money": {"amount": total, "currency": "USD"}}],
            "total_money": {"amount": total, "currency": "USD"}}


class SquareOrdersUpdatedWhilePaging:
    """SearchOrders sorted by updated_at, one order per page, the cursor being the last updated_at served.
    After serving the first page the seller edits order A, which moves to the end of the sort: A is
    served twice, old copy first."""

    def __init__(self, orders: list[dict[str, Any]], edit_after_first_page: dict[str, Any] | None) -> None:
        self.orders = orders
        self.edit = edit_after_first_page

    def __call__(self, request: StubRequest) -> StubResponse:
        assert request.headers.get("authorization") == f"Bearer {TOKEN}"
        assert request.path == "/v2/orders/search", request.path
        after = (request.body or {}).get("cursor") or ""  # keyset paging: the last updated_at served
        later = sorted((order for order in self.orders if order["updated_at"] > after),
                       key=lambda order: order["updated_at"])
        page = later[:1]
        if self.edit is not None:
            self.orders = [self.edit if order["id"] == self.edit["id"] else order for order in self.orders]
            self.edit = None
        body: dict[str, Any] = {"orders": page}
        if page and any(order["updated_at"] > page[0]["updated_at"] for order in self.orders):
            body["cursor"] = page[0]["updated_at"]
        return StubResponse(200, body)


def pull_orders(server: StubServer) -> None:
    run_source("square", base_url=server.url, access_token=TOKEN, location_ids=["L1"], resources=["orders"],
               max_retry_seconds=5.0)


def raw_order(order_id: str) -> tuple:
    return query(f"select version, total_money__amount from square.orders where id = '{order_id}'")[0]


def test_an_order_updated_while_paging_lands_as_its_newer_copy() -> None:
    old_a = square_order("A", 1, "2024-03-01T10:00:00Z", 1000)
    other = square_order("B", 1, "2024-03-01T11:00:00Z", 500)
    new_a = square_order("A", 2, "2024-03-01T12:00:00Z", 2500)
    with StubServer(SquareOrdersUpdatedWhilePaging([old_a, other], edit_after_first_page=new_a)) as server:
        pull_orders(server)
    assert raw_order("A") == (2, 2500)
    assert query("select count(*) from square.orders")[0][0] == 2
    assert query("select count(*) from square.orders__line_items")[0][0] == 2
    # dlt sorts the copies by this column: instants, not offset-dependent text
    assert query("select data_type from information_schema.columns where table_schema = 'square' "
                 "and table_name = 'orders' and column_name = 'updated_at'") == [("TIMESTAMP WITH TIME ZONE",)]


def test_a_stale_copy_in_a_later_pull_does_not_replace_the_newer_one() -> None:
    newer = square_order("A", 3, "2024-03-02T12:00:00Z", 3000)
    with StubServer(SquareOrdersUpdatedWhilePaging([newer], edit_after_first_page=None)) as server:
        pull_orders(server)
    stale = square_order("A", 2, "2024-03-01T12:00:00Z", 2500)  # a lagging replica answers with version 2
    with StubServer(SquareOrdersUpdatedWhilePaging([stale], edit_after_first_page=None)) as server:
        pull_orders(server)
    assert raw_order("A") == (3, 3000)
    newest = square_order("A", 4, "2024-03-03T12:00:00Z", 4000)
    with StubServer(SquareOrdersUpdatedWhilePaging([newest], edit_after_first_page=None)) as server:
        pull_orders(server)
    assert raw_order("A") == (4, 4000)


def test_every_merged_resource_with_a_version_tells_dlt_to_keep_the_latest_copy() -> None:
    """Copies inside one load are deduplicated by dlt: `dedup_sort` makes it keep the highest version."""
    for specs in (square_specs, shopify_specs):
        for name, spec in specs.SPECS.items():
            hinted = {column for column, hints in specs.COLUMNS[name].items() if hints.get("dedup_sort") == "desc"}
            assert hinted == ({"updated_at"} if spec.version_fields else set()), name
