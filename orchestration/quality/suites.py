"""The Great Expectations suites, in code, reviewed like code: volume, freshness and distributions.

One home per rule (issue 20): dbt owns every row-level rule (keys unique and not null, ranges,
accepted values, referential integrity; ``dbt_project/models/**.yml``, the raw landing tables as dbt
source tests), Great Expectations owns what is judged over a whole table: row count against the last
published run, freshness of each source against the others (thresholds declared once, in the dbt
sources' ``freshness:`` config, see ``freshness.py``), and distributions (channels per customer, share
of resolved touchpoints). Each suite is one validation of one table per run (``validate.py``).

Severity per rule is documented in the rule's ``why`` and in docs/INTERFACES.md (section 7): row count
and the freshness of the sources that carry orders and behaviour block the publish; the freshness of the
slow sources (reviews, social) and the distributions warn.

Checks block corruption, not customers: whatever legitimate data can trip (a customer profile with
no purchase, a store with no reviews, an unmapped location) is a warning shown with its rows in
Data health, never a reason to stop publishing. dbt's own tests follow the same split (a dbt test
at severity warn, with its `why` in the test's meta).
"""

from __future__ import annotations

from orchestration.quality.rules import Rule, TableSuite, fresh, mean_between, not_null, volume

CHANNELS = ("web", "store", "review", "social")

# Per source: the relation and timestamp expression whose maximum says how current the source is.
FRESHNESS_COLUMNS: dict[str, tuple[str, str]] = {
    "shopify": ("shopify.orders", "try_cast(updated_at as timestamptz)"),
    "square": ("square.orders", "try_cast(updated_at as timestamptz)"),
    "web_events": ("web_events.events", 'try_cast("timestamp" as timestamptz)'),
    "google_reviews": ("google_reviews.reviews", "try_cast(update_time as timestamptz)"),
    "bluesky": ("bluesky.posts", "try_cast(indexed_at as timestamptz)"),
}


def _freshness_column(source: str) -> dict[str, str]:
    return {"record_at": FRESHNESS_COLUMNS[source][1]}


def _fresh(source: str) -> Rule:
    relation = FRESHNESS_COLUMNS[source][0]
    return fresh("record_at", *relation.split("."))


RAW_SUITES: tuple[TableSuite, ...] = (
    TableSuite(("shopify", "customers"), "raw", "shopify.customers", {}, (volume(),)),
    TableSuite(("shopify", "orders"), "raw", "shopify.orders", _freshness_column("shopify"),
               (volume(), _fresh("shopify"))),
    TableSuite(("square", "customers"), "raw", "square.customers", {}, (volume(),)),
    TableSuite(("square", "orders"), "raw", "square.orders", _freshness_column("square"),
               (volume(), _fresh("square"))),
    TableSuite(("google_reviews", "reviews"), "raw", "google_reviews.reviews", _freshness_column("google_reviews"),
               (_fresh("google_reviews"),)),
    TableSuite(("bluesky", "posts"), "raw", "bluesky.posts", _freshness_column("bluesky"), (_fresh("bluesky"),)),
    TableSuite(("web_events", "events"), "raw", "web_events.events", _freshness_column("web_events"),
               (volume(), _fresh("web_events"))),
)

MART_SUITES: tuple[TableSuite, ...] = (
    TableSuite(
        ("marts", "dim_customers"), "warehouse", "marts.dim_customers",
        {"channel_count_of_active": "nullif(channel_count, 0)"},
        (mean_between("channel_count_of_active", 1.0, 2.5,
                      "WARN: identity over-merging shows up first as people using implausibly many channels; "
                      "a distribution can move with legitimate data, so it only warns (profiles without "
                      "touchpoints are left out of the mean)"),
         volume()),
    ),
    TableSuite(
        ("marts", "fct_touchpoints"), "warehouse", "marts.fct_touchpoints", {"customer_id": "customer_id"},
        (not_null("customer_id", "a low share of resolved touchpoints means identity resolution regressed",
                  blocking=False, mostly=0.3),
         volume()),
    ),
    TableSuite(("marts", "fct_orders"), "warehouse", "marts.fct_orders", {}, (volume(),)),
    TableSuite(("marts", "fct_reviews"), "warehouse", "marts.fct_reviews", {}, (volume(),)),
    # the two KPI marts behind the Reviews and social and the Prices and fulfilment pages
    TableSuite(("marts", "kpi_reviews_social_weekly"), "warehouse", "marts.kpi_reviews_social_weekly", {},
               (volume(),)),
    TableSuite(("marts", "kpi_fulfilment_returns"), "warehouse", "marts.kpi_fulfilment_returns", {},
               (volume(),)),
)

ALL_SUITES: tuple[TableSuite, ...] = RAW_SUITES + MART_SUITES
