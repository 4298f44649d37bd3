"""Each dashboard KPI equals the governed metric's answer for the same period and filters.

The dashboard computes its numbers with its own SQL (dashboards/queries.py); the semantic layer
(dbt_project/models/marts/semantic/) defines them once for every other tool. These tests run both on
the same snapshot so the two can never drift apart unnoticed.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path

import duckdb
import pytest

from dashboards import queries
from dashboards.filters import CHANNELS, Filters
from dashboards.months import Months
from dashboards.snapshot import Snapshot
from orchestration.analysts.metrics import GovernedMetrics

FILTER_SETS = ("last 30 days, everything", "120 days, web only", "60 days, web and store, busiest store",
               "90 days, a store in another currency (or the quietest)")


def filter_sets(snapshot: Path) -> dict[str, Filters]:
    """The dashboard filters the comparisons run under, relative to the snapshot's own data."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        (last_day,) = con.execute("select max(occurred_at)::date from marts.fct_touchpoints").fetchone()
        stores = [row[0] for row in con.execute("""
            select location_id from marts.fct_touchpoints
            where touchpoint_type = 'purchase' and channel = 'store' and location_id is not null
            group by location_id
            order by count(*) filter (where currency <> (select mode() within group (order by currency)
                                                         from marts.fct_touchpoints
                                                         where touchpoint_type = 'purchase')) desc,
                     count(*), location_id""").fetchall()]
    busiest = stores[-1]
    return {
        FILTER_SETS[0]: Filters(last_day - dt.timedelta(days=29), last_day, CHANNELS),
        FILTER_SETS[1]: Filters(last_day - dt.timedelta(days=119), last_day, ("web",)),
        FILTER_SETS[2]: Filters(last_day - dt.timedelta(days=59), last_day, ("web", "store"), busiest),
        FILTER_SETS[3]: Filters(last_day - dt.timedelta(days=89), last_day, CHANNELS, stores[0]),
    }


def close(a: float | None, b: float | None) -> bool:
    a, b = (None if value is None or math.isnan(value) else value for value in (a, b))  # pandas NaN is null
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def touchpoint_where(filters: Filters, currency: str | None = None) -> list[str]:
    """The dashboard's cross-page filter as MetricFlow where filters (period goes as start/end)."""
    channels = ", ".join(f"'{channel}'" for channel in filters.channels)
    where = [f"{{{{ Dimension('touchpoint__channel') }}}} in ({channels})"]
    if filters.location_id:
        where.append(f"{{{{ Entity('location') }}}} = '{filters.location_id}'")
    if currency:
        where.append(f"{{{{ Dimension('touchpoint__currency') }}}} = '{currency}'")
    return where


def period(filters: Filters) -> dict[str, dt.datetime]:
    """The dashboard's inclusive dates as MetricFlow's time constraint (inclusive of the end day)."""
    return {"start": dt.datetime.combine(filters.start, dt.time()), "end": dt.datetime.combine(filters.end, dt.time())}


def one_row(governed: GovernedMetrics, metrics: list[str], **kwargs) -> dict[str, object]:
    (row,) = governed.query(metrics, **kwargs).records()
    return row


@pytest.fixture(scope="module")
def snapshot(small_snapshot) -> Snapshot:
    return Snapshot(small_snapshot)


@functools.cache
def filters_of(snapshot: Snapshot) -> dict[str, Filters]:
    return filter_sets(snapshot.path)


