"""Every page on a published snapshot: the numbers shown equal the marts' values.

Expected values are computed here with SQL written independently of `dashboards.queries`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import duckdb
import numpy
import pytest

Period = tuple[dt.date, dt.date]


def _number(shown: str) -> float | None:
    """'$5,642.29' -> 5642.29, '48.0%' -> 0.48, '43' -> 43, '–' (no value) -> None."""
    if shown == "–":
        return None
    text = shown.replace("$", "").replace(",", "").replace("★", "").strip()
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def _metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _share(part, whole) -> float | None:
    return part / whole if whole else None


def _approx(value: float | None, abs_tolerance: float):
    return None if value is None else pytest.approx(value, abs=abs_tolerance)


def _bounds(period: Period) -> list[dt.datetime]:
    start, end = period
    return [dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + dt.timedelta(days=1), dt.time())]


def _frame(app, *columns: str):
    """The shown table that has these columns."""
    for table in app.dataframe:
        if set(columns) <= set(table.value.columns):
            return table.value
    raise AssertionError(f"no table with columns {columns}; tables: {[list(t.value.columns) for t in app.dataframe]}")


def test_overview_kpis_equal_the_marts(open_page, warehouse: duckdb.DuckDBPyConnection, default_period: Period):
    revenue, returned, usd_orders, orders, active, cad_revenue = warehouse.execute(
        """select sum(value_amount) filter (where touchpoint_type = 'purchase' and currency = 'USD'),
                  coalesce(-sum(value_amount) filter (where touchpoint_type = 'return' and currency = 'USD'), 0),
                  count(distinct order_id) filter (where touchpoint_type = 'purchase' and currency = 'USD'),
                  count(distinct order_id) filter (where touchpoint_type = 'purchase'),
                  count(distinct customer_id),
                  sum(value_amount) filter (where touchpoint_type = 'purchase' and currency = 'CAD')
           from marts.fct_touchpoints where occurred_at >= ? and occurred_at < ?""", _bounds(default_period),
    ).fetchone()
    omni_share, ltv_omni, ltv_single = warehouse.execute(
        """select avg(is_omnichannel::int), avg(lifetime_value) filter (where is_omnichannel),
                  avg(lifetime_value) filter (where not is_omnichannel)
           from marts.dim_customers where customer_id in (
               select customer_id from marts.fct_touchpoints where occurred_at >= ? and occurred_at < ?)""",
        _bounds(default_period),
    ).fetchone()

    app = open_page("overview")
    shown = _metrics(app)

    # money in the reporting currency only; sales in another currency are listed, never added
    assert _number(shown["Revenue (gross)"]) == pytest.approx(float(revenue), abs=0.005)
    # net of the period's returns, beside gross (kpi_channel_daily.net_revenue's rule)
    assert _number(shown["Net revenue (after returns)"]) == pytest.approx(float(revenue - returned), abs=0.005)
    assert _number(shown["Orders"]) == orders >= usd_orders
    assert _number(shown["Average order value"]) == pytest.approx(float(revenue) / usd_orders, abs=0.005)
    listed = [caption.value for caption in app.caption if "never added across currencies" in caption.value]
    if cad_revenue:
        assert len(listed) == 1 and f"CAD {cad_revenue:,.2f}" in listed[0]
    else:
        assert listed == []
    assert _number(shown["Active customers"]) == active
    assert _number(shown["Omnichannel share of active customers"]) == pytest.approx(float(omni_share), abs=0.0005)
    assert _number(shown["Lifetime value, omnichannel"]) == pytest.approx(float(ltv_omni), abs=0.005)
    assert _number(shown["Lifetime value, single-channel"]) == pytest.approx(float(ltv_single), abs=0.005)


def test_overview_change_against_previous_period(open_page, warehouse, default_period: Period):
    start, _end = default_period
    previous = (start - dt.timedelta(days=30), start - dt.timedelta(days=1))
    revenue_sql = ("select sum(value_amount) from marts.fct_touchpoints "
                   "where touchpoint_type = 'purchase' and currency = 'USD' and occurred_at >= ? and occurred_at < ?")
    (now,) = warehouse.execute(revenue_sql, _bounds(default_period)).fetchone()
    (before,) = warehouse.execute(revenue_sql, _bounds(previous)).fetchone()

    revenue_tile = next(metric for metric in open_page("overview").metric if metric.label == "Revenue (gross)")

    assert revenue_tile.delta == f"{(float(now) - float(before)) / float(before):+.1%}"


def _chart_specs(app) -> list[dict]:
    """The Plotly figures of the page, as the JSON Streamlit sends to the browser."""
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def _values(data) -> list:
    """A trace's x or y: a plain list, or Plotly's typed array {"dtype": ..., "bdata": base64}."""
    if isinstance(data, dict):
        return numpy.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _column_formats(app, *columns: str) -> dict[str, str | None]:
    """How the shown table with these columns formats each column (Streamlit's column config)."""
    for table in app.dataframe:
        if set(columns) <= set(table.value.columns):
            config = json.loads(table.proto.columns)
            return {name: config.get(name, {}).get("type_config", {}).get("format") for name in columns}
    raise AssertionError(f"no table with columns {columns}")


def test_overview_weekly_revenue_by_channel_in_whole_weeks(open_page, warehouse, default_period: Period):
    _start, end = default_period  # 30 days: four whole weeks ending on the last day, 2 days left out
    first_week = end - dt.timedelta(days=27)
    expected = warehouse.execute(
        """select channel, sum(value_amount)::double from marts.fct_touchpoints
           where touchpoint_type = 'purchase' and currency = 'USD' and occurred_at >= ? and occurred_at < ?
           group by 1""",
        _bounds((first_week, end)),
    ).fetchall()

    app = open_page("overview")
    weekly = _frame(app, "week", "channel", "revenue")

    assert sorted(weekly["week"].dt.date.unique()) == [first_week + dt.timedelta(days=7 * n) for n in range(4)]
    assert weekly.groupby("channel")["revenue"].sum().round(2).to_dict() == {
        channel: round(value, 2) for channel, value in expected}
    assert len(app.get("plotly_chart")) == 1
    assert _column_formats(app, "revenue")["revenue"] == "dollar"  # "$5,675.35", not "5675.35"
    assert any("first 2 day(s) of the range do not fill a week" in caption.value for caption in app.caption)


def test_overview_seven_days_from_midweek_draw_one_whole_week(open_page, default_period: Period):
    _, end = default_period
    week = (end - dt.timedelta(days=9), end - dt.timedelta(days=3))

    app = open_page("overview", {"from": week[0].isoformat(), "to": week[1].isoformat()})

    assert sorted(_frame(app, "week", "channel", "revenue")["week"].dt.date.unique()) == [week[0]]


def test_overview_says_what_changed_most(open_page):
    app = open_page("overview")

    sentences = [text.value for text in app.markdown if "What changed most" in text.value]
    assert len(sentences) == 1 and "against the previous 30 days" in sentences[0]
    deltas = {metric.label: metric.delta for metric in app.metric}
    assert all(deltas[label] for label in ("Revenue (gross)", "Net revenue (after returns)", "Orders"))


def test_handoffs_flows_equal_the_mart(open_page, warehouse, default_period: Period):
    expected = {(f, t): n for f, t, n in warehouse.execute(
        """select from_channel, to_channel, count(*) from marts.fct_channel_handoffs
           where handed_off_at >= ? and handed_off_at < ? group by all""", _bounds(default_period)).fetchall()}

    app = open_page("handoffs")
    flows = _frame(app, "from_channel", "to_channel", "handoffs")

    assert {(row.from_channel, row.to_channel): row.handoffs for row in flows.itertuples()} == expected
    assert len(app.get("plotly_chart")) == 4  # sankey, heatmap, time to hand-off, patterns
    whole_weeks = (default_period[1] - dt.timedelta(days=27), default_period[1])
    ropo, bopis, cart_recovered, review = warehouse.execute(
        """select count(*) filter (where is_ropo), count(*) filter (where is_bopis),
                  count(*) filter (where is_cart_recovered_in_store), count(*) filter (where is_purchase_then_review)
           from marts.fct_channel_handoffs where handed_off_at >= ? and handed_off_at < ?""",
        _bounds(whole_weeks)).fetchone()
    weekly = _frame(app, "week", "pattern", "handoffs")
    patterns = weekly.groupby("pattern")["handoffs"].sum().to_dict()
    assert patterns == {"ROPO": ropo, "BOPIS": bopis, "Cart recovered in store": cart_recovered,
                        "Purchase then review": review}
    # every named pattern (BOPIS too, though the caption names it) in every week, zero when absent
    assert len(weekly) == 4 * 4 and set(weekly.groupby("pattern")["week"].nunique()) == {4}
    lines = next(spec for spec in _chart_specs(app) if any(t.get("name") == "BOPIS" for t in spec["data"]))
    assert {trace["name"] for trace in lines["data"]} == set(patterns)


def test_handoff_times_in_days_on_a_log_axis(open_page):
    box = next(spec for spec in _chart_specs(open_page("handoffs")) if spec["data"][0]["type"] == "box")

    assert box["layout"]["yaxis"]["type"] == "log"
    assert "days" in box["layout"]["yaxis"]["title"]["text"]


def test_journeys_top_paths_equal_the_mart(open_page, warehouse, default_period: Period):
    expected = warehouse.execute(
        """select channel_path, outcome, count(*) as journeys from marts.fct_journeys
           where started_at >= ? and started_at < ? group by all
           order by journeys desc, channel_path, outcome limit 15""", _bounds(default_period)).fetchall()

    app = open_page("journeys")
    paths = _frame(app, "channel_path", "outcome", "journeys")

    assert list(paths[["channel_path", "outcome", "journeys"]].itertuples(index=False, name=None)) == expected


def _funnel_expected(warehouse, period: Period) -> dict[tuple[str, str], int]:
    """Journeys started in the period per (entry channel, stage), from fct_journeys' outcome and stage."""
    rows = warehouse.execute(
        """select entry_channel, count(*), count(*) filter (where outcome = 'purchase'),
                  count(*) filter (where outcome = 'purchase' or dropoff_stage = 'cart'),
                  count(*) filter (where outcome = 'purchase' or dropoff_stage in ('considering', 'cart'))
           from marts.fct_journeys where started_at >= ? and started_at < ? group by 1""",
        _bounds(period)).fetchall()
    expected = {}
    for channel, started, purchased, cart, considering in rows:
        stages = {"aware": started, "purchase": purchased}
        if channel == "web":  # only the web shop observes product views and carts
            stages |= {"considering": considering, "cart": cart}
        expected |= {(channel, stage): count for stage, count in stages.items() if count}
    return expected


@pytest.mark.parametrize("days", [30, 90])
def test_journey_funnel_follows_the_date_filter_and_observed_stages(open_page, warehouse, default_period, days):
    end = default_period[1]
    period = (end - dt.timedelta(days=days - 1), end)

    app = open_page("journeys", {"from": period[0].isoformat(), "to": period[1].isoformat()})
    funnel = _frame(app, "entry_channel", "stage", "journeys_reached", "dropoff_rate")

    shown = {(row.entry_channel, row.stage): row.journeys_reached for row in funnel.itertuples()}
    assert shown == _funnel_expected(warehouse, period)
    assert not funnel.isna().any().any()  # no "None" drop-off rate
    assert funnel["dropoff_rate"].between(0, 1).all()


def test_journeys_page_defines_stages_and_outcomes(open_page):
    text = " ".join(block.value for block in open_page("journeys").markdown)

    for term in ("**aware**", "**considering**", "**cart**", "**purchase**", "**abandoned**", "**dropped**",
                 "**Drop-off rate**"):
        assert term in text, term
    assert "What changed most" in text


def test_attribution_credit_per_model_equals_the_mart(open_page, warehouse, default_period: Period):
    expected = warehouse.execute(
        """select model, channel, sum(credit_amount)::double from marts.fct_attribution
           where purchased_at >= ? and purchased_at < ? group by all""", _bounds(default_period)).fetchall()

    app = open_page("attribution")
    side_by_side = _frame(app, "channel", "markov", "last_touch").set_index("channel")

    for model, channel, credit in expected:
        assert side_by_side.loc[channel, model] == pytest.approx(credit, abs=0.005), (model, channel)
    difference = _frame(app, "channel", "difference").set_index("channel")["difference"]
    assert difference.to_dict() == pytest.approx(
        (side_by_side["markov"] - side_by_side["last_touch"]).to_dict())


def test_reviews_social_totals_equal_the_mart(open_page, warehouse, default_period: Period):
    start, end = default_period
    reviews, responded, mentions, negative = warehouse.execute(
        """select sum(reviews), sum(responded_reviews), sum(social_mentions), sum(negative_mentions)
           from marts.kpi_reviews_social_weekly where week_start >= date_trunc('week', ?::date) and week_start <= ?""",
        [start, end]).fetchone()

    shown = _metrics(open_page("reviews_social"))

    assert _number(shown["Reviews"]) == (reviews or 0)
    assert _number(shown["Review response rate"]) == _approx(_share(responded, reviews), 0.0005)
    assert _number(shown["Negative share of mentions"]) == _approx(_share(negative, mentions), 0.0005)


def test_prices_fulfilment_equal_the_marts(open_page, warehouse, default_period: Period):
    start, end = default_period
    (violations,) = warehouse.execute(
        "select count(*) from marts.kpi_price_consistency where is_violation and day between ? and ?",
        [start, end]).fetchone()
    web, bopis, returns, cross = warehouse.execute(
        """select sum(orders) filter (where purchase_channel = 'web'), sum(bopis_orders), sum(returns),
                  sum(cross_channel_returns)
           from marts.kpi_fulfilment_returns where day between ? and ?""", [start, end]).fetchone()

    shown = _metrics(open_page("prices_fulfilment"))

    assert _number(shown["Price-consistency violations"]) == violations
    assert _number(shown["BOPIS share of web orders"]) == _approx(_share(bopis, web), 0.0005)
    assert _number(shown["Cross-channel share of returns"]) == _approx(_share(cross, returns), 0.0005)


def test_data_health_shows_publish_checks_and_quarantine(open_page, warehouse):
    run_id, published_at = warehouse.execute(
        "select run_id, published_at from ops.publish_log order by published_at desc limit 1").fetchone()
    checks, passed, warnings = warehouse.execute(
        """select count(*), count(*) filter (where status = 'passed'),
                  count(*) filter (where status = 'failed' and severity = 'WARN') from ops.quality_results""").fetchone()
    (quarantined,) = warehouse.execute("select sum(records) from ops.quarantine_counts").fetchone()

    app = open_page("data_health")
    shown = _metrics(app)

    assert shown["Run"] == run_id
    assert shown["Last publish (UTC)"] == f"{published_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}"
    assert shown["Checks passed"] == f"{passed} of {checks}"
    assert len(app.expander) == warnings  # one per failed warning, each with why and its rows
    if quarantined:
        assert _frame(app, "source", "table", "reason", "records")["records"].sum() == quarantined
    else:
        assert any("No quarantine counts" in info.value for info in app.info)


def test_negative_reviews_are_only_negative_ones(open_page, warehouse, default_period: Period):
    start, end = default_period
    (negative,) = warehouse.execute(
        """select count(*) from marts.fct_reviews where created_at::date between ? and ?
           and (rating <= 2 or (rating = 3 and sentiment_label = 'negative'))""", [start, end]).fetchone()

    app = open_page("reviews_social")
    tables = [table.value for table in app.dataframe if "review_text" in table.value.columns]

    if negative == 0:
        assert tables == []
        return
    (listed,) = tables
    assert len(listed) == min(negative, 10)
    assert (listed["rating"] <= 3).all()  # never a 4- or 5-star review, whatever its sentiment score
    assert ((listed["rating"] <= 2) | (listed["sentiment"] < 0)).all()
    assert list(listed["rating"]) == sorted(listed["rating"])


def test_reviews_charts_show_mention_volume_and_tell_stores_apart(open_page, warehouse, default_period: Period):
    start, end = default_period
    (mentions,) = warehouse.execute(
        """select sum(social_mentions) from marts.kpi_reviews_social_weekly
           where week_start >= date_trunc('week', ?::date) and week_start <= ?""", [start, end]).fetchone()

    specs = _chart_specs(open_page("reviews_social"))

    volume = [spec for spec in specs if "social mentions" in spec["layout"]["yaxis"]["title"]["text"]]
    assert len(volume) == 1
    assert sum(sum(_values(trace["y"])) for trace in volume[0]["data"]) == mentions
    rating = next(spec for spec in specs if "average rating" in spec["layout"]["yaxis"]["title"]["text"])
    colours = [trace["line"]["color"] for trace in rating["data"]]
    assert len(colours) > 1 and len(set(colours)) == len(colours)


@pytest.mark.parametrize("page", ["overview", "handoffs", "journeys", "attribution", "reviews_social",
                                  "prices_fulfilment"])
def test_chart_legends_sit_below_the_chart(open_page, page):
    """A legend at the side took half a chart's width; below and horizontal it takes none."""
    specs = _chart_specs(open_page(page, {"from": "2026-08-01"}))

    for spec in specs:
        if spec["data"][0]["type"] in ("sankey", "heatmap"):
            continue
        assert spec["layout"]["legend"]["orientation"] == "h", spec["layout"].get("legend")


def test_price_gaps_show_sku_money_and_percentage(open_page, warehouse, default_period: Period):
    start, end = default_period
    (violations,) = warehouse.execute(
        "select count(*) from marts.kpi_price_consistency where is_violation and day between ? and ?",
        [start, end]).fetchone()

    app = open_page("prices_fulfilment")

    if violations == 0:
        assert any("No price violations" in info.value for info in app.info)
        return
    gaps = _frame(app, "sku", "web_price", "store_price", "price_gap", "price_gap_pct")
    assert len(gaps) == violations and gaps["sku"].notna().all()
    assert _column_formats(app, "price_gap", "price_gap_pct", "web_price") == {
        "price_gap": "dollar", "price_gap_pct": "percent", "web_price": "dollar"}
    assert (gaps["price_gap"] / gaps["web_price"]).round(6).tolist() == gaps["price_gap_pct"].round(6).tolist()
    # what the marts cannot tell is said on the page, not left for the reader to wonder
    assert any("keeps no store per gap" in caption.value and "no product names" in caption.value
               for caption in app.caption)
