"""Every SQL statement the dashboard runs, and the one place that runs them.

Why one module: a newcomer follows a number from a page to its query here and from there to the mart.
Every statement is a constant; user input only ever arrives as a bound parameter (`?`), never as text
spliced into SQL. Results are cached per snapshot: a published snapshot never changes, so the
snapshot's file name (part of every cache key) is a complete invalidation rule (streamlit#5871).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboards import pii, weeks
from dashboards.filters import Filters
from dashboards.months import Months
from dashboards.snapshot import Snapshot

# The cross-page filter on `marts.fct_touchpoints`; bound by `Filters.params()`.
TOUCHPOINT_FILTER = (
    "occurred_at >= ? and occurred_at < ? and list_contains(?::varchar[], channel)"
    " and (?::varchar is null or location_id = ?)"
)


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(snapshot_path: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per snapshot file; queries take their own cursor (not thread-safe)."""
    return duckdb.connect(snapshot_path, read_only=True)


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached_fetch(snapshot_path: str, sql: str, params: tuple[Any, ...]) -> pd.DataFrame:
    cursor = _connection(snapshot_path).cursor()
    try:
        return cursor.execute(sql, [list(p) if isinstance(p, tuple) else p for p in params]).df()
    finally:
        cursor.close()


def fetch(snapshot: Snapshot, sql: str, params: tuple[Any, ...] = ()) -> pd.DataFrame:
    """Run one of this module's statements on the snapshot with bound parameters, cached per snapshot."""
    hashable = tuple(tuple(p) if isinstance(p, list) else p for p in params)
    return _cached_fetch(str(snapshot.path), sql, hashable)


def _numbers(frame: pd.DataFrame) -> dict[str, float | None]:
    """The single row of an aggregate query as floats, None where SQL returned null."""
    return {key: (None if pd.isna(value) else float(value)) for key, value in frame.iloc[0].items()}


# --- snapshot-wide facts -------------------------------------------------------------------------

DATA_RANGE = """
select min(occurred_at)::date as first_day, max(occurred_at)::date as last_day
from marts.fct_touchpoints
"""

LOCATIONS = """
select location_id, location_name, city
from marts.dim_locations
order by location_name
"""


def data_range(snapshot: Snapshot) -> tuple[dt.date, dt.date]:
    """First and last day with touchpoints: the bounds of the date filter."""
    row = fetch(snapshot, DATA_RANGE).iloc[0]
    return pd.Timestamp(row["first_day"]).date(), pd.Timestamp(row["last_day"]).date()


def locations(snapshot: Snapshot) -> pd.DataFrame:
    return fetch(snapshot, LOCATIONS)


# --- overview ------------------------------------------------------------------------------------

# Revenue is net merchandise sales (dbt doc block revenue_basis) and is never added across
# currencies: money tiles and charts show the reporting currency, the one most of the selected sales
# were taken in (the web shop's for the whole business, a store's own abroad when only that store is
# selected), and sales in other currencies are listed beside them.
REPORTING_CURRENCY_CTE = """
reporting as (
    select coalesce(
        (select mode() within group (order by currency) from selected where currency is not null),
        (select mode() within group (order by currency) from marts.fct_touchpoints
         where touchpoint_type = 'purchase' and currency is not null),
        'USD') as currency
)"""

SELECTED_PURCHASES_CTE = f"""
selected as (
    select * from marts.fct_touchpoints where touchpoint_type = 'purchase' and {TOUCHPOINT_FILTER}
),
{REPORTING_CURRENCY_CTE.strip()}"""

