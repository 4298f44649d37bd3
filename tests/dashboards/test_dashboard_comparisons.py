"""Against a year earlier, and the Customers page: the figures shown equal values computed here from
fct_touchpoints, independently of the marts' and the dashboard's SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import APP, APP_RUN_TIMEOUT_S
from dashboard_snapshot import LAST_DAY, build_small_snapshot
from streamlit.testing.v1 import AppTest
from test_dashboard_pages import _metrics, _number


def _tile_captions(app) -> list[str]:
    """The line under each KPI tile that compares it with a year earlier."""
    return [caption.value for caption in app.caption
            if caption.value.startswith("A year earlier") or caption.value == "No data a year earlier"]


def test_without_a_year_of_history_every_tile_says_so(open_page):
    """The test snapshot holds 120 days: no tile may show a change against a year earlier."""
    for page in ("overview", "customers", "handoffs", "reviews_social", "prices_fulfilment", "attribution"):
        app = open_page(page)
        captions = _tile_captions(app)
        assert captions.count("No data a year earlier") == len(app.metric) > 0, (page, captions)


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose snapshot holds 400 days, so the last 30 days have a year earlier."""
    data_dir = tmp_path_factory.mktemp("long_history")
    build_small_snapshot(data_dir, customers=120, days=400)
    return data_dir


def test_overview_compares_revenue_with_the_same_dates_a_year_earlier(long_history, monkeypatch):
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(long_history))
    start = LAST_DAY - dt.timedelta(days=29)
    earlier = [day.replace(year=day.year - 1) for day in (start, LAST_DAY)]
    snapshot = long_history / "serving" / (long_history / "serving" / "current").read_text().strip()
    with duckdb.connect(str(snapshot), read_only=True) as con:
        revenue_now, revenue_then = (con.execute(
            """select sum(value_amount) from marts.fct_touchpoints where touchpoint_type = 'purchase'
               and currency = 'USD' and occurred_at::date between ? and ?""", period).fetchone()[0]
            for period in ([start, LAST_DAY], earlier))
    assert revenue_now and revenue_then
    app = AppTest.from_file(str(APP), default_timeout=APP_RUN_TIMEOUT_S)
    app.run()
    assert not app.exception
    assert _number(_metrics(app)["Revenue (gross)"]) == pytest.approx(revenue_now, abs=0.005)
    change = (revenue_now - revenue_then) / revenue_then
    revenue_caption = _tile_captions(app)[0]  # the first tile's
    assert revenue_caption == f"A year earlier: {change:+.1%} (from ${revenue_then:,.2f})"
    assert "No data a year earlier" not in _tile_captions(app)


def _buyer_months(warehouse: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per customer and calendar month with a purchase: USD revenue, and omnichannel = seen on the
    web and in a store by the month's end."""
    touchpoints = warehouse.execute("select * from marts.fct_touchpoints where customer_id is not null").df()
    touchpoints["month"] = touchpoints["occurred_at"].dt.to_period("M")
    first_web = touchpoints[touchpoints["channel"] == "web"].groupby("customer_id")["occurred_at"].min()
    first_store = touchpoints[touchpoints["channel"] == "store"].groupby("customer_id")["occurred_at"].min()
    purchases = touchpoints[touchpoints["touchpoint_type"] == "purchase"]
    rows = []
    for (customer, month), own in purchases.groupby(["customer_id", "month"]):
        end = month.end_time
        rows.append({"customer_id": customer, "month": month,
                     "omnichannel": first_web.get(customer, pd.NaT) <= end and first_store.get(customer, pd.NaT) <= end,
                     "revenue": own.loc[own["currency"] == "USD", "value_amount"].sum()})
    return pd.DataFrame(rows)


def test_customers_page_shows_segments_and_cohorts_from_the_touchpoints(open_page, warehouse, default_period):
    buyers = _buyer_months(warehouse)
    last_day = pd.Timestamp(default_period[1])
    months = pd.period_range(pd.Period(default_period[0], "M"), pd.Period(default_period[1], "M"), freq="M")
    shown_months = buyers[buyers["month"].isin(months)]
    app = open_page("customers")
    shown = _metrics(app)

    omnichannel = shown_months["omnichannel"]
    assert _number(shown["Omnichannel share of buyers"]) == pytest.approx(omnichannel.mean(), abs=0.0005)
    for label, members in (("omnichannel", shown_months[omnichannel]), ("single-channel", shown_months[~omnichannel])):
        assert _number(shown[f"Revenue per buyer, {label}"]) == pytest.approx(members["revenue"].mean(), abs=0.005)

    # retention into the shown months: buyers of each month before, back the month after (when it is whole)
    bought = set(zip(buyers["customer_id"], buyers["month"], strict=True))
    next_month_whole = buyers["month"].map(lambda month: (month + 1).end_time.normalize() <= last_day)
    before = buyers[buyers["month"].isin(months - 1) & next_month_whole]
    assert not before.empty
    for label, is_omni in (("omnichannel", True), ("single-channel", False)):
        members = before[before["omnichannel"] == is_omni]
        retained = sum((c, m + 1) in bought for c, m in zip(members["customer_id"], members["month"], strict=True))
        assert _number(shown[f"Next-month retention, {label}"]) == pytest.approx(retained / len(members), abs=0.0005)

    assert any(m.value.startswith("**What changed most:") and ";" in m.value for m in app.markdown)
    # cohorts: customers by the month of their first purchase, every month the data covers whole
    cohorts = next(table.value for table in app.dataframe if "months_since_acquisition" in table.value.columns)
    shown_sizes = cohorts[cohorts["months_since_acquisition"] == 0].groupby("cohort_month")["cohort_customers"].sum()
    first_purchase = buyers.groupby("customer_id")["month"].min()
    expected_sizes = first_purchase[first_purchase.map(lambda month: month.end_time.normalize() <= last_day)]
    assert {pd.Period(month, "M"): size for month, size in shown_sizes.items()} == \
        expected_sizes.value_counts().to_dict()
