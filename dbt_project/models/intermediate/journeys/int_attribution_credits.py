"""Credit per (order, channel, model) under six attribution models; the logic is analytics.attribution.

A Python model because the data-driven (Markov) model solves a linear system. The chain is estimated
from every journey whose outcome is settled: purchases, and abandoned or dropped journeys whose
inactivity window has passed (open journeys may still convert).
"""

from analytics.attribution import attribute


def model(dbt, session):
    touches = dbt.ref("int_attribution_touches").df()
    journeys = dbt.ref("int_journeys_classified").filter("outcome = 'purchase' or not is_open")
    paths = journeys.project("channel_path, outcome = 'purchase' as is_converted").df()
    paths["channel_path"] = paths["channel_path"].str.split(" > ")
    return attribute(touches, paths, half_life_days=float(dbt.config.get("half_life_days")))
