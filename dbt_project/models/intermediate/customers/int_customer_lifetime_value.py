"""Predicted 12-month purchases and lifetime value per buying customer (BG/NBD + Gamma-Gamma).

The logic is analytics.lifetime_value. Input: every non-cancelled sale in fct_orders with a resolved
customer; a purchase's value is its merchandise revenue net of refunds (never below 0), so a fully
refunded order still counts as a visit but adds no value. The observation ends on the latest order
date in the data (UTC), not the wall clock, so a rebuild on the same data gives the same numbers.
Horizon, discount rate and the minimum of repeat buyers are LifetimeValueSettings' documented defaults.
"""

from analytics.lifetime_value import LifetimeValueSettings, predict_lifetime_value


def model(dbt, session):
    dbt.config(materialized="table")
    orders = dbt.ref("fct_orders").filter("not is_cancelled")
    latest_order_on = orders.aggregate("max(ordered_at)::date").fetchall()[0][0]  # ordered_at is UTC
    transactions = orders.filter("customer_id is not null").project(
        "customer_id, ordered_at as ordered_on, "
        "greatest(revenue_amount - refunded_amount, 0)::double as order_value"
    ).df()
    return predict_lifetime_value(transactions, latest_order_on, LifetimeValueSettings())
