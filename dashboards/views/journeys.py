"""Journeys and drop-offs: the stage funnel per entry channel, the top paths, where journeys stop."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters

st.title("Journeys and drop-offs")
st.caption(f"Journeys that started between {filters.start} and {filters.end}, by entry channel (the channel "
           "of the journey's first touchpoint).")
funnel = queries.stage_funnel(snapshot, filters)
previous = queries.stage_funnel(snapshot, filters.previous_period())


def purchase_share(frame, channel: str) -> float | None:
    """Share of the channel's journeys that ended with a purchase (None without journeys)."""
    row = frame[(frame["entry_channel"] == channel) & (frame["stage"] == "purchase")]
    started = frame[(frame["entry_channel"] == channel) & (frame["stage"] == "aware")]
    return None if started.empty else (0.0 if row.empty else float(row["share_of_started"].iloc[0]))


started = funnel[funnel["stage"] == "aware"].set_index("entry_channel")["journeys_reached"]
changes = [(channel, purchase_share(funnel, channel), purchase_share(previous, channel))
           for channel in filters.channels if started.get(channel, 0) >= components.MIN_EVENTS_FOR_A_CHANGE]
if changes:
    channel, now, before = max(changes, key=lambda c: formatting.relative_change(c[1], c[2], is_share=True))
    st.markdown(components.changed_most_sentence(formatting.change_in_words(
        f"the share of {channel}-entry journeys ending in a purchase", now, before, formatting.share,
        is_share=True), filters.previous_label,
        f"on the period's {formatting.count(started[channel])} {channel}-entry journeys that is about "
        f"{formatting.count(abs(now - before) * started[channel])} {'more' if now > before else 'fewer'} sales"))
else:
    st.markdown(f"**What changed most: no entry channel had {components.MIN_EVENTS_FOR_A_CHANGE} journeys or more in the "
                "period, too few to compare its purchase share with the previous period.**")

st.subheader("Stage funnel by entry channel")
with st.expander("What the stages and outcomes mean", expanded=True):
    st.markdown("**Stages** (each channel is drawn only at the stages it can observe: product views and "
                "carts exist only in the web shop)\n\n"
                + "\n".join(f"- **{stage}**: {text}" for stage, text in queries.STAGE_DEFINITIONS.items())
                + "\n\n**Outcomes**\n\n"
                + "\n".join(f"- **{name}**: {text}" for name, text in queries.OUTCOME_DEFINITIONS.items())
                + "\n\n**Drop-off rate**: of the journeys that reached a stage, the share that did not reach "
                  "the channel's next stage (zero at purchase, the last stage).")
if not funnel.empty:
    # one funnel per entry channel: their stages differ, and stacked funnels would mix them
    figure = px.funnel(funnel, x="journeys_reached", y="stage", color="entry_channel", facet_col="entry_channel",
                       color_discrete_map=formatting.CHANNEL_COLOURS,
                       category_orders={"stage": list(reversed(queries.STAGE_DEFINITIONS))},
                       labels={"entry_channel": "entry channel", "journeys_reached": "journeys"})
    figure.update_xaxes(matches=None, showticklabels=False, title_text="")
    figure.for_each_annotation(lambda note: note.update(text=note.text.replace("entry channel=", "entered via ")))
    components.chart(figure, key="stage_funnel", height=340, top_margin=30)
components.table(funnel, "stage_funnel")

left, right = st.columns(2)
with left:
    st.subheader("Top journey paths")
    components.table(queries.top_journey_paths(snapshot, filters), "top_journey_paths")
with right:
    st.subheader("Where journeys drop off")
    dropoffs = queries.dropoff_points(snapshot, filters)
    if not dropoffs.empty:
        bars = px.bar(dropoffs, x="journeys", y="dropoff_stage", color="entry_channel", orientation="h",
                      color_discrete_map=formatting.CHANNEL_COLOURS, pattern_shape="outcome",
                      labels={"dropoff_stage": "last stage reached", "entry_channel": "entry channel"})
        components.chart(bars, key="dropoff_points", height=320)
    components.table(dropoffs, "dropoff_points")
