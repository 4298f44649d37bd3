"""VADER sentiment of every Bluesky post's text (analytics.sentiment): brand mentions and own posts."""

from analytics.sentiment import score_frame


def model(dbt, session):
    posts = dbt.ref("stg_bluesky__posts").project("post_uri, post_text").df()
    return score_frame(posts, "post_uri", "post_text")
