"""Hostile input in the search box and the filters: a clean message, and the snapshot unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

HOSTILE_SEARCHES = [
    "'O'Brien",
    "'; DROP TABLE marts.dim_customers; --",
    '" OR 1=1 --',
    "x' UNION SELECT run_id, 1, 1 FROM ops.publish_log --",
    "cust_001' OR '1'='1",
    "%",
    "_",
    "$search",
    "?",
    "🙂 Zoë \u202e gnirts",
    "a\x00b; DELETE FROM marts.fct_touchpoints",
    "ä" * 254,
]
TOO_LONG = "x" * 1000
HOSTILE_ADDRESSES = [
    {"channel": "web'; DROP TABLE marts.fct_touchpoints; --"},
    {"location": "' OR 1=1 --"},
    {"from": "2026-01-01'; DROP TABLE ops.publish_log; --"},
    {"to": "9" * 5000},
    {"channel": ["web", "🙂"]},
]


def _fingerprint(snapshot_path: Path) -> tuple[str, tuple[int, ...]]:
    """The file's bytes and the row count of every table (what an injection would change)."""
    import duckdb

    digest = hashlib.sha256(snapshot_path.read_bytes()).hexdigest()
    with duckdb.connect(str(snapshot_path), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables "
                             "order by 1, 2").fetchall()
        counts = tuple(con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                       for schema, table in tables)
    return digest, counts


@pytest.fixture
def unchanged(snapshot_path: Path):
    before = _fingerprint(snapshot_path)
    yield
    assert _fingerprint(snapshot_path) == before


def test_hostile_search_finds_nobody(open_page, unchanged):
    app = open_page("customer_360")
    for typed in HOSTILE_SEARCHES:
        app.text_input(key="customer_search").set_value(typed).run()

        assert not app.exception, (typed, [exception.message for exception in app.exception])
        assert [info.value for info in app.info][:1] == [
            f"No customer matches this {'email' if '@' in typed else 'name'} (or customer id)."], typed
        assert not app.metric, typed


def test_too_long_search_is_rejected_with_a_reason(open_page, unchanged):
    app = open_page("customer_360")
    app.text_input(key="customer_search").set_value(TOO_LONG).run()

    assert not app.exception
    assert "at most 254" in app.warning[0].value
    assert not app.metric


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES, ids=range(len(HOSTILE_ADDRESSES)))
def test_hostile_address_filters_fall_back_to_defaults(open_page, unchanged, default_period, address):
    app = open_page("overview", address)

    assert "Ignored the filters in the address" in app.warning[0].value
    assert app.date_input(key="filter_dates").value == default_period
    assert app.multiselect(key="filter_channels").value == ["web", "store", "review", "social"]
    assert app.metric
