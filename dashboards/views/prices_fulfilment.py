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
FULFILMENT_COLOURS = formatting.colour_map(
    ["ship to home", "pick up in store (BOPIS)", "ship from store", "in store"])


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


def shares(figures: dict) -> dict[str, float | None]:
    return {"bopis": _share(figures["bopis_orders"], figures["web_orders"]),
            "ship_from_store": _share(figures["ship_from_store_orders"], figures["web_orders"]),
            "cross_channel_returns": _share(figures["cross_channel_returns"], figures["returns"])}


now, before = shares(totals), shares(previous_totals)
st.title("Prices and fulfilment")
st.caption(f"{filters.start} to {filters.end}, compared with the {filters.period_days} days before.")
tiles = [
    Tile("Price-consistency violations", len(violations), len(previous_violations), formatting.count),
    Tile("BOPIS share of web orders", now["bopis"], before["bopis"], formatting.share, is_share=True),
    Tile("Ship-from-store share of web orders", now["ship_from_store"], before["ship_from_store"],
         formatting.share, is_share=True),
    Tile("Cross-channel share of returns", now["cross_channel_returns"], before["cross_channel_returns"],
         formatting.share, is_share=True),
]
components.what_changed_most(tiles, filters.period_days)
components.kpi_row(tiles)

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
