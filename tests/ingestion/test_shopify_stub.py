"""The Shopify source against a stub that enforces the page_info rule: paging, incremental, quarantine."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import duckdb
import pytest
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.common.errors import SourceAuthError, SourceUnavailableError
from ingestion.pipelines import run_source
from seamline_core.paths import raw_db

TOKEN = "shpat_stub_token_0042"


def customer(customer_id: int, updated_at: str, **extra: object) -> dict:
    return {"id": customer_id, "email": f"c{customer_id}@example.com", "updated_at": updated_at,
            "created_at": "2024-01-01T09:00:00-05:00", "orders_count": 1, "total_spent": "10.00",
            "admin_graphql_api_id": f"gid://shopify/Customer/{customer_id}", **extra}


class FakeShop:
    """Customers only; a page_info request carrying any other filter is a 400, as in Shopify."""

    def __init__(self, customers: list[dict]) -> None:
        self.customers = customers
        self.down = False

    @staticmethod
    def updated_since(record: dict, minimum: str | None) -> bool:
        try:
            return minimum is None or datetime.fromisoformat(record["updated_at"]) >= datetime.fromisoformat(minimum)
        except ValueError:
            return True  # a broken record is still served, as a real API would

    def __call__(self, request: StubRequest) -> StubResponse:
        if self.down:
            return StubResponse(503, {"errors": "Service Unavailable"})
        if request.headers.get("x-shopify-access-token") != TOKEN:
            return StubResponse(401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
        limit = int(request.query.get("limit", 50))
        if "page_info" in request.query:
            if set(request.query) - {"page_info", "limit", "fields"}:
                return StubResponse(400, {"errors": {"page_info": ["page_info cannot be combined with filters"]}})
            state = json.loads(base64.urlsafe_b64decode(request.query["page_info"]))
        else:
            state = {"min": request.query.get("updated_at_min"), "offset": 0}
        matching = sorted((c for c in self.customers if self.updated_since(c, state["min"])),
                          key=lambda c: c["id"] or 0)
        page = matching[state["offset"]: state["offset"] + limit]
        headers = {}
        if state["offset"] + limit < len(matching):
            token = base64.urlsafe_b64encode(json.dumps({**state, "offset": state["offset"] + limit}).encode()).decode()
            headers["Link"] = f'<http://{request.headers["host"]}/admin/api/2024-04/customers.json?limit={limit}&page_info={token}>; rel="next"'
        return StubResponse(200, {"customers": page}, headers)


def table(sql: str) -> list[tuple]:
    with duckdb.connect(str(raw_db()), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def run(stub: StubServer, token: str = TOKEN, max_retry_seconds: float = 120.0):
    return run_source("shopify", resources=["customers"], base_url=f"{stub.url}/admin/api/2024-04",
                      access_token=token, page_size=3, max_retry_seconds=max_retry_seconds)


def test_full_then_incremental_loads_follow_page_info_and_replace_updated_rows() -> None:
    shop = FakeShop([customer(i, f"2024-03-0{i}T10:00:00-05:00") for i in range(1, 8)])
    with StubServer(shop) as stub:
        first = run(stub)
        assert first.rows_loaded == {"customers": 7}
        page_requests = [r for r in stub.requests if "page_info" in r.query]
        assert len(page_requests) == 2 and all(set(r.query) == {"page_info", "limit"} for r in page_requests)

        assert run(stub).rows_loaded == {}

        shop.customers[2] = customer(3, "2024-04-01T09:00:00-04:00", email="new@example.com")
        shop.customers.append(customer(8, "2024-04-01T08:00:00-04:00"))
        third = run(stub)
        assert third.rows_loaded == {"customers": 2}
        assert stub.requests[-1].query["updated_at_min"] == "2024-03-07T10:00:00-05:00"
    assert table("select count(*), count(distinct id) from shopify.customers") == [(8, 8)]
    assert table("select email from shopify.customers where id = 3") == [("new@example.com",)]


def test_bad_records_are_quarantined_while_the_rest_of_the_page_loads() -> None:
    shop = FakeShop([
        customer(1, "2024-03-01T10:00:00-05:00"),
        customer(2, "not a time"),
        customer(3, "2024-03-03T10:00:00-05:00", total_spent=12.5),
        customer(4, "2024-03-04T10:00:00-05:00", orders_count=-1),
        {**customer(5, "2024-03-05T10:00:00-05:00"), "id": None},
        customer(6, "2024-03-06T10:00:00-05:00", last_name="x" * 40_000),
    ])
    with StubServer(shop) as stub:
        result = run(stub)
    assert result.rows_loaded == {"customers": 1}
    assert sum(result.quarantined["customers"].values()) == 5
    rows = table("select record_id, field, reason, source, resource, raw_payload from shopify._quarantine order by field")
    found = {(record_id, field): reason for record_id, field, reason, *_ in rows}
    assert found == {
        ("4", "orders_count"): "negative value -1",
        ("6", "last_name"): "text of 40000 characters exceeds the limit of 32768",
        (None, "id"): "missing id",
        ("3", "total_spent"): "wrong type: expected decimal_string, got number 12.5",
        ("2", "updated_at"): "unparseable timestamp 'not a time'",
    }
    assert {(source, resource) for *_, source, resource, _ in rows} == {("shopify", "customers")}
    assert json.loads(next(p for rid, *_, p in rows if rid == "2"))["updated_at"] == "not a time"


def test_wrong_token_fails_fast_naming_source_and_fix_without_the_token() -> None:
    with StubServer(FakeShop([customer(1, "2024-03-01T10:00:00-05:00")])) as stub, \
            pytest.raises(SourceAuthError) as failure:
        run(stub, token="shpat_wrong_" + TOKEN)
    message = str(failure.value)
    assert message.startswith("shopify: GET /admin/api/2024-04/customers.json: HTTP 401")
    assert "SOURCES__SHOPIFY__ACCESS_TOKEN" in message and TOKEN not in message


def test_a_failed_run_keeps_loaded_data_and_the_next_run_resumes_from_the_committed_cursor() -> None:
    shop = FakeShop([customer(i, f"2024-03-0{i}T10:00:00-05:00") for i in range(1, 5)])
    with StubServer(shop) as stub:
        assert run(stub).rows_loaded == {"customers": 4}
        shop.customers.append(customer(5, "2024-04-01T08:00:00-04:00"))
        shop.down = True
        with pytest.raises(SourceUnavailableError) as failure:
            run(stub, max_retry_seconds=1.0)
        assert str(failure.value).startswith("shopify: GET /admin/api/2024-04/customers.json: gave up after")
        assert table("select count(*) from shopify.customers") == [(4,)]
        shop.down = False
        assert run(stub).rows_loaded == {"customers": 1}
        assert stub.requests[-1].query["updated_at_min"] == "2024-03-04T10:00:00-05:00"
    assert table("select count(*) from shopify.customers") == [(5,)]