HEADLINE_KPIS = f"""
with period as (
    select * from marts.fct_touchpoints where {TOUCHPOINT_FILTER}
),
selected as (
    select * from period where touchpoint_type = 'purchase'
),
{REPORTING_CURRENCY_CTE.strip()},
active as (
    select distinct customer_id from period where customer_id is not null
)
select
    (select currency from reporting) as currency,
    coalesce((select sum(value_amount) from selected where currency = (select currency from reporting)), 0)::double
        as revenue,
    -- returns of the period by return date, as kpi_channel_daily.returned_amount (return rows are negative)
    coalesce((select -sum(value_amount) from period
              where touchpoint_type = 'return' and currency = (select currency from reporting)), 0)::double
        as returned_amount,
    (select count(distinct order_id) from selected) as orders,
    (select count(distinct order_id) from selected where currency = (select currency from reporting))
        as reporting_orders,
    (select count(*) from active) as active_customers,
    (select avg(case when c.is_omnichannel then 1.0 else 0.0 end)
       from active a join marts.dim_customers c using (customer_id)) as omnichannel_share,
    (select avg(c.lifetime_value) filter (where c.is_omnichannel)
       from active a join marts.dim_customers c using (customer_id))::double as ltv_omnichannel,
    (select avg(c.lifetime_value) filter (where not c.is_omnichannel)
       from active a join marts.dim_customers c using (customer_id))::double as ltv_single_channel
"""

OTHER_CURRENCY_REVENUE = f"""
with {SELECTED_PURCHASES_CTE.strip()}
select currency, sum(value_amount)::double as revenue, count(distinct order_id) as orders
from selected
where currency <> (select currency from reporting)
group by all
order by currency
"""

# daily, summed into whole weeks by `weeks.whole_weeks` (a part-week would draw a false dip)
REVENUE_BY_CHANNEL_DAILY = f"""
with {SELECTED_PURCHASES_CTE.strip()}
select occurred_at::date as day, channel,
       sum(value_amount)::double as revenue, count(distinct order_id) as orders
from selected
where currency = (select currency from reporting)
group by all
order by day, channel
"""


def headline_kpis(snapshot: Snapshot, filters: Filters) -> dict[str, Any]:
    """Revenue gross and net of returns (reporting currency), orders, AOV, active customers,
    omnichannel share and LTV split."""
    frame = fetch(snapshot, HEADLINE_KPIS, filters.params())
    currency = str(frame.iloc[0]["currency"])
    kpis: dict[str, Any] = _numbers(frame.drop(columns=["currency"]))
    kpis["aov"] = kpis["revenue"] / kpis["reporting_orders"] if kpis["reporting_orders"] else None
    kpis["net_revenue"] = kpis["revenue"] - kpis["returned_amount"]
    kpis["currency"] = currency
    return kpis


def other_currency_revenue(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Revenue and orders per currency other than the reporting one (never added to it)."""
    return fetch(snapshot, OTHER_CURRENCY_REVENUE, filters.params())


def revenue_by_channel_weekly(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Revenue and orders per channel in the filter's whole weeks (reporting currency)."""
    daily = fetch(snapshot, REVENUE_BY_CHANNEL_DAILY, filters.params())
    return weeks.whole_weeks(daily, filters, by=["channel"], values=["revenue", "orders"])


# --- data health (also feeds the banner on every page) --------------------------------------------

LAST_PUBLISH = """
select run_id, published_at, snapshot_file
from ops.publish_log
order by published_at desc
limit 1
"""

SOURCE_FRESHNESS = """
select source, last_loaded_at, last_record_at
from ops.source_freshness
order by source
"""

QUALITY_RESULTS = """
select check_name, asset, severity, status, observed_value, description, run_id, checked_at
from ops.quality_results
order by (status = 'passed'), severity, asset, check_name
"""

# the rows behind each failed warning on a public mart (orchestration/quality/failing_rows.py);
# snapshots published before that table existed have none
CHECK_FAILING_ROWS = """
select check_name, row_number, row_json
from ops.check_failing_rows
order by check_name, row_number
"""

QUARANTINE_COUNTS = """
select source, "table", reason, records
from ops.quarantine_counts
order by records desc, source, "table"
"""


# each source's last load: a failed one is published from its last good load and marked stale
# (orchestration/source_loads.py); snapshots published before that table existed have none
SOURCE_LOADS = """
select source, status, error, last_successful_load_at, run_id
from ops.source_loads
order by (status = 'failed') desc, source
"""


def source_loads(snapshot: Snapshot) -> pd.DataFrame:
    """Per source: loaded/failed in the run that published, its error, and its last good load."""
    try:
        return fetch(snapshot, SOURCE_LOADS)
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["source", "status", "error", "last_successful_load_at", "run_id"])


def stale_sources(snapshot: Snapshot) -> pd.DataFrame:
    """The sources whose last load failed: their figures come from their last good load."""
    loads = source_loads(snapshot)
    return loads[loads["status"] == "failed"]


