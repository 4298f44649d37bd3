"""Is each Bluesky post about the brand? The logic and its evidence are analytics.brand_mentions.

Search returns every post containing the brand's word; a brand whose name is also an ordinary word
(a flower, a town) collects posts about something else. What the warehouse knows about the brand
comes from its own data: its account and posts (the author feed), links in them and the web shop's
page URLs (the shop's domain), Shopify product titles and SKUs, store names and cities (Square, Google),
and the stores' Google reviews (how customers talk about it, for the text model). A full rebuild each
run: the text model is learned on all posts together.
"""

import pandas as pd

from analytics.brand_mentions import brand_profile, classify_posts

OUTPUT_TYPES = {"post_uri": "string", "feed": "string", "about_brand": "boolean", "method": "string",
                "score": "Float64", "evidence": "string"}


def model(dbt, session):
    dbt.config(materialized="table")
    posts = dbt.ref("stg_bluesky__posts").project(
        "post_uri, coalesce(feed, 'search') as feed, author_did, author_handle, author_display_name, post_text"
    ).df()
    links = dbt.ref("stg_bluesky__post_links").df()
    products = dbt.ref("stg_shopify__product_variants").project("product_title, sku").df()
    square = dbt.ref("stg_square__locations").project("location_name, city").df()
    google = dbt.ref("stg_google_reviews__locations").project("location_title").df()
    pages = dbt.ref("stg_web_events__events").query("events", """
        select regexp_extract(page_url, '^[A-Za-z]+://[^/?#]+') as site, count(*) as seen
        from events where page_url like '%://%' group by 1 order by 1""").df()
    landings = dbt.ref("stg_shopify__orders").query("orders", """
        select regexp_extract(landing_site, '^[A-Za-z]+://[^/?#]+') as site, count(*) as seen
        from orders where landing_site like '%://%' group by 1 order by 1""").df()
    reviews = dbt.ref("stg_google_reviews__reviews").query("reviews", """
        select distinct comment from reviews where comment is not null order by 1""").df()

    sites = pd.concat([pages, landings]).groupby("site", sort=True)["seen"].sum()
    profile = brand_profile(
        posts, links,
        product_titles=products["product_title"], skus=products["sku"],
        store_names=pd.concat([square["location_name"], google["location_title"]]), cities=square["city"],
        site_urls=sites.to_dict(),
    )
    classified = classify_posts(posts, links, profile, known_about=reviews["comment"])
    return classified.astype(OUTPUT_TYPES)
