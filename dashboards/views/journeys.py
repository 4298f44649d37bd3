"""Journeys and drop-offs: the stage funnel per entry channel, the top paths, where journeys stop."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters

st.title("Journeys and drop-offs")
st.subheader("Stage funnel by entry channel")
st.caption("Customers reaching each stage, by the channel of their first touchpoint; all time "
           "(the channel filter applies).")
funnel = queries.stage_funnel(snapshot, filters)
if not funnel.empty:
    figure = px.funnel(funnel, x="customers_reached", y="stage", color="entry_channel",
                       color_discrete_map=formatting.CHANNEL_COLOURS,
                       labels={"entry_channel": "entry channel"})
    figure.update_layout(margin={"t": 10}, height=360)
    st.plotly_chart(figure, key="stage_funnel")
components.table(funnel, "stage_funnel")

left, right = st.columns(2)
with left:
    st.subheader("Top journey paths")
    st.caption("Journeys that started in the selected period.")
    components.table(queries.top_journey_paths(snapshot, filters), "top_journey_paths")
with right:
    st.subheader("Where journeys drop off")
    dropoffs = queries.dropoff_points(snapshot, filters)
    if not dropoffs.empty:
        bars = px.bar(dropoffs, x="journeys", y="dropoff_stage", color="entry_channel", orientation="h",
                      color_discrete_map=formatting.CHANNEL_COLOURS, pattern_shape="outcome",
                      labels={"dropoff_stage": "last stage reached", "entry_channel": "entry channel"})
        bars.update_layout(margin={"t": 10}, height=320)
        st.plotly_chart(bars, key="dropoff_points")
    components.table(dropoffs, "dropoff_points")
