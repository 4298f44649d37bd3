"""A small serving snapshot with the contracted marts and ops tables, built by the tests themselves.

Why: the page tests need a snapshot whose numbers they can recompute independently, and the
injection tests need one whose bytes they can compare before and after. Deterministic (fixed seed).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import jinja2
import pandas as pd

from orchestration.serving import publish_snapshot

LAST_DAY = dt.date(2026, 11, 20)
DAYS = 120
LOCATIONS = [("loc_downtown", "Downtown", "Springfield"), ("loc_harbor", "Harbor", "Shelbyville"),
             ("loc_uptown", "Uptown", "Springfield")]
FIRST_NAMES = ["Ana", "Ben", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "Jon"]
LAST_NAMES = ["Ng", "Okafor", "Smith", "Müller", "García", "Rossi", "Kim", "Dubois"]
FOREIGN_LOCATION = "loc_harbor"
NAMELESS_CUSTOMER = 10


def build_small_snapshot(data_dir: Path, run_id: str = "test-run", customers: int = 40, days: int = DAYS) -> Path:
    """Build a small warehouse under data_dir and publish it with the real publisher; the snapshot path.

    `days` of data end on LAST_DAY (over a year lets the pages compare with a year earlier)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    warehouse = data_dir / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)
    rng = random.Random(7)
    touchpoints, people = _touchpoints(rng, customers, days)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.register("tp", touchpoints)
        con.execute("create table marts.fct_touchpoints as select * from tp")
        con.register("people", people)
        con.execute(DIM_CUSTOMERS_SQL)
        con.register("locations", pd.DataFrame(LOCATIONS, columns=["location_id", "location_name", "city"]))
        con.execute("""create table marts.dim_locations as
            select location_id, location_name, city, '9' || row_number() over () as postal_code,
                   'SQ' || location_id as square_location_id, 'accounts/1/locations/' || location_id
                   as google_location_name, null::varchar as shopify_location_id from locations""")
        for statement in DERIVED_MARTS_SQL:
            con.execute(statement)
        for name in DBT_MARTS:
            con.execute(f"create table marts.{name} as {dbt_model_sql(name)}")
        con.execute("""create schema restricted; create table restricted.dim_customers_pii as
            select customer_id, email, phone, first_name, last_name from people""")
    return publish_snapshot(warehouse, run_id, _ops_rows(run_id), directory=data_dir / "serving")


# Marts built here from the project's own model SQL (plain SQL over fct_touchpoints), so the page tests
# read exactly what dbt builds.
DBT_MARTS = ("kpi_customer_segments_monthly", "kpi_cohort_retention")
MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts" / "kpis"


def dbt_model_sql(name: str) -> str:
    """A mart's dbt model as SQL on this snapshot's `marts` schema (its only Jinja is `ref`)."""
    return jinja2.Template((MODELS / f"{name}.sql").read_text()).render(ref=lambda model: f"marts.{model}")


