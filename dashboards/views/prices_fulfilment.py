"""Prices and fulfilment: price differences between channels, BOPIS and ship-from-store, returns."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.components import Tile
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
totals = queries.fulfilment_totals(snapshot, filters)
previous_totals = queries.fulfilment_totals(snapshot, filters.previous_period())
violations = queries.price_violations(snapshot, filters)
previous_violations = queries.price_violations(snapshot, filters.previous_period())
year_earlier = context.year_earlier()
FULFILMENT_COLOURS = formatting.colour_map(
    ["ship to home", "pick up in store (BOPIS)", "ship from store", "in store"])


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def shares(figures: dict) -> dict[str, float | None]:
    return {"bopis": _share(figures["bopis_orders"], figures["web_orders"]),
            "ship_from_store": _share(figures["ship_from_store_orders"], figures["web_orders"]),
            "cross_channel_returns": _share(figures["cross_channel_returns"], figures["returns"])}


now, before = shares(totals), shares(previous_totals)
a_year_ago = shares(queries.fulfilment_totals(snapshot, year_earlier)) if year_earlier else {}
violations_a_year_ago = len(queries.price_violations(snapshot, year_earlier)) if year_earlier else None
st.title("Prices and fulfilment")
st.caption(f"{filters.start} to {filters.end}, compared with the {filters.period_days} days before and with the "
           "same dates a year earlier.")


def share_tile(label: str, key: str, of: str, matters: str) -> Tile:
    """A share of `of` (web_orders or returns), which is also the number of events it stands on."""
    return Tile(label, now[key], before[key], formatting.share, is_share=True, year_ago=a_year_ago.get(key),
                matters=matters, basis=min(totals[of] or 0, previous_totals[of] or 0))


tiles = [
    Tile("Price-consistency violations", len(violations), len(previous_violations), formatting.count,
         year_ago=violations_a_year_ago,
         matters="a shopper who finds another price in the other channel stops trusting both"),
    share_tile("BOPIS share of web orders", "bopis", "web_orders", "each pick-up brings a web customer into a store"),
    share_tile("Ship-from-store share of web orders", "ship_from_store", "web_orders",
               "shipping from a store turns its stock into web sales"),
    share_tile("Cross-channel share of returns", "cross_channel_returns", "returns",
               "a web order returned in a store is stock and work that lands at the counter"),
]
components.what_changed_most(tiles, filters.previous_label)
components.kpi_row(tiles, filters.previous_label, year_earlier is not None)

st.subheader("Orders by fulfilment type, weekly")
weekly = queries.fulfilment_weekly(snapshot, filters)
if not weekly.empty:
    long = weekly.melt(id_vars="week", var_name="fulfilment", value_name="orders", value_vars=[
        "ship_to_home_orders", "bopis_orders", "ship_from_store_orders", "in_store_orders"])
    long["fulfilment"] = long["fulfilment"].str.removesuffix("_orders").str.replace("_", " ").replace(
        {"bopis": "pick up in store (BOPIS)"})
    figure = px.bar(long, x="week", y="orders", color="fulfilment", color_discrete_map=FULFILMENT_COLOURS)
    components.chart(figure, key="fulfilment_weekly", height=320)
components.table(weekly, "fulfilment_weekly")

st.subheader("Price-consistency violations (web vs store price for the same SKU and day)")
st.caption("Store price: the median of the day's sales across all stores in the shop's currency; the gap is "
           "store minus web, in money and as a share of the web price. The mart keeps no store per gap and "
           "the snapshot holds no product names, so a gap is named by its SKU. Web price basis: same_day (seen "
           "that day), bracketed (the same price on the days around it) or catalog_unchanged.")
components.table(violations, "price_violations")
