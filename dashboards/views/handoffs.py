"""Hand-offs: how customers move between channels, how fast, and the named cross-channel patterns."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
flows = queries.handoff_flows(snapshot, filters)

st.title("Hand-offs")
st.caption("Consecutive touchpoints of one customer that change channel, in the selected period.")
if flows.empty:
    st.info("No hand-offs for the selected filters.")
else:
    left, right = st.columns(2)
    with left:
        st.subheader("Channel-to-channel flows")
        sources = sorted(flows["from_channel"].unique())
        targets = sorted(flows["to_channel"].unique())
        labels = [f"from {c}" for c in sources] + [f"to {c}" for c in targets]
        figure = go.Figure(go.Sankey(
            node={"label": labels, "pad": 18,
                  "color": [formatting.CHANNEL_COLOURS.get(c, "#888") for c in [*sources, *targets]]},
            link={"source": [sources.index(c) for c in flows["from_channel"]],
                  "target": [len(sources) + targets.index(c) for c in flows["to_channel"]],
                  "value": flows["handoffs"].tolist()},
        ))
        figure.update_layout(margin={"t": 10, "b": 10}, height=380)
        st.plotly_chart(figure, key="handoff_sankey")
    with right:
        st.subheader("Hand-off matrix")
        matrix = flows.pivot(index="from_channel", columns="to_channel", values="handoffs").fillna(0)
        heatmap = px.imshow(matrix, text_auto=True, color_continuous_scale="Blues",
                            labels={"x": "to channel", "y": "from channel", "color": "hand-offs"})
        heatmap.update_layout(margin={"t": 10, "b": 10}, height=380)
        st.plotly_chart(heatmap, key="handoff_heatmap")

    st.subheader("Time to hand-off")
    hours = queries.handoff_hours(snapshot, filters)
    box = px.box(hours, x="handoff", y="hours_to_handoff", points=False,
                 labels={"hours_to_handoff": "hours between the two touchpoints", "handoff": ""})
    box.update_layout(margin={"t": 10}, height=320)
    st.plotly_chart(box, key="handoff_hours")
    components.table(flows, "handoff_flows")

st.subheader("Named patterns over time")
st.caption("ROPO (research online, purchase offline), BOPIS (buy online, pick up in store), abandoned cart "
           "recovered in store, purchase followed by a review.")
patterns = queries.handoff_patterns_weekly(snapshot, filters)
if not patterns.empty:
    lines = px.line(patterns, x="week", y="handoffs", color="pattern", markers=True)
    lines.update_layout(margin={"t": 10}, height=320)
    st.plotly_chart(lines, key="handoff_patterns")
components.table(patterns, "handoff_patterns_weekly")
