"""Reviews and social: rating and sentiment by location and week, social mentions, negative reviews."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.components import Tile
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
totals = queries.reviews_totals(snapshot, filters)
previous = queries.reviews_totals(snapshot, filters.previous_period())
year_earlier = context.year_earlier()
year_ago = queries.reviews_totals(snapshot, year_earlier) if year_earlier else {}
ONLINE = "Online / no location"

st.title("Reviews and social")
st.caption(f"Calendar weeks (Monday to Sunday) touching {filters.start} to {filters.end}, compared with the "
           f"{filters.period_days} days before and with the same weeks a year earlier.")


def tile(label: str, key: str, formatter, is_share: bool = False, matters: str | None = None,
         of: str | None = None) -> Tile:
    """`of`: the count the figure is an average or share of (reviews, mentions), the events it stands on."""
    return Tile(label, totals[key], previous[key], formatter, is_share, year_ago=year_ago.get(key), matters=matters,
                basis=min(totals[of] or 0, previous[of] or 0) if of else None)


tiles = [
    tile("Reviews", "reviews", formatting.count, matters="reviews are what shoppers read before choosing a store"),
    tile("Average rating", "avg_rating", formatting.rating, of="reviews",
         matters="the stars are the first thing a searcher sees next to a store's name"),
    tile("Review response rate", "response_rate", formatting.share, is_share=True, of="reviews",
         matters="an unanswered review is a customer left without a reply in public"),
    tile("Social mentions", "social_mentions", formatting.count, matters="mentions are how far the brand is talked about"),
    tile("Negative share of mentions", "negative_mention_share", formatting.share, is_share=True, of="social_mentions",
         matters="negative posts spread faster than positive ones"),
]
components.what_changed_most(tiles, filters.previous_label)
components.kpi_row(tiles, filters.previous_label, year_earlier is not None)

weekly = queries.reviews_weekly(snapshot, filters)
# every location in one fixed order, so a store keeps its colour on both charts and across filters
location_colours = formatting.colour_map([*queries.locations(snapshot)["location_name"], ONLINE])
if not weekly.empty:
    for title, column, axis in (("Average rating by week", "avg_rating", "average rating (1 to 5)"),
                                ("Average sentiment by week", "avg_sentiment", "average sentiment (-1 to 1)")):
        st.subheader(title)
        figure = px.line(weekly, x="week_start", y=column, color="location_name", markers=True,
                         color_discrete_map=location_colours,
                         labels={"week_start": "week starting", "location_name": "location", column: axis})
        components.chart(figure, key=f"{column}_weekly", height=320)
components.table(weekly, "reviews_social_weekly")

st.subheader("Social mention volume by week")
mentions = queries.social_mentions_weekly(snapshot, filters)
if mentions.empty:
    st.info("No social mentions for the selected filters.")
else:
    long = mentions.assign(other_mentions=mentions["social_mentions"] - mentions["negative_mentions"]).melt(
        id_vars="week_start", value_vars=["negative_mentions", "other_mentions"], var_name="tone",
        value_name="mentions")
    long["tone"] = long["tone"].map({"negative_mentions": "negative", "other_mentions": "neutral or positive"})
    bars = px.bar(long, x="week_start", y="mentions", color="tone",
                  color_discrete_map={"negative": "#D55E00", "neutral or positive": "#0072B2"},
                  labels={"week_start": "week starting", "mentions": "social mentions"})
    components.chart(bars, key="social_mentions_weekly", height=300)

st.subheader("Most negative recent reviews")
st.caption("Negative: rated 1-2 stars, or 3 stars with text that reads negative. A 4-5 star review is the "
           "reviewer's own positive verdict and is never listed here. Fewest stars first, then the most "
           "negative text.")
components.table(queries.negative_reviews(snapshot, filters), "negative_reviews")
