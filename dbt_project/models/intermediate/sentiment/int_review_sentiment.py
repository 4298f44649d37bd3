"""VADER sentiment of every Google review's text (analytics.sentiment); null for star-only reviews.

dim_customers.avg_sentiment and kpi_reviews_social_weekly read it by review_id.
"""

from analytics.sentiment import score_frame


def model(dbt, session):
    reviews = dbt.ref("stg_google_reviews__reviews").project("review_id, comment").df()
    return score_frame(reviews, "review_id", "comment")
