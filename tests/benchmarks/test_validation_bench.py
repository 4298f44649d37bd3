"""The jsonschema side of the 'validation' benchmark checks the same rules as the hand-written validator,
so its throughput is a fair comparison (it must flag the same records for the same fields)."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from benchmarks.validation import format_checker, json_schema
from ingestion.common.validation import find_problem
from ingestion.shopify.specs import ORDERS

GOOD = {"id": 1, "updated_at": "2026-01-02T03:04:05-05:00", "created_at": "2026-01-02T03:04:05-05:00",
        "total_price": "10.00", "customer": {"id": 7}, "line_items": [{"quantity": 2, "price": "5.00"}]}


@pytest.mark.parametrize(("change", "field"), [
    ({"id": None}, "id"),
    ({"total_price": "ten"}, "total_price"),
    ({"customer": {"id": "seven"}}, "customer.id"),
    ({"created_at": "yesterday"}, "created_at"),
    ({"line_items": [{"quantity": -1, "price": "5.00"}]}, "line_items[0].quantity"),
])
def test_both_sides_flag_the_same_field(change: dict, field: str) -> None:
    record = {**GOOD, **change}
    validator = Draft202012Validator(json_schema(ORDERS), format_checker=format_checker())
    assert find_problem(GOOD, ORDERS) is None and next(validator.iter_errors(GOOD), None) is None
    problem, error = find_problem(record, ORDERS), next(validator.iter_errors(record), None)
    assert problem is not None and problem.field == field
    assert error is not None
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path).lstrip(".")
    assert (path or "id") == field  # a missing id is a `required` error on the record itself