@pytest.mark.parametrize("name", FILTER_SETS)
def test_overview_money_tiles_equal_the_metrics(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    kpis = queries.headline_kpis(snapshot, filters)
    in_reporting_currency = one_row(governed, ["revenue", "returned_amount", "net_revenue", "orders", "aov"],
                                    where=touchpoint_where(filters, kpis["currency"]), **period(filters))
    assert kpis["revenue"] > 0, "a filter without sales would prove nothing"
    assert close(in_reporting_currency["revenue"], kpis["revenue"])
    assert close(in_reporting_currency["returned_amount"] or 0, kpis["returned_amount"])
    assert close(in_reporting_currency["net_revenue"], kpis["net_revenue"])
    assert close(in_reporting_currency["orders"], kpis["reporting_orders"])
    assert close(in_reporting_currency["aov"], kpis["aov"])
    every_currency = one_row(governed, ["orders"], where=touchpoint_where(filters), **period(filters))
    assert close(every_currency["orders"], kpis["orders"])


@pytest.mark.parametrize("name", FILTER_SETS)
def test_other_currency_revenue_equals_the_metric_by_currency(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    dashboard = queries.other_currency_revenue(snapshot, filters)
    reporting = queries.headline_kpis(snapshot, filters)["currency"]
    answer = governed.query(["revenue", "orders"], group_by=["touchpoint__currency"],
                            where=touchpoint_where(filters), **period(filters)).records()
    by_currency = {row["touchpoint__currency"]: row for row in answer
                   if row["touchpoint__currency"] not in (None, reporting)}
    assert set(by_currency) == set(dashboard["currency"])
    for row in dashboard.to_dict("records"):
        assert close(by_currency[row["currency"]]["revenue"], row["revenue"])
        assert close(by_currency[row["currency"]]["orders"], row["orders"])


@pytest.mark.parametrize("name", FILTER_SETS)
def test_customer_tiles_equal_the_metrics(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    kpis = queries.headline_kpis(snapshot, filters)
    answer = one_row(governed, ["active_customers", "omnichannel_share"], where=touchpoint_where(filters),
                     **period(filters))
    assert kpis["active_customers"] > 0
    assert close(answer["active_customers"], kpis["active_customers"])
    assert close(answer["omnichannel_share"], kpis["omnichannel_share"])


def handoff_where(filters: Filters) -> list[str]:
    channels = ", ".join(f"'{channel}'" for channel in filters.channels)
    return [f"{{{{ Dimension('handoff__from_channel') }}}} in ({channels})",
            f"{{{{ Dimension('handoff__to_channel') }}}} in ({channels})"]


PATTERN_METRICS = {"ROPO": "ropo_handoffs", "BOPIS": "bopis_handoffs",
                   "Cart recovered in store": "cart_recovered_in_store_handoffs",
                   "Purchase then review": "purchase_then_review_handoffs"}


@pytest.mark.parametrize("name", FILTER_SETS)
def test_handoffs_by_pattern_and_flow_equal_the_metrics(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    start, end, channels, _, _ = filters.params()
    daily = queries.fetch(snapshot, queries.HANDOFF_PATTERNS_DAILY, (start, end, channels, channels))
    dashboard = daily.groupby("pattern")["handoffs"].sum().to_dict()
    answer = one_row(governed, ["handoffs", *PATTERN_METRICS.values()], where=handoff_where(filters),
                     **period(filters))
    for pattern, metric in PATTERN_METRICS.items():
        assert close(answer[metric] or 0, dashboard.get(pattern, 0)), pattern
    flows = queries.handoff_flows(snapshot, filters)
    assert close(answer["handoffs"] or 0, int(flows["handoffs"].sum()))
    by_flow = governed.query(["handoffs"], group_by=["handoff__from_channel", "handoff__to_channel"],
                             where=handoff_where(filters), **period(filters)).records()
    assert {(r["handoff__from_channel"], r["handoff__to_channel"]): r["handoffs"] for r in by_flow} == {
        (r["from_channel"], r["to_channel"]): r["handoffs"] for r in flows.to_dict("records")}


@pytest.mark.parametrize("name", FILTER_SETS)
def test_attribution_credit_by_model_equals_the_metric(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    dashboard = queries.channel_credit(snapshot, filters)
    channels = ", ".join(f"'{channel}'" for channel in filters.channels)
    answer = governed.query(["attribution_credit"], group_by=["attribution_credit__model",
                                                              "attribution_credit__channel"],
                            where=[f"{{{{ Dimension('attribution_credit__channel') }}}} in ({channels})"],
                            **period(filters)).records()
    assert len(dashboard) > 0
    metric = {(r["attribution_credit__model"], r["attribution_credit__channel"]): r["attribution_credit"]
              for r in answer}
    assert set(metric) == {(r["model"], r["channel"]) for r in dashboard.to_dict("records")}
    for row in dashboard.to_dict("records"):
        assert close(metric[(row["model"], row["channel"])], row["credit_amount"])


@pytest.mark.parametrize("name", FILTER_SETS)
def test_journey_conversion_equals_the_funnel(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    funnel = queries.stage_funnel(snapshot, filters)
    purchase = funnel[funnel["stage"] == "purchase"].set_index("entry_channel")["share_of_started"].to_dict()
    channels = ", ".join(f"'{channel}'" for channel in filters.channels)
    answer = governed.query(["journey_conversion_rate", "journeys"], group_by=["journey__entry_channel"],
                            where=[f"{{{{ Dimension('journey__entry_channel') }}}} in ({channels})"],
                            **period(filters)).records()
    rates = {row["journey__entry_channel"]: row["journey_conversion_rate"] for row in answer}
    assert purchase, "no journey converted in this filter: the comparison would prove nothing"
    assert set(purchase) <= set(rates)
    for channel, rate in rates.items():
        assert close(rate, purchase.get(channel, 0.0)), channel


def week_where(filters: Filters) -> list[str]:
    """reviews_totals' period: weeks starting from the start's week up to the end day."""
    start, end, _, location, _ = filters.params()
    first_week = start.date() - dt.timedelta(days=start.weekday())
    where = [f"{{{{ TimeDimension('metric_time', 'week') }}}} >= '{first_week}'",
             f"{{{{ TimeDimension('metric_time', 'week') }}}} < '{end.date()}'"]
    if location:
        where.append(f"{{{{ Dimension('review_week__location_id') }}}} = '{location}'")
    return where


@pytest.mark.parametrize("name", FILTER_SETS)
def test_review_tiles_equal_the_metrics(governed, snapshot, name):
    filters = filters_of(snapshot)[name]
    totals = queries.reviews_totals(snapshot, filters)
    answer = one_row(governed, ["reviews", "avg_review_rating", "review_response_rate", "social_mentions",
                                "negative_mention_share"], where=week_where(filters))
    if name == FILTER_SETS[0]:
        assert totals["reviews"] and totals["reviews"] > 0, "no reviews at all would prove nothing"
    if not totals["reviews"]:  # no review of that store in the period: the metric finds none either
        assert not answer["reviews"]
        return
    assert close(answer["reviews"], totals["reviews"])
    assert close(answer["avg_review_rating"], totals["avg_rating"])
    assert close(answer["review_response_rate"], totals["response_rate"])
    assert close(answer["social_mentions"], totals["social_mentions"])
    assert close(answer["negative_mention_share"], totals["negative_mention_share"])


def test_weekly_review_sentiment_equals_the_chart(governed, snapshot):
    filters = filters_of(snapshot)[FILTER_SETS[1]]
    chart = queries.reviews_weekly(snapshot, filters)
    names = dict(queries.locations(snapshot)[["location_name", "location_id"]].values)
    answer = governed.query(["review_sentiment"], group_by=["metric_time__week", "review__location_id"],
                            where=week_where(filters)).records()
    metric = {(row["metric_time__week"].date(), row["review__location_id"]): row["review_sentiment"]
              for row in answer}
    assert len(chart) > 0
    for row in chart.to_dict("records"):
        key = (row["week_start"].date() if hasattr(row["week_start"], "date") else row["week_start"],
               names.get(row["location_name"]))
        assert close(metric.get(key), row["avg_sentiment"]), key


def test_customer_segment_tiles_and_cohort_curve_equal_the_metrics(governed, snapshot):
    """The Customers page (kpi_customer_segments_monthly, kpi_cohort_retention) over 120 days (several months)."""
    filters = filters_of(snapshot)[FILTER_SETS[1]]
    months = Months.touched_by(filters)
    figures = queries.segment_figures(snapshot, months)

    def by_segment(metrics: list[str], shown: Months) -> dict[str, dict]:
        rows = governed.query(metrics, group_by=["customer_segment_month__segment"],
                              start=dt.datetime.combine(shown.first, dt.time()),
                              end=dt.datetime.combine(shown.last, dt.time())).records()
        return {row["customer_segment_month__segment"]: row for row in rows}

    spending = by_segment(["segment_revenue_per_buyer", "segment_buyers"], months)
    retention = by_segment(["segment_retention_rate"], months.shifted(-1))
    assert set(spending) == {"omnichannel", "single_channel"}
    for segment in spending:
        assert close(spending[segment]["segment_revenue_per_buyer"], figures[f"{segment}_revenue_per_buyer"])
        assert close(spending[segment]["segment_buyers"], figures[f"{segment}_buyers"])
        assert close(retention[segment]["segment_retention_rate"], figures[f"{segment}_retention_rate"])

    curve = queries.retention_curve(snapshot, months.trend(), ("web", "store"))
    answer = governed.query(["cohort_retention_rate"], group_by=["cohort_month_offset__acquisition_channel",
                                                                 "cohort_month_offset__months_since_acquisition"],
                            where=["{{ Dimension('cohort_month_offset__includes_earlier_customers') }} = false"],
                            start=dt.datetime.combine(months.trend().first, dt.time()),
                            end=dt.datetime.combine(months.trend().last, dt.time())).records()
    governed_curve = {(row["cohort_month_offset__acquisition_channel"],
                       int(row["cohort_month_offset__months_since_acquisition"])): row["cohort_retention_rate"]
                      for row in answer}
    assert len(curve) > 2
    assert governed_curve.keys() == {(row.acquisition_channel, row.months_since_acquisition) for row in curve.itertuples()}
    assert all(close(governed_curve[(row.acquisition_channel, row.months_since_acquisition)], row.retention_rate)
               for row in curve.itertuples())
