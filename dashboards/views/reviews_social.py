"""Reviews and social: rating and sentiment by location and week, negative reviews and mentions."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
totals = queries.reviews_totals(snapshot, filters)

st.title("Reviews and social")
columns = st.columns(4)
columns[0].metric("Reviews", formatting.count(totals["reviews"]))
columns[1].metric("Average rating", formatting.rating(totals["avg_rating"]))
columns[2].metric("Review response rate", formatting.share(totals["response_rate"]))
columns[3].metric("Negative share of mentions", formatting.share(totals["negative_mention_share"]))

weekly = queries.reviews_weekly(snapshot, filters)
if not weekly.empty:
    left, right = st.columns(2)
    with left:
        st.subheader("Average rating by week")
        rating = px.line(weekly, x="week_start", y="avg_rating", color="location_name", markers=True,
                         labels={"week_start": "week", "location_name": "location",
                                 "avg_rating": "average rating"})
        rating.update_layout(margin={"t": 10}, height=320)
        st.plotly_chart(rating, key="rating_weekly")
    with right:
        st.subheader("Average sentiment by week")
        sentiment = px.line(weekly, x="week_start", y="avg_sentiment", color="location_name", markers=True,
                            labels={"week_start": "week", "location_name": "location",
                                    "avg_sentiment": "average sentiment (-1 to 1)"})
        sentiment.update_layout(margin={"t": 10}, height=320)
        st.plotly_chart(sentiment, key="sentiment_weekly")
components.table(weekly, "reviews_social_weekly")

st.subheader("Most negative recent reviews")
components.table(queries.negative_reviews(snapshot, filters), "negative_reviews")
