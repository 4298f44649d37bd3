{#- One row per Google review with its store, rating, VADER sentiment and owner reply. -#}
select
    reviews.review_id,
    reviews.created_at,
    reviews.updated_at,
    locations.location_id,
    reviews.star_rating                                                       as rating,
    sentiment.sentiment_compound                                              as sentiment,
    sentiment.sentiment_label,
    reviews.comment                                                           as review_text,
    reviews.reply_comment is not null                                         as has_owner_reply
from {{ ref('stg_google_reviews__reviews') }} as reviews
left join {{ ref('int_review_sentiment') }} as sentiment on reviews.review_id = sentiment.review_id
left join {{ ref('dim_locations') }} as locations
    on reviews.google_location_id = locations.google_location_id
