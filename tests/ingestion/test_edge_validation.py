"""Edge validation rules, record by record (no HTTP, no dlt pipeline)."""

from __future__ import annotations

import pytest

from ingestion.common.timestamps import latest_timestamp, to_rfc3339
from ingestion.common.validation import (
    FieldTypeMemory,
    Problem,
    RecordSpec,
    find_problem,
    split_valid,
    values_at,
)

ORDER = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("refunds[].created_at",),
    types={"id": "integer", "total_price": "decimal_string", "line_items[].quantity": "integer"},
    non_negative=("line_items[].quantity",),
    max_text_length=30,
)


def order(**changes: object) -> dict:
    return {"id": 1, "updated_at": "2024-01-10T11:00:00-05:00", "total_price": "10.00",
            "line_items": [{"quantity": 1}, {"quantity": 2}], "refunds": [{"created_at": "2024-01-11T00:00:00Z"}],
            **changes}


@pytest.mark.parametrize(("changes", "problem"), [
    ({}, None),
    ({"id": None}, Problem("id", "missing id")),
    ({"updated_at": "2024-13-45T25:61:00 tomorrow"},
     Problem("updated_at", "unparseable timestamp '2024-13-45T25:61:00 tomorrow'")),
    ({"updated_at": 1_700_000_000},
     Problem("updated_at", "wrong type: expected an ISO 8601 string, got number 1700000000")),
    ({"updated_at": None}, Problem("updated_at", "missing timestamp")),
    ({"refunds": [{"created_at": "yesterday"}]}, Problem("refunds[0].created_at", "unparseable timestamp 'yesterday'")),
    ({"line_items": [{"quantity": 1}, {"quantity": -3}]}, Problem("line_items[1].quantity", "negative value -3")),
    ({"total_price": 10.0}, Problem("total_price", "wrong type: expected decimal_string, got number 10.0")),
    ({"total_price": "ten"}, Problem("total_price", "wrong type: expected decimal_string, got string 'ten'")),
    ({"note": "x" * 31}, Problem("note", "text of 31 characters exceeds the limit of 30")),
    ({"note": "b\udcffd"}, Problem("note", "invalid UTF-8 in text")),
])
def test_find_problem_names_the_field_and_the_reason(changes: dict, problem: Problem | None) -> None:
    assert find_problem(order(**changes), ORDER) == problem


def test_values_at_walks_lists_and_skips_absent_keys() -> None:
    record = {"a": [{"b": 1}, {"c": 2}, {"b": None}], "d": {"e": "x"}}
    assert values_at(record, "a[].b") == [("a[0].b", 1), ("a[2].b", None)]
    assert values_at(record, "d.e") == [("d.e", "x")]
    assert values_at(record, "missing[].b") == []


def test_type_memory_learns_the_majority_then_catches_a_change() -> None:
    state: dict = {}
    first = [order(id=i) for i in range(1, 5)] + [order(id=9, discount="5")]
    good, bad = split_valid([*first, order(id=5, discount=5)], RecordSpec(primary_key="id"), FieldTypeMemory(state))
    assert [r["id"] for r in good] == [1, 2, 3, 4, 9]
    assert bad == [(order(id=5, discount=5), Problem("discount", "type changed: was string, now number 5"))]
    assert state["field_types"]["discount"] == "string"
    _, later_bad = split_valid([order(id=6, total_price=6)], RecordSpec(primary_key="id"), FieldTypeMemory(state))
    assert later_bad[0][1] == Problem("total_price", "type changed: was string, now number 6")


def test_cursor_compares_instants_not_strings() -> None:
    # 16:00Z is later than 11:00-05:00 (16:00Z minus one second); as strings it would sort first
    assert latest_timestamp(["2024-01-10T11:00:00-05:00", "2024-01-10T15:59:59Z"]) == "2024-01-10T11:00:00-05:00"
    assert latest_timestamp(["2024-01-10T10:00:00.5Z", "2024-01-10T10:00:00Z"]) == "2024-01-10T10:00:00.5Z"
    assert to_rfc3339("2024-01-10T11:00:00-05:00") == "2024-01-10T16:00:00Z"
    assert to_rfc3339("2024-01-10T11:00:00.250+00:00") == "2024-01-10T11:00:00.25Z"


@pytest.mark.parametrize(("changes", "problem"), [
    ({}, None),
    ({"line_items": [{"quantity": 1, "name": "C\udcffascade"}]}, Problem("line_items[0].name", "invalid UTF-8 in text")),
    ({"note": {"b\udcffd": 1}}, Problem("note.<key>", "invalid UTF-8 in text")),
    ({"note": "x" * 40_000}, Problem("note", "text of 40000 characters exceeds the limit of 32768")),
    ({"line_items": [{"quantity": 1}, {"quantity": "2"}]},
     Problem("line_items[1].quantity", "wrong type: expected integer, got string '2'")),
])
def test_whole_record_screen_still_names_the_exact_field(changes: dict, problem: Problem | None) -> None:
    """Records under the default text limit are screened as one JSON text; a failure is walked to its field."""
    spec = RecordSpec(primary_key="id", cursor="updated_at", types={"line_items[].quantity": "integer"})
    assert find_problem(order(**changes), spec) == problem