def _touchpoints(rng: random.Random, customers: int, days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    first_day = LAST_DAY - dt.timedelta(days=days - 1)
    rows, people = [], []
    for number in range(1, customers + 1):
        customer_id = f"cust_{number:03d}"
        channels = rng.choice([["web"], ["store"], ["web", "store"], ["web", "store", "review"]])
        home = rng.choice(LOCATIONS)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if number == NAMELESS_CUSTOMER:  # a first name only: masked "C***", which "cust_..." also masks to
            first, last = "Chloé", None
        people.append({"customer_id": customer_id, "email": f"{first.lower()}.{number}@example.com",
                       "phone": f"+1555{number:07d}", "first_name": first, "last_name": last})
        for visit in range(rng.randint(2, 9)):
            channel = rng.choice(channels)
            at = dt.datetime.combine(first_day, dt.time(9)) + dt.timedelta(
                days=rng.randrange(days), minutes=rng.randrange(600))
            location = home if channel in ("store", "review") else None
            kind = {"web": "product_view", "store": "purchase", "review": "review"}[channel]
            if channel == "web" and rng.random() < 0.5:
                kind = "purchase"
            order_id = f"{channel}-{number}-{visit}" if kind == "purchase" else None
            value = round(rng.uniform(15, 240), 2) if kind == "purchase" else None
            fulfilment = (rng.choice(["ship_to_home", "pickup_in_store", "ship_from_store"])
                          if kind == "purchase" and channel == "web" else
                          "in_store" if kind == "purchase" else None)
            # one store abroad takes its sales in its own currency (never added to USD)
            currency = None if kind != "purchase" else "CAD" if location == FOREIGN_LOCATION else "USD"
            rows.append({"touchpoint_id": f"sim:{channel}:{number}-{visit}", "customer_id": customer_id,
                         "source": "sim", "channel": channel, "touchpoint_type": kind, "occurred_at": at,
                         "location_id": location, "order_id": order_id, "sku": None,
                         "value_amount": value, "fulfilment_type": fulfilment, "campaign": None,
                         "currency": currency})
    # returns of some purchases days later, in the purchase's channel and currency (negative amounts, as
    # fct_touchpoints holds them); their own random stream keeps every other row as it was
    returns_rng = random.Random(11)
    for purchase in [row for row in rows if row["touchpoint_type"] == "purchase"]:
        returned_at = purchase["occurred_at"] + dt.timedelta(days=returns_rng.randint(2, 20))
        if returns_rng.random() < 0.2 and returned_at.date() <= LAST_DAY:
            rows.append({**purchase, "touchpoint_id": purchase["touchpoint_id"] + ":return",
                         "touchpoint_type": "return", "fulfilment_type": None, "occurred_at": returned_at,
                         "value_amount": -round(purchase["value_amount"] * returns_rng.choice([0.5, 1.0]), 2)})
    # anonymous browsing that no customer owns
    for anonymous in range(25):
        at = dt.datetime.combine(first_day, dt.time(8)) + dt.timedelta(days=rng.randrange(days))
        rows.append({"touchpoint_id": f"sim:web:anon-{anonymous}", "customer_id": None, "source": "sim",
                     "channel": "web", "touchpoint_type": "page_view", "occurred_at": at,
                     "location_id": None, "order_id": None, "sku": None, "value_amount": None,
                     "fulfilment_type": None, "campaign": None, "currency": None})
    frame = pd.DataFrame(rows)
    frame["value_amount"] = frame["value_amount"].astype("float64")
    return frame, pd.DataFrame(people)


DIM_CUSTOMERS_SQL = """
create table marts.dim_customers as
with per_customer as (
    select customer_id,
           min(occurred_at) as first_seen_at, max(occurred_at) as last_seen_at,
           string_agg(distinct channel, ',' order by channel) as channels,
           count(distinct channel) as channel_count,
           count(distinct channel) filter (where channel in ('web', 'store')) as selling_channels,
           count(distinct order_id) as orders_count,
           count(distinct order_id) filter (where channel = 'web') as web_orders,
           count(distinct order_id) filter (where channel = 'store') as store_orders,
           coalesce(sum(value_amount), 0) as revenue,
           coalesce(sum(value_amount) filter (where channel = 'web'), 0) as web_revenue,
           coalesce(sum(value_amount) filter (where channel = 'store'), 0) as store_revenue,
           count(*) filter (where touchpoint_type = 'review') as review_count
    from tp where customer_id is not null group by customer_id
)
select c.customer_id, sha256('seamline-dev-salt' || p.email) as email_hash,
       left(p.phone, 2) || repeat('*', length(p.phone) - 6) || right(p.phone, 4) as phone_masked,
       nullif(concat_ws(' ', upper(left(p.first_name, 1)) || '***', upper(left(p.last_name, 1)) || '.'), '')
           as name_masked,
       first_seen_at, last_seen_at, channels, channel_count, selling_channels > 1 as is_omnichannel,
       orders_count, web_orders, store_orders, revenue::decimal(18, 2) as revenue,
       web_revenue::decimal(18, 2) as web_revenue, store_revenue::decimal(18, 2) as store_revenue,
       0 as returns_count, (revenue * 1.5)::decimal(18, 2) as lifetime_value,
       null::decimal(18, 2) as predicted_ltv,
       case when orders_count >= 4 then 'champions' when orders_count >= 2 then 'loyal' else 'new' end
           as rfm_segment,
       review_count, case when review_count > 0 then 4.0 end as avg_rating,
       case when review_count > 0 then 0.4 end as avg_sentiment, 0 as social_posts,
       case when review_count > 0 then 'advocate' when orders_count > 1 then 'repeat'
            when orders_count = 1 then 'customer' else 'considering' end as journey_stage
from per_customer c join people p using (customer_id)
"""


DERIVED_MARTS_SQL = [
    """create table marts.fct_channel_handoffs as
    with ordered as (
        select *, lag(channel) over w as previous_channel, lag(occurred_at) over w as previous_at,
               lag(touchpoint_type) over w as previous_type
        from marts.fct_touchpoints where customer_id is not null
        window w as (partition by customer_id order by occurred_at, touchpoint_id))
    select touchpoint_id as handoff_id, customer_id, previous_channel as from_channel, channel as to_channel,
           previous_type as from_touchpoint_type, touchpoint_type as to_touchpoint_type,
           occurred_at as handed_off_at,
           (epoch(occurred_at) - epoch(previous_at)) / 3600.0 as hours_to_handoff,
           case when previous_channel = 'web' and channel = 'store' and touchpoint_type = 'purchase' then 'ropo'
                when previous_type = 'purchase' and channel = 'review' then 'purchase_to_review' end
               as handoff_pattern,
           touchpoint_type = 'purchase' as purchase_followed,
           previous_channel = 'web' and channel = 'store' and touchpoint_type = 'purchase' as is_ropo,
           previous_channel = 'web' and channel = 'store' and fulfilment_type = 'pickup_in_store' as is_bopis,
           previous_type = 'product_view' and channel = 'store' as is_cart_recovered_in_store,
           previous_type = 'purchase' and channel = 'review' as is_purchase_then_review
    from ordered where previous_channel is not null and previous_channel <> channel""",
    """create table marts.fct_journeys as
    select customer_id || ':' || date_trunc('month', occurred_at)::date as journey_id, customer_id,
           arg_min(channel, occurred_at) as entry_channel,
           string_agg(channel, ' > ' order by occurred_at) as channel_path,
           min(occurred_at) as started_at, max(occurred_at) as ended_at,
           case when bool_or(touchpoint_type = 'purchase') then 'purchase'
                when bool_or(channel = 'review') then 'abandoned' else 'dropped' end as outcome,
           case when not bool_or(touchpoint_type = 'purchase') then 'considering' end as dropoff_stage,
           count(*) as touchpoint_count
    from marts.fct_touchpoints where customer_id is not null
    group by customer_id, date_trunc('month', occurred_at)""",
    """create table marts.rpt_dropoff_funnel as
    select entry_channel, stage, stage_order, customers_reached, customers_stopped,
           customers_stopped / customers_reached as dropoff_rate from (
        select entry_channel, 'aware' as stage, 1 as stage_order, count(*) as customers_reached,
               count(*) filter (where outcome <> 'purchase') as customers_stopped
        from marts.fct_journeys group by all
        union all
        select entry_channel, 'purchase', 4, count(*) filter (where outcome = 'purchase'),
               count(*) filter (where outcome = 'purchase') from marts.fct_journeys group by all)""",
    """create table marts.fct_attribution as
    select p.order_id, p.customer_id, p.occurred_at as purchased_at, p.channel, m.model, 1.0 as credit_share,
           p.value_amount::decimal(18, 2) as credit_amount
    from marts.fct_touchpoints p,
         (values ('first_touch'), ('last_touch'), ('linear'), ('time_decay'), ('position_based')) m(model)
    where p.touchpoint_type = 'purchase'
    union all
    select order_id, customer_id, occurred_at, 'web', 'markov', 0.5, (value_amount / 2)::decimal(18, 2)
    from marts.fct_touchpoints where touchpoint_type = 'purchase'
    union all
    select order_id, customer_id, occurred_at, 'store', 'markov', 0.5, (value_amount - (value_amount / 2)::decimal(18, 2))::decimal(18, 2)
    from marts.fct_touchpoints where touchpoint_type = 'purchase'""",
    """create table marts.fct_reviews as
    select touchpoint_id as review_id, customer_id, location_id, 1 + (hash(touchpoint_id) % 5)::int as rating,
           ((hash(touchpoint_id) % 200)::int - 100) / 100.0 as sentiment,
           case when ((hash(touchpoint_id) % 200)::int - 100) / 100.0 <= -0.05 then 'negative'
                when ((hash(touchpoint_id) % 200)::int - 100) / 100.0 >= 0.05 then 'positive'
                else 'neutral' end as sentiment_label,
           'Review text ' || touchpoint_id as review_text, occurred_at as created_at,
           hash(touchpoint_id) % 2 = 0 as has_owner_reply
    from marts.fct_touchpoints where touchpoint_type = 'review'""",
    """create table marts.kpi_reviews_social_weekly as
    select date_trunc('week', created_at)::date as week_start, location_id, count(*) as reviews,
           avg(rating) as avg_rating, avg(sentiment) as avg_sentiment,
           count(*) filter (where has_owner_reply) as responded_reviews,
           count(*) filter (where has_owner_reply) / count(*) as response_rate,
           count(*) * 2 as social_mentions, count(*) filter (where sentiment < 0) as negative_mentions
    from marts.fct_reviews group by all""",
    """create table marts.kpi_price_consistency as
    select occurred_at::date as day, 'SKU-' || (hash(touchpoint_id) % 7) as sku, 20.0 as web_price,
           20.0 + (hash(touchpoint_id) % 3) as store_price, (hash(touchpoint_id) % 3) * 1.0 as price_gap,
           (hash(touchpoint_id) % 3) / 20.0 as price_gap_pct, 'same_day' as web_price_basis,
           hash(touchpoint_id) % 3 <> 0 as is_violation
    from marts.fct_touchpoints where touchpoint_type = 'purchase' and channel = 'store'""",
    """create table marts.kpi_fulfilment_returns as
    select occurred_at::date as day, channel as purchase_channel, location_id, count(*) as orders,
           count(*) filter (where fulfilment_type = 'ship_to_home') as ship_to_home_orders,
           count(*) filter (where fulfilment_type = 'pickup_in_store') as bopis_orders,
           count(*) filter (where fulfilment_type = 'in_store') as in_store_orders,
           count(*) filter (where fulfilment_type = 'ship_from_store') as ship_from_store_orders,
           count(*) filter (where hash(order_id) % 5 = 0) as returns,
           count(*) filter (where hash(order_id) % 10 = 0) as cross_channel_returns
    from marts.fct_touchpoints where touchpoint_type = 'purchase' group by all""",
]


def _ops_rows(run_id: str) -> dict[str, list[dict[str, object]]]:
    now = dt.datetime.now(dt.UTC)
    return {
        "source_freshness": [
            {"source": "shopify", "last_loaded_at": now, "last_record_at": now - dt.timedelta(hours=2)},
            {"source": "square", "last_loaded_at": now, "last_record_at": now - dt.timedelta(hours=3)},
        ],
        # the publisher's vocabulary (orchestration/publish.py): status passed/failed, Dagster severities
        "quality_results": [
            {"check_name": "not_null_fct_touchpoints_touchpoint_id", "asset": "marts.fct_touchpoints",
             "severity": "ERROR", "status": "passed", "observed_value": "0", "run_id": run_id, "checked_at": now},
            {"check_name": "gx_revenue_non_negative", "asset": "marts.dim_customers", "severity": "ERROR",
             "status": "passed", "observed_value": "0", "run_id": run_id, "checked_at": now},
            {"check_name": "freshness_bluesky", "asset": "bluesky.posts", "severity": "WARN",
             "status": "failed", "observed_value": "30h", "run_id": run_id, "checked_at": now,
             "description": "bluesky's newest post is 30 h behind the newest record of any source"},
            {"check_name": "dim_locations_every_location_mapped", "asset": "marts.dim_locations",
             "severity": "WARN", "status": "failed", "observed_value": "1", "run_id": run_id, "checked_at": now,
             "description": "1 location is known to one system only"},
        ],
        "check_failing_rows": [
            {"check_name": "dim_locations_every_location_mapped", "asset": "marts.dim_locations", "row_number": 1,
             "row_json": '{"shopify_location_id": "71450208999", "location_name": "Pop-up Market Stall"}'},
        ],
        "quarantine_counts": [
            {"source": "shopify", "table": "orders", "reason": "total_price is not a number", "records": 3},
            {"source": "square", "table": "payments", "reason": "missing location_id", "records": 1},
        ],
    }
