"""VADER sentiment of every Google review's text (analytics.sentiment); null for star-only reviews.

dim_customers.avg_sentiment and kpi_reviews_social_weekly read it by review_id. Incremental: only new
reviews and reviews whose text was edited are scored again (analytics.incremental_sentiment).
"""

from analytics.incremental_sentiment import score_unscored_texts


def model(dbt, session):
    reviews = dbt.ref("stg_google_reviews__reviews")
    return score_unscored_texts(dbt, session, reviews, "review_id", "comment")
