"""Prices and fulfilment: price differences between channels, BOPIS and ship-from-store, returns."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
totals = queries.fulfilment_totals(snapshot, filters)
violations = queries.price_violations(snapshot, filters)


def _share(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


st.title("Prices and fulfilment")
columns = st.columns(4)
columns[0].metric("Price-consistency violations", formatting.count(len(violations)))
columns[1].metric("BOPIS share of web orders",
                  formatting.share(_share(totals["bopis_orders"], totals["web_orders"])))
columns[2].metric("Ship-from-store share of web orders",
                  formatting.share(_share(totals["ship_from_store_orders"], totals["web_orders"])))
columns[3].metric("Cross-channel share of returns",
                  formatting.share(_share(totals["cross_channel_returns"], totals["returns"])))

st.subheader("Orders by fulfilment type, weekly")
weekly = queries.fulfilment_weekly(snapshot, filters)
if not weekly.empty:
    long = weekly.melt(id_vars="week", var_name="fulfilment", value_name="orders", value_vars=[
        "ship_to_home_orders", "bopis_orders", "ship_from_store_orders", "in_store_orders"])
    long["fulfilment"] = long["fulfilment"].str.removesuffix("_orders").str.replace("_", " ").replace(
        {"bopis": "pick up in store (BOPIS)"})
    figure = px.bar(long, x="week", y="orders", color="fulfilment")
    figure.update_layout(margin={"t": 10}, height=320)
    st.plotly_chart(figure, key="fulfilment_weekly")
components.table(weekly, "fulfilment_weekly")

st.subheader("Price-consistency violations (web vs store price for the same SKU and day)")
components.table(violations, "price_violations")
