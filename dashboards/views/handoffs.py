"""Hand-offs: how customers move between channels, how fast, and the named cross-channel patterns."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.components import Tile
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
flows = queries.handoff_flows(snapshot, filters)
totals = queries.handoff_totals(snapshot, filters)
previous = queries.handoff_totals(snapshot, filters.previous_period())
year_earlier = context.year_earlier()
year_ago = queries.handoff_totals(snapshot, year_earlier) if year_earlier else {}
WHY = {"all": "every hand-off is a customer the channels must recognise as the same person",
       "ROPO": "these store sales were researched on the web, so the web shop earns part of them",
       "BOPIS": "each pick-up brings a web customer into a store",
       "Cart recovered in store": "these web carts were not lost: the sale happened in a store",
       "Purchase then review": "reviews after a purchase are what the next shoppers read"}

st.title("Hand-offs")
st.caption(f"Consecutive touchpoints of one customer that change channel, in the selected period, compared "
           f"with {filters.previous_label} and the same dates a year earlier.")
tiles = [Tile("Hand-offs" if key == "all" else key, totals[key], previous[key], formatting.count,
              year_ago=year_ago.get(key), matters=WHY[key]) for key in totals]
components.what_changed_most(tiles, filters.previous_label)
components.kpi_row(tiles, filters.previous_label, year_earlier is not None)
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
        components.chart(figure, key="handoff_sankey", height=380)
    with right:
        st.subheader("Hand-off matrix")
        matrix = flows.pivot(index="from_channel", columns="to_channel", values="handoffs").fillna(0)
        heatmap = px.imshow(matrix, text_auto=True, color_continuous_scale="Blues",
                            labels={"x": "to channel", "y": "from channel", "color": "hand-offs"})
        components.chart(heatmap, key="handoff_heatmap", height=380)

    st.subheader("Time to hand-off")
    st.caption("Days between the two touchpoints, on a log scale (a minute, an hour, a day and a month "
               "all stay readable). Box: middle half of the hand-offs; line: the median.")
    days = queries.handoff_days(snapshot, filters)
    box = px.box(days, x="handoff", y="days_to_handoff", points=False, log_y=True,
                 labels={"days_to_handoff": "days to hand-off (log scale)", "handoff": ""})
    components.chart(box, key="handoff_days", height=320)
    components.table(flows, "handoff_flows")

st.subheader("Named patterns over time")
st.caption("ROPO (research online, purchase offline), BOPIS (buy online, pick up in store), abandoned cart "
           "recovered in store, purchase followed by a review. Whole 7-day weeks ending on the range's last "
           "day; a week without the pattern is drawn at zero.")
patterns = queries.handoff_patterns_weekly(snapshot, filters)
if patterns.empty:
    st.info("The range is shorter than a week: pick 7 days or more to see the patterns per week.")
else:
    lines = px.line(patterns, x="week", y="handoffs", color="pattern", markers=True,
                    category_orders={"pattern": list(queries.NAMED_PATTERNS)},
                    color_discrete_sequence=formatting.QUALITATIVE_COLOURS,
                    labels={"week": "week starting", "handoffs": "hand-offs"})
    components.chart(lines, key="handoff_patterns", height=320)
    components.table(patterns, "handoff_patterns_weekly")
