"""Contract rules of the connectors' record specs (issue 18 item 8): a negative Square customer
`version` reached raw and the identity tables. Each count, version and money amount the contracts
say cannot be negative is quarantined, naming the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ingestion.common.validation import Problem, RecordSpec, find_problem
from ingestion.shopify import specs as shopify
from ingestion.square import specs as square

SQUARE_CUSTOMER = {"id": "C1", "given_name": "Ada", "email_address": "ada@example.com", "version": 2,
                   "created_at": "2024-03-01T10:00:00Z", "updated_at": "2024-03-02T10:00:00Z"}


def _money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


SQUARE_ORDER = {
    "id": "O1", "location_id": "L1", "state": "COMPLETED", "version": 4, "created_at": "2024-03-01T10:00:00Z",
    "updated_at": "2024-03-01T10:00:00Z",
    "line_items": [{"quantity": "2", "base_price_money": _money(500), "total_money": _money(1080)}],
    "total_money": _money(1080), "total_tax_money": _money(80), "total_discount_money": _money(0),
    "total_tip_money": _money(0), "total_service_charge_money": _money(0),
    "net_amounts": {"total_money": _money(-1080)},  # a return's net amounts are negative, legitimately
}
SQUARE_CATALOG_ITEM = {"id": "I1", "type": "ITEM", "version": 1_761_950_000_001, "updated_at": "2024-03-01T10:00:00Z",
                       "item_data": {"name": "Mug", "variations": [
                           {"id": "V1", "item_variation_data": {"item_id": "I1", "price_money": _money(500)}}]}}
SQUARE_LOYALTY_ACCOUNT = {"id": "LA1", "customer_id": "C1", "mapping": {"phone_number": "+15550100"},
                          "balance": 40, "lifetime_points": 240, "created_at": "2024-03-01T10:00:00Z",
                          "updated_at": "2024-03-02T10:00:00Z", "enrolled_at": "2024-03-01T10:00:00Z"}
SHOPIFY_CUSTOMER = {"id": 1, "email": "a@example.com", "orders_count": 1, "total_spent": "10.00",
                    "created_at": "2024-01-01T09:00:00-05:00", "updated_at": "2024-01-02T09:00:00-05:00"}
SHOPIFY_ORDER = {
    "id": 7, "created_at": "2024-01-01T09:00:00-05:00", "updated_at": "2024-01-01T09:00:00-05:00",
    "total_price": "21.60", "subtotal_price": "20.00", "total_discounts": "0.00", "total_tax": "1.60",
    "line_items": [{"id": 70, "quantity": 2, "price": "10.00"}],
    "refunds": [{"created_at": "2024-01-03T09:00:00-05:00",
                 "refund_line_items": [{"quantity": 1, "subtotal": 10.8}]}],
}
SHOPIFY_CHECKOUT = {"id": 9, "token": "t", "created_at": "2024-01-01T09:00:00-05:00",
                    "updated_at": "2024-01-01T09:00:00-05:00", "total_price": "10.00",
                    "line_items": [{"quantity": 1, "price": "10.00"}]}
SHOPIFY_PRODUCT = {"id": 3, "title": "Mug", "created_at": "2024-01-01T09:00:00-05:00",
                   "updated_at": "2024-01-01T09:00:00-05:00",
                   "variants": [{"id": 30, "sku": "MUG", "price": "10.00", "compare_at_price": "12.00"}]}


def with_value(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `record` with the value at dotted `path` (digits index lists) replaced."""
    changed = copy.deepcopy(record)
    *parents, last = path.split(".")
    node: Any = changed
    for step in parents:
        node = node[int(step)] if step.isdigit() else node[step]
    node[int(last) if last.isdigit() else last] = value
    return changed


CASES = [
    (square.CUSTOMERS, SQUARE_CUSTOMER, "version", -1),
    (square.ORDERS, SQUARE_ORDER, "version", -4),
    (square.ORDERS, SQUARE_ORDER, "line_items.0.base_price_money.amount", -500),
    (square.ORDERS, SQUARE_ORDER, "line_items.0.total_money.amount", -1080),
    (square.ORDERS, SQUARE_ORDER, "total_tax_money.amount", -80),
    (square.ORDERS, SQUARE_ORDER, "total_discount_money.amount", -5),
    (square.ORDERS, SQUARE_ORDER, "total_tip_money.amount", -5),
    (square.ORDERS, SQUARE_ORDER, "total_service_charge_money.amount", -5),
    (square.CATALOG_OBJECTS, SQUARE_CATALOG_ITEM, "version", -1),
    (square.LOYALTY_ACCOUNTS, SQUARE_LOYALTY_ACCOUNT, "lifetime_points", -240),
    (shopify.CUSTOMERS, SHOPIFY_CUSTOMER, "total_spent", "-10.00"),
    (shopify.ORDERS, SHOPIFY_ORDER, "subtotal_price", "-20.00"),
    (shopify.ORDERS, SHOPIFY_ORDER, "total_discounts", "-1.00"),
    (shopify.ORDERS, SHOPIFY_ORDER, "total_tax", "-1.60"),
    (shopify.ORDERS, SHOPIFY_ORDER, "line_items.0.price", "-10.00"),
    (shopify.ORDERS, SHOPIFY_ORDER, "refunds.0.refund_line_items.0.subtotal", -10.8),
    (shopify.CHECKOUTS, SHOPIFY_CHECKOUT, "line_items.0.price", "-10.00"),
    (shopify.PRODUCTS, SHOPIFY_PRODUCT, "variants.0.compare_at_price", "-12.00"),
]


@pytest.mark.parametrize(("spec", "record"), [(s, r) for s, r, *_ in {id(r): (s, r) for s, r, *_ in CASES}.values()])
def test_the_valid_record_of_each_spec_passes(spec: RecordSpec, record: dict[str, Any]) -> None:
    assert find_problem(record, spec) is None


@pytest.mark.parametrize(("spec", "record", "path", "value"), CASES, ids=[f"{c[2]}={c[3]}" for c in CASES])
def test_a_negative_count_version_or_amount_is_quarantined_naming_the_field(
    spec: RecordSpec, record: dict[str, Any], path: str, value: Any
) -> None:
    concrete = ".".join(f"[{part}]" if part.isdigit() else part for part in path.split(".")).replace(".[", "[")
    assert find_problem(with_value(record, path, value), spec) == Problem(concrete, f"negative value {value}")


def test_a_square_version_that_is_not_an_integer_is_quarantined() -> None:
    problem = find_problem(with_value(SQUARE_ORDER, "version", "4"), square.ORDERS)
    assert problem == Problem("version", "wrong type: expected integer, got string '4'")


def test_a_negative_square_loyalty_balance_loads() -> None:
    """Square's LoyaltyAccount reference: apps must handle a negative point balance (a seller's manual
    adjustment, a refund or an exchange), so it is data, not a malformed record."""
    assert find_problem(with_value(SQUARE_LOYALTY_ACCOUNT, "balance", -35), square.LOYALTY_ACCOUNTS) is None
