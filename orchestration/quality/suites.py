"""The Great Expectations suites, in code, reviewed like code.

Raw suites guard the landing tables (what the connectors wrote), mart suites guard what the
dashboard and analysts read. Severity per rule is documented in the rule's ``why`` and in
docs/INTERFACES.md (section 7); the summary:

- blocking (ERROR): keys unique and not null, money/quantity/rating ranges, accepted values of the
  enums the marts branch on, referential integrity of facts to dim_customers, row count against
  the last published run, freshness of the sources that carry orders and behaviour.
- warning (WARN): freshness of the slow sources (reviews, social), distributions (share of
  unresolved touchpoints, channels per customer), fields that are legitimately sparse.

Checks block corruption, not customers: whatever legitimate data can trip (a customer profile with
no purchase, a store with no reviews, an unmapped location) is a warning shown with its rows in
Data health, never a reason to stop publishing. dbt's own tests follow the same split (a dbt test
at severity warn, with its `why` in the test's meta).
"""

from __future__ import annotations

from datetime import timedelta

from orchestration.quality.rules import (
    TableSuite,
    between,
    fresh,
    in_set,
    mean_between,
    not_null,
    unique,
    volume,
)

STAR_RATINGS = ("ONE", "TWO", "THREE", "FOUR", "FIVE")
CHANNELS = ("web", "store", "review", "social")
TOUCHPOINT_TYPES = (
    "page_view", "product_view", "add_to_cart", "checkout_started", "cart_abandoned", "purchase",
    "return", "review", "social_mention", "identify",
)
JOURNEY_STAGES = ("aware", "considering", "customer", "repeat", "advocate")
MONEY_WHY = "negative money here means a sign or unit bug in the source; it would corrupt revenue"
RATIO_WHY = "a share of a count lies in 0..1 by construction; outside it, the mart's counts are wrong"

# Per source: the relation and timestamp expression whose maximum says how current the source is.
FRESHNESS_COLUMNS: dict[str, tuple[str, str]] = {
    "shopify": ("shopify.orders", "try_cast(updated_at as timestamptz)"),
    "square": ("square.orders", "try_cast(updated_at as timestamptz)"),
    "web_events": ("web_events.events", 'try_cast("timestamp" as timestamptz)'),
    "google_reviews": ("google_reviews.reviews", "try_cast(update_time as timestamptz)"),
    "bluesky": ("bluesky.posts", "try_cast(indexed_at as timestamptz)"),
}
_FAST_SOURCE_LAG = timedelta(days=3)
_SLOW_SOURCE_LAG = timedelta(days=21)


def _freshness_column(source: str) -> dict[str, str]:
    return {"record_at": FRESHNESS_COLUMNS[source][1]}


RAW_SUITES: tuple[TableSuite, ...] = (
    TableSuite(("shopify", "customers"), "raw", "shopify.customers", {"id": "id"},
               (not_null("id"), unique("id"), volume())),
    TableSuite(
        ("shopify", "orders"), "raw", "shopify.orders",
        {"id": "id", "total_price": "try_cast(total_price as decimal(18, 2))", **_freshness_column("shopify")},
        (not_null("id"), unique("id"), between("total_price", 0, None, MONEY_WHY), volume(),
         fresh("record_at", _FAST_SOURCE_LAG, blocking=True)),
    ),
    TableSuite(
        ("shopify", "orders"), "raw", "shopify.orders__line_items",
        {"quantity": "try_cast(quantity as bigint)", "price": "try_cast(price as decimal(18, 2))"},
        (between("quantity", 1, 10_000, "a line item sells at least one unit; more than 10k is a unit bug"),
         between("price", 0, None, MONEY_WHY)),
    ),
    TableSuite(("shopify", "products"), "raw", "shopify.products__variants",
               {"price": "try_cast(price as decimal(18, 2))"}, (between("price", 0, None, MONEY_WHY),)),
    TableSuite(("square", "customers"), "raw", "square.customers", {"id": "id"},
               (not_null("id"), unique("id"), volume())),
    TableSuite(
        ("square", "orders"), "raw", "square.orders",
        {"id": "id", "total_amount": "try_cast(total_money__amount as bigint)", **_freshness_column("square")},
        (not_null("id"), unique("id"), between("total_amount", 0, None, MONEY_WHY), volume(),
         fresh("record_at", _FAST_SOURCE_LAG, blocking=True)),
    ),
    TableSuite(("square", "payments"), "raw", "square.payments",
               {"id": "id", "amount": "try_cast(amount_money__amount as bigint)"},
               (not_null("id"), unique("id"), between("amount", 0, None, MONEY_WHY))),
    TableSuite(
        ("google_reviews", "reviews"), "raw", "google_reviews.reviews",
        {"review_id": "review_id", "star_rating": "star_rating", **_freshness_column("google_reviews")},
        (not_null("review_id"), unique("review_id"),
         in_set("star_rating", STAR_RATINGS, "ratings are ONE..FIVE; anything else breaks avg_rating"),
         fresh("record_at", _SLOW_SOURCE_LAG, blocking=False)),
    ),
    TableSuite(
        ("bluesky", "posts"), "raw", "bluesky.posts",
        {"uri": "uri", "feed": "feed", **_freshness_column("bluesky")},
        (not_null("uri"), unique("uri"),
         in_set("feed", ("search", "author"), "staging splits mentions from the brand's own posts on it"),
         fresh("record_at", _SLOW_SOURCE_LAG, blocking=False)),
    ),
    TableSuite(
        ("web_events", "events"), "raw", "web_events.events",
        {"message_id": "message_id", "type": "type", **_freshness_column("web_events")},
        (not_null("message_id"), unique("message_id", "messageId is the dedupe key of re-delivered files"),
         in_set("type", ("page", "track", "identify"), "staging maps exactly these Segment call types"),
         volume(), fresh("record_at", _FAST_SOURCE_LAG, blocking=True)),
    ),
)