def last_publish(snapshot: Snapshot) -> dict[str, Any] | None:
    frame = fetch(snapshot, LAST_PUBLISH)
    return None if frame.empty else frame.iloc[0].to_dict()


def source_freshness(snapshot: Snapshot) -> pd.DataFrame:
    return fetch(snapshot, SOURCE_FRESHNESS)


def quality_results(snapshot: Snapshot) -> pd.DataFrame:
    return fetch(snapshot, QUALITY_RESULTS)


def quarantine_counts(snapshot: Snapshot) -> pd.DataFrame:
    return fetch(snapshot, QUARANTINE_COUNTS)


def check_failing_rows(snapshot: Snapshot) -> dict[str, pd.DataFrame]:
    """Per failed warning check: its failing rows as a table (one column per field of the row)."""
    try:
        frame = fetch(snapshot, CHECK_FAILING_ROWS)
    except duckdb.CatalogException:
        return {}
    return {
        name: pd.DataFrame([json.loads(text) for text in rows["row_json"]])
        for name, rows in frame.groupby("check_name", sort=True)
    }


# --- identity (Data health) ----------------------------------------------------------------------

IDENTITY_QUALITY = """
select metric_group, metric, value from marts.rpt_identity_quality order by metric_group, value desc, metric
"""

IDENTITY_EXCLUDED_VALUES = """
select identifier_type, value_masked, reason, records, people, lone_records
from marts.identity_excluded_values
order by records desc, identifier_type, value_hash
"""


def identity_quality(snapshot: Snapshot) -> pd.DataFrame:
    """Cluster QA metrics (marts.rpt_identity_quality); empty on a snapshot published before it existed."""
    try:
        return fetch(snapshot, IDENTITY_QUALITY)
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["metric_group", "metric", "value"])


def identity_excluded_values(snapshot: Snapshot) -> pd.DataFrame:
    """Identifier values excluded from linking, masked (marts.identity_excluded_values)."""
    try:
        return fetch(snapshot, IDENTITY_EXCLUDED_VALUES)
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["identifier_type", "value_masked", "reason", "records", "people", "lone_records"])


# --- hand-offs -----------------------------------------------------------------------------------

HANDOFF_PERIOD = """
    handed_off_at >= ? and handed_off_at < ?
    and list_contains(?::varchar[], from_channel) and list_contains(?::varchar[], to_channel)
"""

HANDOFF_FLOWS = f"""
select from_channel, to_channel, count(*) as handoffs, count(distinct customer_id) as customers,
       median(hours_to_handoff)::double as median_hours_to_handoff,
       avg(case when purchase_followed then 1.0 else 0.0 end)::double as purchase_rate
from marts.fct_channel_handoffs
where {HANDOFF_PERIOD}
group by all
order by handoffs desc, from_channel, to_channel
"""

NAMED_PATTERNS = ("ROPO", "BOPIS", "Cart recovered in store", "Purchase then review")

# Counted by the mart's pattern flags, not its one-label `handoff_pattern` column, so a hand-off that
# is both ROPO and cart-recovered-in-store counts for both named patterns. Daily: summed into whole
# weeks, with zeros where a pattern did not occur, by `weeks.whole_weeks`.
HANDOFF_PATTERNS_DAILY = f"""
select handed_off_at::date as day, named.pattern, count(*) as handoffs
from marts.fct_channel_handoffs
cross join (values ('ROPO'), ('BOPIS'), ('Cart recovered in store'), ('Purchase then review')) named(pattern)
where case named.pattern
        when 'ROPO' then is_ropo
        when 'BOPIS' then is_bopis
        when 'Cart recovered in store' then is_cart_recovered_in_store
        when 'Purchase then review' then is_purchase_then_review
      end
  and {HANDOFF_PERIOD}
group by all
order by day, named.pattern
"""

# In days: hand-offs range from minutes to most of a year. A log axis cannot draw zero, so a hand-off
# within the same minute is drawn at one minute.
HANDOFF_DAYS = f"""
select from_channel || ' → ' || to_channel as handoff,
       greatest(hours_to_handoff, 1 / 60) / 24 as days_to_handoff
from marts.fct_channel_handoffs
where {HANDOFF_PERIOD}
"""


