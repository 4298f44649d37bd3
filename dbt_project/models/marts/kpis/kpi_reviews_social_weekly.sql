{#- Reviews per store and week, with social mentions of the brand on rows without a store
    (location_id null): ratings, VADER sentiment, negative shares and the review response rate.
    A negative review is rated 1-2 stars or has negative text; one without an owner reply is an
    open customer-service case. Mentions are posts found by the brand search (feed = search) that are
    about the brand (int_social_posts_classified: the search also returns posts using the word in
    another sense). -#}
with reviews as (
    select
        cast({{ dbt.date_trunc('week', 'created_at') }} as date)             as week_start,
        location_id,
        rating,
        sentiment,
        sentiment_label,
        has_owner_reply,
        (rating <= 2 or sentiment_label = 'negative')                        as is_negative
    from {{ ref('fct_reviews') }}
),

posts as (
    select
        cast({{ dbt.date_trunc('week', 'posts.created_at') }} as date)       as week_start,
        posts.feed,
        posts.like_count + posts.repost_count + posts.reply_count + posts.quote_count as engagement,
        sentiment.sentiment_compound,
        sentiment.sentiment_label
    from {{ ref('stg_bluesky__posts') }} as posts
    inner join {{ ref('int_social_posts_classified') }} as classified
        on posts.post_uri = classified.post_uri and classified.about_brand
    left join {{ ref('int_social_post_sentiment') }} as sentiment on posts.post_uri = sentiment.post_uri
),

review_weeks as (
    select
        week_start,
        location_id,
        count(*)                                                              as reviews,
        cast(avg(rating) as double)                                           as avg_rating,
        avg(sentiment)                                                        as avg_sentiment,
        count(case when is_negative then 1 end)                               as negative_reviews,
        count(case when has_owner_reply then 1 end)                           as responded_reviews,
        cast(count(case when has_owner_reply then 1 end) as double) / count(*) as response_rate,
        count(case when is_negative and not has_owner_reply then 1 end)      as unanswered_negative_reviews
    from reviews
    group by week_start, location_id
),

social_weeks as (
    select
        week_start,
        count(case when feed = 'search' then 1 end)                           as social_mentions,
        count(case when feed = 'search' and sentiment_label = 'negative' then 1 end) as negative_mentions,
        avg(case when feed = 'search' then sentiment_compound end)            as avg_mention_sentiment,
        cast(sum(case when feed = 'search' then engagement else 0 end) as bigint) as mention_engagement,
        count(case when feed = 'author' then 1 end)                           as brand_posts
    from posts
    group by week_start
)

select
    week_start,
    location_id,
    reviews,
    avg_rating,
    avg_sentiment,
    negative_reviews,
    responded_reviews,
    response_rate,
    unanswered_negative_reviews,
    cast(0 as bigint)                                                         as social_mentions,
    cast(0 as bigint)                                                         as negative_mentions,
    cast(null as double)                                                      as negative_mention_share,
    cast(null as double)                                                      as avg_mention_sentiment,
    cast(null as bigint)                                                      as mention_engagement,
    cast(null as bigint)                                                      as brand_posts
from review_weeks
where location_id is not null

union all

select
    coalesce(social_weeks.week_start, unplaced.week_start)                    as week_start,
    cast(null as string)                                                     as location_id,
    coalesce(unplaced.reviews, 0)                                             as reviews,
    unplaced.avg_rating,
    unplaced.avg_sentiment,
    coalesce(unplaced.negative_reviews, 0)                                    as negative_reviews,
    coalesce(unplaced.responded_reviews, 0)                                   as responded_reviews,
    unplaced.response_rate,
    coalesce(unplaced.unanswered_negative_reviews, 0)                         as unanswered_negative_reviews,
    coalesce(social_weeks.social_mentions, 0)                                 as social_mentions,
    coalesce(social_weeks.negative_mentions, 0)                               as negative_mentions,
    cast(social_weeks.negative_mentions as double) / nullif(social_weeks.social_mentions, 0)
                                                                              as negative_mention_share,
    social_weeks.avg_mention_sentiment,
    social_weeks.mention_engagement,
    social_weeks.brand_posts
from social_weeks
full outer join (select * from review_weeks where location_id is null) as unplaced
    on social_weeks.week_start = unplaced.week_start
