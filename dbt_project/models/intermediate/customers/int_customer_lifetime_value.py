"""Predicted 12-month purchases and lifetime value per buying customer (BG/NBD + Gamma-Gamma).

The logic is analytics.lifetime_value: `order_transactions` says which sales count and at what value
(non-cancelled, net of refunds) and ends the observation on the latest order date in the data, not the
wall clock, so a rebuild on the same data gives the same numbers. Horizon, discount rate and the
minimum of repeat buyers are the documented defaults (DEFAULT_SETTINGS).
"""

from analytics.lifetime_value import order_transactions, predict_lifetime_value


def model(dbt, session):
    dbt.config(materialized="table")
    transactions, latest_order_on = order_transactions(dbt.ref("fct_orders"))
    return predict_lifetime_value(transactions, latest_order_on)
