{#- Every interaction from every channel, one row each, with the resolved customer (null for
    anonymous web activity that never identified itself). Purchases come from the order systems (not
    the web "Order Completed" event, which would count web sales twice); abandoned carts from
    Shopify's abandoned checkouts. -#}

with resolved as (
    select node_id, customer_id from {{ ref('int_identity_resolved_nodes') }}
),

web_events as (
    select
        'web_events:events:' || message_id                                    as touchpoint_id,
        'web_events:anonymous_ids:' || anonymous_id                           as node_id,
        'web_events'                                                          as source,
        'web'                                                                 as channel,
        case
            when event_type = 'identify' then 'identify'
            when event_type = 'page' then 'page_view'
            when event_name = 'Product Viewed' then 'product_view'
            when event_name = 'Product Added' then 'add_to_cart'
            when event_name = 'Checkout Started' then 'checkout_started'
            else 'page_view'
        end                                                                   as touchpoint_type,
        occurred_at,
        cast(null as string)                                                 as location_id,
        cast(null as string)                                                 as order_id,
        sku,
        cast(null as decimal(18, 2))                                          as value_amount,
        cast(null as string)                                                 as fulfilment_type,
        campaign_name                                                         as campaign,
        cast(null as string)                                                 as currency
    from {{ ref('stg_web_events__events') }}
    where anonymous_id is not null
        and coalesce(event_name, '') <> 'Order Completed'
),

abandoned_carts as (
    select
        'shopify:checkouts:' || shopify_checkout_id, 'shopify:checkouts:' || shopify_checkout_id,
        'shopify', 'web', 'cart_abandoned', created_at, null, null, null, total_price, null, null,
        shop_currency.currency
    from {{ ref('stg_shopify__checkouts') }}
    cross join (select mode() within group (order by currency) as currency from {{ ref('stg_shopify__orders') }}) as shop_currency
),

purchases as (
    select
        order_id, order_id, source, channel, 'purchase', ordered_at, location_id, order_id, null,
        revenue_amount, fulfilment_type, campaign, currency
    from {{ ref('int_orders_unified') }}
    where not is_cancelled
),

returns as (
    select
        return_id, order_id, source, return_channel, 'return',
        returned_at, location_id, order_id, null, -refund_amount, null, null, currency
    from {{ ref('int_returns_unified') }}
    where not is_held  {#- its sale is not loaded: held, listed in marts.dq_returns_held #}
),

reviews as (
    select
        'google_reviews:reviews:' || reviews.review_id, 'google_reviews:reviews:' || reviews.review_id,
        'google_reviews', 'review', 'review', reviews.created_at, locations.location_id, null, null, null, null, null, null
    from {{ ref('stg_google_reviews__reviews') }} as reviews
    left join {{ ref('int_locations_mapped') }} as locations using (google_location_id)
),

posts as (
    select
        'bluesky:posts:' || post_uri, 'bluesky:posts:' || post_uri, 'bluesky', 'social', 'social_mention',
        created_at, null, null, null, null, null, campaign, null
    from {{ ref('stg_bluesky__posts') }}
    where coalesce(feed, 'search') <> 'author'
        {#- search returns every post with the brand's word: only those about the brand are mentions #}
        and post_uri in (select post_uri from {{ ref('int_social_posts_classified') }} where about_brand)
),

all_touchpoints as (
    select * from web_events
    union all select * from abandoned_carts
    union all select * from purchases
    union all select * from returns
    union all select * from reviews
    union all select * from posts
)

select
    all_touchpoints.touchpoint_id,
    resolved.customer_id,
    all_touchpoints.source,
    all_touchpoints.channel,
    all_touchpoints.touchpoint_type,
    all_touchpoints.occurred_at,
    all_touchpoints.location_id,
    all_touchpoints.order_id,
    all_touchpoints.sku,
    cast(all_touchpoints.value_amount as decimal(18, 2))                      as value_amount,
    all_touchpoints.fulfilment_type,
    all_touchpoints.campaign,
    all_touchpoints.currency
from all_touchpoints
left join resolved using (node_id)
