"""Attribution: revenue credited to each channel under each model, and where data-driven differs."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.components import Tile
from dashboards.layout import page_context

DATA_DRIVEN = "markov"
BASELINE = "last_touch"
MODEL_LABELS = {"first_touch": "first touch", "last_touch": "last touch", "linear": "linear",
                "time_decay": "time decay", "position_based": "position based",
                "markov": "data-driven (Markov)"}

context = page_context()
snapshot, filters = context.snapshot, context.filters
credit = queries.channel_credit(snapshot, filters)

st.title("Attribution")
st.caption("Revenue of purchases in the selected period, split over the channels of each journey. "
           "Data-driven = Markov removal effect.")
if credit.empty:
    st.info("No attributed purchases for the selected filters.")
    st.stop()

shares = queries.credit_shares(snapshot, filters, DATA_DRIVEN)
previous = queries.credit_shares(snapshot, filters.previous_period(), DATA_DRIVEN)
year_earlier = context.year_earlier()
year_ago = queries.credit_shares(snapshot, year_earlier, DATA_DRIVEN) if year_earlier else {}
tiles = [Tile(f"Data-driven share, {channel}", share, previous.get(channel), formatting.share, is_share=True,
              year_ago=year_ago.get(channel),
              matters=f"budgets follow credit, and this is the part of the revenue the data says {channel} earned")
         for channel, share in shares.items()]
if tiles:
    components.what_changed_most(tiles, filters.previous_label)
    components.kpi_row(tiles, filters.previous_label, year_earlier is not None)

st.subheader("Channel credit under each model")
bars = px.bar(credit.replace({"model": MODEL_LABELS}), x="channel", y="credit_amount", color="model",
              barmode="group", labels={"credit_amount": "credited revenue (USD)"},
              color_discrete_sequence=formatting.QUALITATIVE_COLOURS)
components.chart(bars, key="credit_by_model", height=380)

side_by_side = credit.pivot(index="channel", columns="model", values="credit_amount").fillna(0).reset_index()
components.table(side_by_side, "channel_credit_by_model", money_columns=list(MODEL_LABELS))

st.subheader("How the data-driven model differs from last touch")
if DATA_DRIVEN in side_by_side and BASELINE in side_by_side:
    difference = side_by_side[["channel", DATA_DRIVEN, BASELINE]].copy()
    difference["difference"] = difference[DATA_DRIVEN] - difference[BASELINE]
    diff_bars = px.bar(difference, x="channel", y="difference",
                       labels={"difference": "data-driven minus last-touch credit (USD)"})
    components.chart(diff_bars, key="data_driven_difference", height=300)
    components.table(difference, "data_driven_vs_last_touch", money_columns=[DATA_DRIVEN, BASELINE])
else:
    st.info("The snapshot has no data-driven or last-touch credit to compare.")
