"""VADER sentiment of every Bluesky post's text (analytics.sentiment): brand mentions and own posts.

Incremental like int_review_sentiment: only new posts and posts whose text changed are scored.
"""

from analytics.incremental_sentiment import score_unscored_texts


def model(dbt, session):
    posts = dbt.ref("stg_bluesky__posts")
    return score_unscored_texts(dbt, session, posts, "post_uri", "post_text")
