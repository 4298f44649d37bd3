"""Credit per (order, channel, model); the logic is analytics.attribution.

A Python model because the data-driven (Markov) model solves a linear system. The chain is estimated
from every journey whose outcome is settled: purchases, and abandoned or dropped journeys whose
inactivity window has passed (open journeys may still convert).

Incremental. An order's rule-based credits (first/last touch, linear, time decay, position based)
depend only on its own touches, so they are recomputed only for orders whose touches changed: new
orders, orders of customers whom identity merged or split (customer_id is in the fingerprint), and
journeys that gained a late touch. Markov credits depend on the chain of every journey, which moves
with each new day, so they are recomputed for every order. Each row keeps the fingerprint of the
touches it was credited from (touches_fingerprint: a sum of per-touch hashes; a new DuckDB hash
function only makes every order look changed); orders that left the touches are deleted by the
post-hook. The input is sorted so floating-point sums, hence credits, equal a full rebuild's.
"""

import pandas as pd

from analytics.attribution import MODELS, attribute
from analytics.incremental import built_with

RULE_BASED_MODELS = tuple(model for model in MODELS if model != "markov")
TOUCH_ORDER = "order_id, touch_index, channel, occurred_at"
# explicit, so an empty increment still has typed columns (an empty object column reaches DuckDB as NULL)
OUTPUT_TYPES = {"order_id": "string", "customer_id": "string", "channel": "string", "model": "string",
                "credit_share": "float64", "credit_amount": "float64", "touches_fingerprint": "string"}
# order-independent (touch_index is in every term) and cheap: one 64-bit hash per touch, summed per order
FINGERPRINT = """
    select
        order_id,
        cast(sum(hash(customer_id, order_value, converted_at, touch_index, channel, occurred_at)) as string)
            as touches_fingerprint
    from touches
    group by order_id
"""


def _changed_order_ids(dbt, session, fingerprints) -> set | None:
    """Orders whose rule-based credits must be (re)computed; None (all of them) on a full build."""
    if not built_with(dbt, session, "touches_fingerprint"):
        return None
    changed = fingerprints.query("fingerprints", f"""
        select order_id
        from fingerprints
        where not exists (
            select 1 from {dbt.this} as credited
            where credited.order_id = fingerprints.order_id
                and credited.touches_fingerprint = fingerprints.touches_fingerprint
                and credited.model <> 'markov')""")
    return {order_id for (order_id,) in changed.fetchall()}


def model(dbt, session):
    half_life_days = float(dbt.config.get("half_life_days"))
    touches = dbt.ref("int_attribution_touches")
    fingerprints = touches.query("touches", FINGERPRINT)
    changed_ids = _changed_order_ids(dbt, session, fingerprints)
    all_touches = touches.order(TOUCH_ORDER).df()
    changed_touches = all_touches if changed_ids is None else all_touches[all_touches["order_id"].isin(changed_ids)]

    journeys = dbt.ref("int_journeys_classified").filter("outcome = 'purchase' or not is_open")
    paths = journeys.project("channel_path, outcome = 'purchase' as is_converted").df()
    paths["channel_path"] = paths["channel_path"].str.split(" > ")

    rule_based = attribute(changed_touches, paths.iloc[0:0], half_life_days, models=RULE_BASED_MODELS)
    markov = attribute(all_touches, paths, half_life_days, models=("markov",))
    computed = [frame for frame in (rule_based, markov) if not frame.empty]
    credits = pd.concat(computed, ignore_index=True) if computed else markov
    fingerprint_of = dict(fingerprints.fetchall())
    credits["touches_fingerprint"] = credits["order_id"].map(fingerprint_of)
    return credits.astype(OUTPUT_TYPES)
