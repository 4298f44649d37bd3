"""The GX suites on a hand-made raw database: each bad-batch kind fails the right rule, by name and count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.quality import facts, suites
from orchestration.quality.freshness import Freshness, declared_freshness
from orchestration.quality.rules import RunFacts, TableSuite, volume
from orchestration.quality.validate import build_data_docs, validate_suite


@pytest.fixture
def raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> duckdb.DuckDBPyConnection:
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path / "data"))
    con = duckdb.connect(str(tmp_path / "raw.duckdb"))
    con.execute("create schema shopify; create schema google_reviews; create schema web_events")
    con.execute("""create table shopify.orders as select * from (values
        (1, '10.00', '2026-10-20T10:00:00-05:00'), (1, '10.00', '2026-10-20T10:00:00-05:00'),
        (2, '-25.00', '2026-10-21T10:00:00-05:00'), (3, '5.50', '2026-10-22T10:00:00-05:00'))
        t(id, total_price, updated_at)""")
    con.execute("""create table google_reviews.reviews as select * from (values
        ('r1', 'FIVE', '2026-10-30T12:00:00Z'), ('r2', 'SEVEN', '2026-10-30T13:00:00Z'))
        t(review_id, star_rating, update_time)""")
    con.execute("""create table web_events.events as select * from (values
        ('m1', 'page', '2026-10-31T20:00:00Z')) t(message_id, type, "timestamp")""")
    con.execute("""create table shopify._dlt_loads as select 'l1' as load_id, 0 as status,
        timestamptz '2026-11-01 08:00:00+00' as inserted_at""")
    con.execute("""create table shopify._quarantine as select * from (values
        ('shopify', 'orders', 'o9', 'total_price', 'not a decimal', 'l1'),
        ('shopify', 'orders', 'o8', 'total_price', 'not a decimal', 'l1'),
        ('shopify', 'customers', 'c1', 'email', 'missing', 'l0'))
        t(source, resource, record_id, field, reason, _dlt_load_id)""")
    yield con
    con.close()


def _suite(relation: str) -> TableSuite:
    return next(suite for suite in suites.RAW_SUITES if suite.relation == relation)


def test_freshness_and_volume_judge_the_whole_table_with_their_declared_severity(raw, tmp_path: Path) -> None:
    run_facts = facts.run_facts(raw)
    assert run_facts.reference_time == datetime(2026, 10, 31, 20, 0, tzinfo=UTC)
    orders = {o.check_name: o for o in validate_suite(raw, _suite("shopify.orders"), _suite("shopify.orders").rules,
                                                       run_facts, tmp_path / "docs")}
    reviews = {o.check_name: o for o in validate_suite(raw, _suite("google_reviews.reviews"),
                                                        _suite("google_reviews.reviews").rules,
                                                        run_facts, tmp_path / "docs")}
    assert set(orders) == {"orders__freshness", "orders__row_count_vs_previous_run"}  # row-level rules: dbt's
    assert not orders["orders__freshness"].passed  # newest order 2026-10-22 vs events 2026-10-31: 9+ days
    assert orders["orders__freshness"].rule.blocking  # the dbt source declares error_after: 3 days
    assert orders["orders__freshness"].description.startswith("shopify.orders.record_at: observed 2026-10-22")
    assert orders["orders__row_count_vs_previous_run"].passed
    assert orders["orders__row_count_vs_previous_run"].metadata["observed_value"] == "4"  # counted, no column read
    assert reviews["reviews__freshness"].passed  # a day behind, within the 21-day window for reviews
    assert not reviews["reviews__freshness"].rule.blocking  # warn_after only
    assert build_data_docs(tmp_path / "docs").exists()


def test_freshness_thresholds_are_read_from_the_dbt_sources() -> None:
    """One declaration (dbt sources' freshness config) for the GX check, dbt and Dagster's policy."""
    assert declared_freshness("shopify", "orders") == Freshness(warn_after=None, error_after=timedelta(days=3))
    assert declared_freshness("bluesky", "posts") == Freshness(warn_after=timedelta(days=21), error_after=None)
    with pytest.raises(LookupError, match="no freshness for source shopify.orders__line_items"):
        declared_freshness("shopify", "orders__line_items")  # `freshness: null` switches it off


def test_a_missing_table_fails_every_rule_by_name(raw, tmp_path: Path) -> None:
    suite = _suite("square.orders")
    outcomes = validate_suite(raw, suite, suite.rules, RunFacts(), tmp_path / "docs")
    assert len(outcomes) == len(suite.rules) and not any(o.passed for o in outcomes)
    assert outcomes[0].description.startswith("square.orders does not exist")


def test_source_freshness_and_quarantine_counts(raw) -> None:
    rows = {row["source"]: row for row in facts.source_freshness(raw)}
    assert rows["shopify"]["last_loaded_at"] == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    assert rows["shopify"]["last_record_at"] == datetime(2026, 10, 22, 15, 0, tzinfo=UTC)
    assert rows["square"] == {"source": "square", "last_loaded_at": None, "last_record_at": None}
    assert facts.quarantine_counts(raw, ["shopify", "square"]) == [
        {"source": "shopify", "table": "customers", "reason": "missing", "records": 1},
        {"source": "shopify", "table": "orders", "reason": "not a decimal", "records": 2},
    ]
    assert facts.quarantine_counts(raw, ["shopify"], load_ids=["l1"]) == [
        {"source": "shopify", "table": "orders", "reason": "not a decimal", "records": 2}]


def test_rule_names_must_be_unique_within_a_suite() -> None:
    with pytest.raises(ValueError,
                       match=r"shopify.orders: rule names must be unique, repeated: \['row_count_vs_previous_run'\]"):
        TableSuite(("shopify", "orders"), "raw", "shopify.orders", {}, (volume(), volume()))
