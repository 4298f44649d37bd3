"""The marts built on the world's true touchpoints reproduce the simulator's ground truth exactly."""

import json
from pathlib import Path

import pytest
from planted_price_gaps import assert_violations_are_the_planted_gaps


def _truth(tiny_world: Path, name: str) -> str:
    return f"read_parquet('{tiny_world / 'truth' / name}')"


def test_every_journey_matches_the_truth(marts_db, tiny_world):
    mine = marts_db.execute("""
        select customer_id, started_at, ended_at, touchpoint_count, replace(channel_path, ' > ', '>'),
               outcome, coalesce(dropoff_touchpoint_type, ''), is_open
        from marts.fct_journeys""").fetchall()
    truth = marts_db.execute(f"""
        select person_id, cast(started_at as timestamp), cast(ended_at as timestamp), touchpoints, channel_path,
               outcome, coalesce(dropoff_type, ''), is_open
        from {_truth(tiny_world, 'journeys.parquet')}""").fetchall()
    assert len(truth) > 300
    assert sorted(mine) == sorted(truth)


def test_every_handoff_matches_the_truth(marts_db, tiny_world):
    mine = marts_db.execute("""
        select customer_id, from_channel, to_channel, from_touchpoint_type, to_touchpoint_type,
               from_occurred_at, handed_off_at, purchase_followed
        from marts.fct_channel_handoffs""").fetchall()
    truth = marts_db.execute(f"""
        select person_id, from_channel, to_channel, from_type, to_type, cast(from_at as timestamp),
               cast(to_at as timestamp), purchase_within_window
        from {_truth(tiny_world, 'handoffs.parquet')}""").fetchall()
    assert len(truth) > 100
    assert sorted(mine) == sorted(truth)


def test_handoff_matrix_counts_every_handoff(marts_db, tiny_world):
    kpis = json.loads((tiny_world / "truth" / "kpis.json").read_text())
    matrix = dict(marts_db.execute("""
        select from_channel || '>' || to_channel, sum(handoffs) from marts.rpt_handoff_matrix group by 1
        """).fetchall())
    assert matrix == kpis["handoffs_by_channel_pair"]


def test_cross_channel_returns_are_exactly_the_planted_ones(marts_db, tiny_world):
    found = marts_db.execute("""
        select order_id, purchase_channel, return_channel from intermediate.int_order_returns
        where is_cross_channel_return""").fetchall()
    planted = marts_db.execute(f"""
        select order_id, purchase_channel, return_channel from {_truth(tiny_world, 'planted.parquet')}
        where kind = 'cross_channel_return'""").fetchall()
    assert planted, "the tiny world plants cross-channel returns"
    assert sorted(found) == sorted(planted)
    total = marts_db.execute("select sum(cross_channel_returns) from marts.kpi_fulfilment_returns").fetchone()[0]
    assert total == len(planted)


def test_channel_revenue_orders_and_fulfilment_match_the_truth_kpis(marts_db, tiny_world):
    kpis = json.loads((tiny_world / "truth" / "kpis.json").read_text())
    revenue: dict[str, dict[str, float]] = {}
    for channel, currency, amount in marts_db.execute("""
            select channel, currency, sum(revenue) from marts.kpi_channel_daily where orders > 0 group by all""").fetchall():
        revenue.setdefault(channel, {})[currency] = float(amount)
    assert revenue.keys() == kpis["revenue_by_channel_currency"].keys()
    for channel, by_currency in kpis["revenue_by_channel_currency"].items():
        assert revenue[channel] == pytest.approx(by_currency, abs=0.005), channel
    orders = dict(marts_db.execute("""
        select channel, sum(orders) from marts.kpi_channel_daily where orders > 0 group by 1""").fetchall())
    assert orders == kpis["orders_by_channel"]
    fulfilment = marts_db.execute("""
        select sum(ship_to_home_orders), sum(bopis_orders), sum(ship_from_store_orders), sum(in_store_orders)
        from marts.kpi_fulfilment_returns""").fetchone()
    by_type = kpis["orders_by_fulfilment_type"]
    assert fulfilment == tuple(by_type.get(t, 0) for t in ("ship_to_home", "pickup_in_store", "ship_from_store",
                                                           "in_store"))


def test_attribution_credits_sum_to_each_purchase_for_every_model(marts_db):
    purchases, models, off = marts_db.execute("""
        with per_order as (
            select order_id, model, sum(credit_amount) as credited, min(order_value) as order_value
            from marts.fct_attribution group by order_id, model
        )
        select count(distinct order_id), count(distinct model),
               count(case when credited <> order_value then 1 end)
        from per_order""").fetchone()
    expected = marts_db.execute(  # the stand-in touchpoints live in the target's default schema
        "select count(*) from main.fct_touchpoints where touchpoint_type = 'purchase'").fetchone()[0]
    assert (purchases, models, off) == (expected, 6, 0)


def test_reviews_and_mentions_are_counted_with_sentiment(marts_db, tiny_world):
    kpis = json.loads((tiny_world / "truth" / "kpis.json").read_text())
    reviews, rated_sum, mentions = marts_db.execute("""
        select sum(reviews), sum(avg_rating * reviews), sum(social_mentions)
        from marts.kpi_reviews_social_weekly""").fetchone()
    assert reviews == kpis["reviews_total"]
    assert rated_sum / reviews == pytest.approx(kpis["average_rating"], abs=0.001)
    assert mentions == kpis["social_mentions"]
    scored, agreeing = marts_db.execute("""
        select count(sentiment), count(case when (rating >= 4 and sentiment > 0) or (rating <= 2 and sentiment < 0)
                                            or rating = 3 then 1 end)
        from marts.fct_reviews""").fetchone()
    assert scored > 0 and agreeing / scored > 0.8


def test_price_violations_are_exactly_the_planted_gaps_where_both_prices_were_seen(marts_db, tiny_world):
    assert_violations_are_the_planted_gaps(marts_db, tiny_world / "truth" / "planted.parquet", min_days_compared=50)


def test_every_abandoned_cart_is_counted_once_with_its_recovery(marts_db, tiny_world):
    kpis = json.loads((tiny_world / "truth" / "kpis.json").read_text())
    carts, recovered, shares_ok = marts_db.execute("""
        select sum(carts), sum(case when recovery_channel <> 'not_recovered' then carts else 0 end),
               bool_and(abs(week_total - 1) < 1e-9)
        from (select *, sum(share_of_abandoned_carts) over (partition by week_start) as week_total
              from marts.kpi_cart_recovery)""").fetchone()
    assert carts == kpis["abandoned_checkouts"]
    assert 0 < recovered < carts
    assert shares_ok