FULFILMENT_TYPES = ("ship_to_home", "pickup_in_store", "ship_from_store", "in_store")

_ORPHAN_CUSTOMER = (
    "t.customer_id is not null and not exists "
    "(select 1 from marts.dim_customers d where d.customer_id = t.customer_id)"
)

MART_SUITES: tuple[TableSuite, ...] = (
    TableSuite(
        ("marts", "dim_customers"), "warehouse", "marts.dim_customers",
        {"customer_id": "customer_id", "avg_rating": "avg_rating", "channel_count": "channel_count",
         "channel_count_of_active": "nullif(channel_count, 0)",
         "journey_stage": "journey_stage", "revenue": "revenue"},
        (not_null("customer_id"), unique("customer_id", "one row per resolved person is the 360's promise"),
         between("avg_rating", 1, 5, "star ratings are 1-5; an average outside means a bad rating got in"),
         between("channel_count", 0, len(CHANNELS),
                 "BLOCKING: there are only 4 channels, so a count outside 0..4 is a bug in the mart; 0 is "
                 "legitimate (a Square directory profile that never bought has no touchpoint)"),
         in_set("journey_stage", JOURNEY_STAGES, "the dashboard's funnel has exactly these stages"),
         mean_between("channel_count_of_active", 1.0, 2.5,
                      "WARN: identity over-merging shows up first as people using implausibly many channels; "
                      "a distribution can move with legitimate data, so it only warns (profiles without "
                      "touchpoints are left out of the mean)"),
         volume()),
    ),
    TableSuite(
        ("marts", "fct_touchpoints"), "warehouse", "marts.fct_touchpoints",
        {"touchpoint_id": "touchpoint_id", "customer_id": "customer_id", "channel": "channel",
         "touchpoint_type": "touchpoint_type", "customer_id_not_in_dim_customers": _ORPHAN_CUSTOMER},
        (not_null("touchpoint_id"), unique("touchpoint_id"),
         in_set("channel", CHANNELS, "every page and KPI groups by these four channels"),
         in_set("touchpoint_type", TOUCHPOINT_TYPES, "journeys and funnels branch on these types"),
         in_set("customer_id_not_in_dim_customers", (False,), "a touchpoint must point at an existing dim_customers row",
                name="customer_id_references_dim_customers"),
         not_null("customer_id", "a low share of resolved touchpoints means identity resolution regressed",
                  blocking=False, mostly=0.3),
         volume()),
    ),
    TableSuite(
        ("marts", "fct_orders"), "warehouse", "marts.fct_orders",
        {"order_id": "order_id", "order_total": "order_total", "channel": "channel",
         "fulfilment_type": "fulfilment_type", "customer_id_not_in_dim_customers": _ORPHAN_CUSTOMER},
        (not_null("order_id"), unique("order_id"), between("order_total", 0, None, MONEY_WHY),
         in_set("channel", CHANNELS, "revenue per channel groups by it"),
         in_set("fulfilment_type", FULFILMENT_TYPES, "the BOPIS and ship-from-store KPIs branch on it"),
         in_set("customer_id_not_in_dim_customers", (False,), "an order must point at an existing dim_customers row",
                name="customer_id_references_dim_customers"),
         volume()),
    ),
    TableSuite(
        ("marts", "fct_reviews"), "warehouse", "marts.fct_reviews",
        {"review_id": "review_id", "rating": "rating"},
        (not_null("review_id"), unique("review_id"),
         between("rating", 1, 5, "star ratings are 1-5; a 7 means a parsing bug upstream"), volume()),
    ),
    # the two KPI marts behind the Reviews and social and the Prices and fulfilment pages
    TableSuite(
        ("marts", "kpi_reviews_social_weekly"), "warehouse", "marts.kpi_reviews_social_weekly",
        {"week_start": "week_start", "week_location": "cast(week_start as varchar) || '|' || "
                                                      "coalesce(location_id, '(social)')",
         "avg_rating": "avg_rating", "response_rate": "response_rate",
         "negative_mention_share": "negative_mention_share"},
        (not_null("week_start"),
         unique("week_location", "one row per week and store (plus one for social): a duplicate doubles "
                                 "the page's weekly counts"),
         between("avg_rating", 1, 5, "star ratings are 1-5; an average outside means a bad rating got in"),
         between("response_rate", 0, 1, RATIO_WHY),
         between("negative_mention_share", 0, 1, RATIO_WHY),
         volume()),
    ),
    TableSuite(
        ("marts", "kpi_fulfilment_returns"), "warehouse", "marts.kpi_fulfilment_returns",
        {"day": "day", "day_channel_location_currency": "cast(day as varchar) || '|' || purchase_channel || '|' "
                                                        "|| coalesce(location_id, '(none)') || '|' || currency",
         "bopis_share": "bopis_share", "ship_from_store_share": "ship_from_store_share",
         "return_rate": "return_rate", "cross_channel_return_share": "cross_channel_return_share",
         "returned_amount": "returned_amount"},
        (not_null("day"),
         unique("day_channel_location_currency", "one row per day, channel, store and currency: a duplicate "
                                                 "doubles the page's orders and returns"),
         between("bopis_share", 0, 1, RATIO_WHY), between("ship_from_store_share", 0, 1, RATIO_WHY),
         between("return_rate", 0, 1, RATIO_WHY), between("cross_channel_return_share", 0, 1, RATIO_WHY),
         between("returned_amount", 0, None, MONEY_WHY),
         volume()),
    ),
)

ALL_SUITES: tuple[TableSuite, ...] = RAW_SUITES + MART_SUITES