def _handoff_params(filters: Filters) -> tuple[Any, ...]:
    start, end, channels, _, _ = filters.params()
    return (start, end, channels, channels)


def handoff_flows(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Channel-to-channel flows in the period: counts, time to hand-off, purchase rate."""
    return fetch(snapshot, HANDOFF_FLOWS, _handoff_params(filters))


def handoff_patterns_weekly(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """The named patterns (ROPO, BOPIS, cart recovered in store, purchase -> review) per whole week,
    every pattern in every week (zero when it did not occur)."""
    daily = fetch(snapshot, HANDOFF_PATTERNS_DAILY, _handoff_params(filters))
    return weeks.whole_weeks(daily, filters, by=["pattern"], values=["handoffs"],
                             every={"pattern": NAMED_PATTERNS})


def handoff_totals(snapshot: Snapshot, filters: Filters) -> dict[str, float]:
    """Hand-offs in the period: all of them ("all") and each named pattern (zero when it did not occur)."""
    by_pattern = fetch(snapshot, HANDOFF_PATTERNS_DAILY, _handoff_params(filters)).groupby("pattern")["handoffs"].sum()
    flows = handoff_flows(snapshot, filters)
    return {"all": float(flows["handoffs"].sum()),
            **{pattern: float(by_pattern.get(pattern, 0)) for pattern in NAMED_PATTERNS}}


def handoff_days(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Days between the two touchpoints of each hand-off in the period."""
    return fetch(snapshot, HANDOFF_DAYS, _handoff_params(filters))


# --- journeys and drop-offs ----------------------------------------------------------------------

JOURNEY_PERIOD = "started_at >= ? and started_at < ? and list_contains(?::varchar[], entry_channel)"

# Journeys of the period reaching each stage, per entry channel. The ladder is fct_journeys': a
# journey's furthest stage is purchase, else its dropoff_stage (aware, considering or cart).
JOURNEY_STAGES = f"""
select entry_channel,
       count(*) as aware,
       count(*) filter (where outcome = 'purchase' or dropoff_stage in ('considering', 'cart')) as considering,
       count(*) filter (where outcome = 'purchase' or dropoff_stage = 'cart') as cart,
       count(*) filter (where outcome = 'purchase') as purchase
from marts.fct_journeys
where {JOURNEY_PERIOD}
group by entry_channel
order by entry_channel
"""

# The stages each entry channel really observes. Only the web shop sees product views and carts; a
# store sees a sale (or a return), a review or a post shows awareness. Drawing unobserved stages would
# show a flat funnel with no drop-off, which is an artefact, not a finding.
OBSERVED_STAGES = {
    "web": ("aware", "considering", "cart", "purchase"),
    "store": ("aware", "purchase"),
    "review": ("aware", "purchase"),
    "social": ("aware", "purchase"),
}
STAGE_DEFINITIONS = {
    "aware": "the journey started: any touchpoint (a visit, a post, a review, a store sale or return)",
    "considering": "viewed a product in the web shop",
    "cart": "added to cart, started a checkout or abandoned a cart in the web shop",
    "purchase": "bought, in any channel, before the journey ended",
}
OUTCOME_DEFINITIONS = {
    "purchase": "the journey ended with a purchase",
    "abandoned": "it reached the cart (add-to-cart, checkout or abandoned cart) but ended without a purchase",
    "dropped": "it ended before any cart and without a purchase",
}

TOP_JOURNEY_PATHS = f"""
select channel_path, outcome, count(*) as journeys,
       avg(touchpoint_count)::double as avg_touchpoints
from marts.fct_journeys
where {JOURNEY_PERIOD}
group by all
order by journeys desc, channel_path, outcome
limit 15
"""

DROPOFF_POINTS = f"""
select entry_channel, dropoff_stage, outcome, count(*) as journeys
from marts.fct_journeys
where outcome <> 'purchase' and {JOURNEY_PERIOD}
group by all
order by journeys desc, entry_channel, dropoff_stage
"""


def _journey_params(filters: Filters) -> tuple[Any, ...]:
    start, end, channels, _, _ = filters.params()
    return (start, end, channels)


def stage_funnel(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Journeys started in the period reaching each stage their entry channel observes.

    Per stage: journeys reached, their share of the journeys started, the journeys that went no
    further (`journeys_lost`: did not reach the channel's next stage; none after a purchase) and
    `dropoff_rate` = journeys_lost / journeys_reached. Stages no journey reached are left out.
    """
    reached = fetch(snapshot, JOURNEY_STAGES, _journey_params(filters))
    rows = []
    for counts in reached.to_dict("records"):
        stages = OBSERVED_STAGES.get(counts["entry_channel"], ("aware", "purchase"))
        for order, stage in enumerate(stages):
            following = counts[stages[order + 1]] if order + 1 < len(stages) else counts[stage]
            rows.append({"entry_channel": counts["entry_channel"], "stage": stage,
                         "journeys_reached": counts[stage], "share_of_started": counts[stage] / counts["aware"],
                         "journeys_lost": counts[stage] - following})
    funnel = pd.DataFrame(rows, columns=["entry_channel", "stage", "journeys_reached", "share_of_started",
                                         "journeys_lost"])
    funnel = funnel[funnel["journeys_reached"] > 0].reset_index(drop=True)
    funnel["dropoff_rate"] = funnel["journeys_lost"] / funnel["journeys_reached"]
    return funnel


def top_journey_paths(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    return fetch(snapshot, TOP_JOURNEY_PATHS, _journey_params(filters))


def dropoff_points(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    return fetch(snapshot, DROPOFF_POINTS, _journey_params(filters))


# --- attribution ---------------------------------------------------------------------------------

CHANNEL_CREDIT = """
select channel, model, sum(credit_amount)::double as credit_amount
from marts.fct_attribution
where purchased_at >= ? and purchased_at < ? and list_contains(?::varchar[], channel)
group by all
order by model, channel
"""


def channel_credit(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Revenue credited to each channel under each attribution model, for purchases in the period."""
    return fetch(snapshot, CHANNEL_CREDIT, _journey_params(filters))


def credit_shares(snapshot: Snapshot, filters: Filters, model: str) -> dict[str, float]:
    """Each channel's share of the revenue one model credits in the period (empty without purchases)."""
    credit = channel_credit(snapshot, filters)
    own = credit[credit["model"] == model]
    total = own["credit_amount"].sum()
    return {row.channel: row.credit_amount / total for row in own.itertuples()} if total else {}


# --- customer 360 --------------------------------------------------------------------------------

CUSTOMER_FIELDS = """customer_id, name_masked, email_hash, phone_masked, channels, is_omnichannel,
       first_seen_at, last_seen_at, orders_count, revenue, lifetime_value, predicted_ltv, rfm_segment,
       journey_stage, review_count, avg_rating, avg_sentiment, social_posts"""

CUSTOMER_TIMELINE = """
select t.occurred_at, t.channel, t.touchpoint_type, t.source, l.location_name, t.order_id, t.sku,
       t.value_amount::double as value_amount, t.currency, t.fulfilment_type, t.campaign
from marts.fct_touchpoints t
left join marts.dim_locations l using (location_id)
where t.customer_id = ? and t.occurred_at >= ? and t.occurred_at < ? and list_contains(?::varchar[], t.channel)
order by t.occurred_at, t.touchpoint_id
"""

CUSTOMER_TOUCHPOINT_COUNT = """
select count(*) as touchpoints from marts.fct_touchpoints where customer_id = ?
"""

CUSTOMER_SEARCH_LIMIT = 50


def customer_search_sql() -> str:
    """The customer search: an exact id, the hashed email / masked phone / masked name, or one of the
    ids `$ids` found by raw values in the restricted file (an empty list for other roles)."""
    return f"""
select {CUSTOMER_FIELDS}
from marts.dim_customers
where customer_id = $search
   -- an exact customer id finds that customer only, never namesakes of the id's masked "name"
   or (not exists (select 1 from marts.dim_customers where customer_id = $search) and (
          list_contains($ids::varchar[], customer_id)
       or ($kind = 'email' and email_hash = {pii.email_hash_sql()})
       or ($kind = 'phone' and phone_masked = {pii.phone_masked_sql()})
       or ($kind = 'name' and name_masked = {pii.name_masked_sql()})))
order by lifetime_value desc nulls last, customer_id
limit {CUSTOMER_SEARCH_LIMIT}
"""


def find_customers(snapshot: Snapshot, text: str, kind: str, salt: str,
                   ids_by_raw_pii: list[str] | None = None) -> pd.DataFrame:
    """Customers matching the searched text (at most `CUSTOMER_SEARCH_LIMIT`), plus `ids_by_raw_pii`."""
    return _run_named(snapshot.path, customer_search_sql(),
                      {"search": text, "kind": kind, "salt": salt, "ids": ids_by_raw_pii or []})


def _run_named(database: Path, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """Run a statement with named parameters on a read-only file (uncached: the typed text varies)."""
    cursor = _connection(str(database)).cursor()
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


# Raw PII: only on the restricted file (`seamline_core.snapshots.restricted_snapshot`), and only for
# roles that may see it (`DashboardSettings.shows_raw_pii`); callers check the role first.

def restricted_customer_search_sql() -> str:
    """Customer ids whose raw email, phone or "first last" name equals the normalised search text."""
    return f"""
select customer_id
from restricted.dim_customers_pii
where ($kind = 'email' and email = {pii.normalised_email_sql()})
   or ($kind = 'phone' and phone = {pii.normalised_phone_sql()})
   or ($kind = 'name' and lower(first_name) = lower({pii.FIRST_WORD_SQL})
       and lower(last_name) = lower({pii.LAST_WORD_SQL}))
order by customer_id
limit {CUSTOMER_SEARCH_LIMIT}
"""


RESTRICTED_CUSTOMER_PII = """
select customer_id, email, phone, first_name, last_name
from restricted.dim_customers_pii
where list_contains(?::varchar[], customer_id)
order by customer_id
"""


def customer_ids_by_raw_pii(restricted: Path, text: str, kind: str) -> list[str]:
    """Ids of customers whose raw email, phone or name matches (restricted file, service role only)."""
    found = _run_named(restricted, restricted_customer_search_sql(), {"search": text, "kind": kind})
    return found["customer_id"].tolist()


def customer_raw_pii(restricted: Path, customer_ids: list[str]) -> pd.DataFrame:
    """Raw email, phone and name of the given customers, indexed by customer_id (service role only).

    Cached per restricted file, whose name carries the run id like its public snapshot's.
    """
    frame = _cached_fetch(str(restricted), RESTRICTED_CUSTOMER_PII, (tuple(customer_ids),))
    return frame.set_index("customer_id")


def customer_timeline(snapshot: Snapshot, customer_id: str, filters: Filters) -> pd.DataFrame:
    """The customer's touchpoints in the filter's dates and channels, oldest first."""
    start, end, channels, _, _ = filters.params()
    return fetch(snapshot, CUSTOMER_TIMELINE, (customer_id, start, end, channels))


def customer_touchpoint_count(snapshot: Snapshot, customer_id: str) -> int:
    """All touchpoints of the customer, whatever the filters (to say how many the filters hide)."""
    return int(fetch(snapshot, CUSTOMER_TOUCHPOINT_COUNT, (customer_id,)).iloc[0]["touchpoints"])


# --- reviews and social --------------------------------------------------------------------------

REVIEWS_WEEKLY = """
select r.week_start, coalesce(l.location_name, 'Online / no location') as location_name, r.reviews,
       r.avg_rating::double as avg_rating, r.avg_sentiment::double as avg_sentiment,
       r.response_rate::double as response_rate, r.social_mentions, r.negative_mentions
from marts.kpi_reviews_social_weekly r
left join marts.dim_locations l using (location_id)
where r.week_start >= date_trunc('week', ?::timestamp) and r.week_start < ?
  and (?::varchar is null or r.location_id = ?)
order by r.week_start, location_name
"""

REVIEWS_TOTALS = """
select sum(reviews)::bigint as reviews,
       (sum(avg_rating * reviews) / nullif(sum(reviews), 0))::double as avg_rating,
       (sum(responded_reviews)::double / nullif(sum(reviews), 0)) as response_rate,
       sum(social_mentions)::bigint as social_mentions,
       (sum(negative_mentions)::double / nullif(sum(social_mentions), 0)) as negative_mention_share
from marts.kpi_reviews_social_weekly
where week_start >= date_trunc('week', ?::timestamp) and week_start < ?
  and (?::varchar is null or location_id = ?)
"""

# Negative = the reviewer's stars say so (1-2), or a middling 3 whose text reads negative. A 4-5 star
# review is the reviewer's own positive verdict, whatever the sentiment model makes of its words
# (VADER scores sarcasm and "no problems at all" below zero), so it is never listed as negative.
NEGATIVE_REVIEW_RULE = "(r.rating <= 2 or (r.rating = 3 and r.sentiment_label = 'negative'))"

NEGATIVE_REVIEWS = f"""
select r.created_at, coalesce(l.location_name, r.location_id) as location_name, r.rating,
       r.sentiment::double as sentiment, r.review_text, r.has_owner_reply
from marts.fct_reviews r
left join marts.dim_locations l using (location_id)
where {NEGATIVE_REVIEW_RULE}
  and r.created_at >= ? and r.created_at < ? and (?::varchar is null or r.location_id = ?)
order by r.rating asc, r.sentiment asc nulls last, r.created_at desc
limit 10
"""

SOCIAL_MENTIONS_WEEKLY = """
select week_start, sum(social_mentions)::bigint as social_mentions,
       sum(negative_mentions)::bigint as negative_mentions
from marts.kpi_reviews_social_weekly
where week_start >= date_trunc('week', ?::timestamp) and week_start < ?
  and (?::varchar is null or location_id = ?)
group by all
order by week_start
"""


def _location_params(filters: Filters) -> tuple[Any, ...]:
    start, end, _, location, _ = filters.params()
    return (start, end, location, location)


def reviews_weekly(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    return fetch(snapshot, REVIEWS_WEEKLY, _location_params(filters))


def reviews_totals(snapshot: Snapshot, filters: Filters) -> dict[str, float | None]:
    return _numbers(fetch(snapshot, REVIEWS_TOTALS, _location_params(filters)))


def negative_reviews(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """The ten most negative reviews of the period (`NEGATIVE_REVIEW_RULE`; fewest stars, then most
    negative text first)."""
    return fetch(snapshot, NEGATIVE_REVIEWS, _location_params(filters))


def social_mentions_weekly(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """Social mentions of the brand per week, all negative ones among them."""
    return fetch(snapshot, SOCIAL_MENTIONS_WEEKLY, _location_params(filters))


# --- prices and fulfilment -----------------------------------------------------------------------

# The mart compares a SKU's web price with the median store price of the day across all stores (shop
# currency): it keeps no store per gap, and the snapshot has no product names, so the SKU names it.
PRICE_VIOLATIONS = """
select day, sku, web_price::double as web_price, store_price::double as store_price,
       price_gap::double as price_gap, price_gap_pct::double as price_gap_pct, web_price_basis
from marts.kpi_price_consistency
where is_violation and day >= ?::date and day < ?::date
order by abs(price_gap) desc, day desc, sku
"""

FULFILMENT_TOTALS = """
select (sum(orders) filter (where purchase_channel = 'web'))::bigint as web_orders,
       sum(bopis_orders)::bigint as bopis_orders,
       sum(ship_from_store_orders)::bigint as ship_from_store_orders,
       sum(returns)::bigint as returns, sum(cross_channel_returns)::bigint as cross_channel_returns
from marts.kpi_fulfilment_returns
where day >= ?::date and day < ?::date and (?::varchar is null or location_id = ?)
"""

FULFILMENT_WEEKLY = """
select date_trunc('week', day)::date as week, sum(ship_to_home_orders)::bigint as ship_to_home_orders,
       sum(bopis_orders)::bigint as bopis_orders,
       sum(ship_from_store_orders)::bigint as ship_from_store_orders,
       sum(in_store_orders)::bigint as in_store_orders, sum(returns)::bigint as returns,
       sum(cross_channel_returns)::bigint as cross_channel_returns
from marts.kpi_fulfilment_returns
where day >= ?::date and day < ?::date and (?::varchar is null or location_id = ?)
group by all
order by week
"""


def price_violations(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    start, end, _, _, _ = filters.params()
    return fetch(snapshot, PRICE_VIOLATIONS, (start, end))


def fulfilment_totals(snapshot: Snapshot, filters: Filters) -> dict[str, float | None]:
    return _numbers(fetch(snapshot, FULFILMENT_TOTALS, _location_params(filters)))


def fulfilment_weekly(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    return fetch(snapshot, FULFILMENT_WEEKLY, _location_params(filters))


# --- customers: omnichannel vs single-channel, cohorts --------------------------------------------
# Months are first days of calendar months (`dashboards.months.Months`); both marts are monthly.

SEGMENT_TOTALS = """
select segment, sum(buyers)::bigint as buyers, sum(revenue)::double as revenue,
       (sum(revenue) / sum(buyers))::double as revenue_per_buyer,
       -- only months whose next month the data covers: the others have no retention yet
       (sum(retained_buyers) / sum(buyers) filter (where retained_buyers is not null))::double as retention_rate,
       max(currency) as currency
from marts.kpi_customer_segments_monthly
where month between ? and ?
group by segment
"""

SEGMENT_MONTHLY = """
select month, segment, buyers, revenue::double as revenue, revenue_per_buyer::double as revenue_per_buyer,
       retained_buyers, retention_rate, currency
from marts.kpi_customer_segments_monthly
where month between ? and ?
order by month, segment
"""

COHORTS = """
select cohort_month, acquisition_channel, months_since_acquisition, cohort_customers, active_customers,
       retention_rate, includes_earlier_customers
from marts.kpi_cohort_retention
where cohort_month between ? and ? and list_contains(?::varchar[], acquisition_channel)
order by acquisition_channel, cohort_month, months_since_acquisition
"""

# The curve pools the cohorts month by month (customers active / cohort customers, so a big cohort
# weighs more), leaving out the first data month's cohort, which also holds earlier customers.
RETENTION_CURVE = """
select acquisition_channel, months_since_acquisition,
       (sum(active_customers) / sum(cohort_customers))::double as retention_rate,
       count(*) as cohorts, sum(cohort_customers)::bigint as customers
from marts.kpi_cohort_retention
where not includes_earlier_customers and cohort_month between ? and ?
  and list_contains(?::varchar[], acquisition_channel)
group by all
order by acquisition_channel, months_since_acquisition
"""


def segment_figures(snapshot: Snapshot, months: Months) -> dict[str, float | None]:
    """Per segment (omnichannel, single_channel), keyed "<segment>_<figure>": buyers, revenue and revenue
    per buyer of the months, and the retention into them: of the buyers of each month before (the months
    shifted back by one), the share who bought again the month after. Plus the omnichannel share of buyers."""
    spending = fetch(snapshot, SEGMENT_TOTALS, (months.first, months.last))
    retention = fetch(snapshot, SEGMENT_TOTALS, (months.shifted(-1).first, months.shifted(-1).last))
    figures: dict[str, float | None] = {}
    for segment in ("omnichannel", "single_channel"):
        for frame, columns in ((spending, ("buyers", "revenue", "revenue_per_buyer")), (retention, ("retention_rate",))):
            row = frame[frame["segment"] == segment]
            for column in columns:
                value = None if row.empty else row[column].iloc[0]
                figures[f"{segment}_{column}"] = None if value is None or pd.isna(value) else float(value)
    buyers = (figures["omnichannel_buyers"] or 0) + (figures["single_channel_buyers"] or 0)
    figures["omnichannel_share"] = (figures["omnichannel_buyers"] or 0) / buyers if buyers else None
    return figures


def segments_monthly(snapshot: Snapshot, months: Months) -> pd.DataFrame:
    return fetch(snapshot, SEGMENT_MONTHLY, (months.first, months.last))


def cohorts(snapshot: Snapshot, months: Months, channels: tuple[str, ...]) -> pd.DataFrame:
    """Cohorts acquired in the months through the channels, every month since acquisition."""
    return fetch(snapshot, COHORTS, (months.first, months.last, list(channels)))


def retention_curve(snapshot: Snapshot, months: Months, channels: tuple[str, ...]) -> pd.DataFrame:
    """Pooled retention by months since acquisition, per acquisition channel."""
    return fetch(snapshot, RETENTION_CURVE, (months.first, months.last, list(channels)))
