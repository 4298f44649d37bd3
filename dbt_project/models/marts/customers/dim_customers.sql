{#- Customer 360: one row per resolved person. PII only hashed or masked here (raw values live in
    restricted.dim_customers_pii). Rules:
    - channels / channel_count: the channels of the person's touchpoints; a profile with none (a
      Square directory profile from an e-receipt or marketing form that never bought) has channels ''
      and channel_count 0: they are a customer record, not a channel user;
    - is_omnichannel: seen in both the web shop and a store;
    - revenue: net merchandise sales (revenue basis) of non-cancelled sales in the shop's currency;
      lifetime_value: revenue minus refunds;
    - predicted_ltv: 12-month predicted value (BG/NBD + Gamma-Gamma, int_customer_lifetime_value); null for
      people who never bought and when the models could not be fitted;
    - rfm_segment: recency/frequency/monetary scores (1-5, quintiles among buyers) mapped to
      champions, loyal, new, at_risk, hibernating, promising; people who never bought: prospect;
    - journey_stage: advocate (bought and reviewed 4+ stars or posted), repeat (2+ orders),
      customer (1 order), considering (cart, checkout or identified on the web), aware (otherwise);
    - household_id: people sharing a family email or phone (int_customer_households), kept apart. -#}

with customers as (
    select * from {{ ref('int_customer_golden_records') }}
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }} where customer_id is not null
),

as_of as (
    select max(occurred_at) as as_of_at from {{ ref('fct_touchpoints') }}
),

activity as (
    select
        customer_id,
        min(occurred_at)                                                      as first_seen_at,
        max(occurred_at)                                                      as last_seen_at,
        {{ string_agg_ordered('channel', "','", 'channel', distinct=true) }}    as channels,
        count(distinct channel)                                               as channel_count,
        bool_or(channel = 'web') and bool_or(channel = 'store')               as is_omnichannel,
        {%- for channel in ['web', 'store', 'review', 'social'] %}
        min(case when channel = '{{ channel }}' then occurred_at end)         as first_seen_{{ channel }}_at,
        max(case when channel = '{{ channel }}' then occurred_at end)         as last_seen_{{ channel }}_at,
        {%- endfor %}
        bool_or(touchpoint_type in ('add_to_cart', 'checkout_started', 'cart_abandoned', 'identify')) as has_considered,
        count(*) filter (where touchpoint_type = 'social_mention')            as social_posts,
        count(*) filter (where touchpoint_type = 'return')                    as returns_count,
        count(*) filter (where touchpoint_type = 'return' and channel = 'web') as web_returns,
        count(*) filter (where touchpoint_type = 'return' and channel = 'store') as store_returns
    from touchpoints
    group by all
),

{#- money is in the shop's currency (the most common currency of web orders): a sale taken in
    another currency (a store abroad) counts as an order but its money is not added in -#}
shop_currency as (
    select mode() within group (order by currency) as currency
    from {{ ref('fct_orders') }}
    where channel = 'web'
),

orders as (
    select
        customer_id,
        count(*)                                                              as orders_count,
        count(*) filter (where channel = 'web')                               as web_orders,
        count(*) filter (where channel = 'store')                             as store_orders,
        coalesce(sum(revenue_amount) filter (where in_shop_currency), 0)      as revenue,
        coalesce(sum(revenue_amount) filter (where channel = 'web' and in_shop_currency), 0) as web_revenue,
        coalesce(sum(revenue_amount) filter (where channel = 'store' and in_shop_currency), 0) as store_revenue,
        coalesce(sum(refunded_amount) filter (where in_shop_currency), 0)     as refunded_amount,
        max(ordered_at)                                                       as last_order_at
    from (
        select fct_orders.*,
               fct_orders.currency is not distinct from coalesce(shop_currency.currency, fct_orders.currency)
                   as in_shop_currency
        from {{ ref('fct_orders') }} as fct_orders
        cross join shop_currency
    )
    where customer_id is not null and not is_cancelled
    group by all
),

reviews as (
    select
        resolved.customer_id,
        count(*)                                                              as review_count,
        avg(reviews.star_rating)                                              as avg_rating,
        max(reviews.star_rating)                                              as best_rating,
        avg(sentiment.sentiment_compound)                                     as avg_sentiment
    from {{ ref('stg_google_reviews__reviews') }} as reviews
    inner join {{ ref('int_identity_resolved_nodes') }} as resolved
        on resolved.node_id = 'google_reviews:reviews:' || reviews.review_id
    left join {{ ref('int_review_sentiment') }} as sentiment using (review_id)
    where resolved.customer_id is not null
    group by all
),

predicted_value as (
    select customer_id, predicted_ltv_12m from {{ ref('int_customer_lifetime_value') }}
),

rfm_scores as (
    select
        orders.customer_id,
        ntile(5) over (order by orders.last_order_at)                         as recency_score,
        ntile(5) over (order by orders.orders_count, orders.revenue)          as frequency_score,
        ntile(5) over (order by orders.revenue)                               as monetary_score
    from orders
)

select
    customers.customer_id,
    {{ hash_pii('customers.email') }}                                         as email_hash,
    {{ mask_phone('customers.phone') }}                                       as phone_masked,
    {{ mask_name('customers.first_name', 'customers.last_name') }}            as name_masked,
    activity.first_seen_at,
    activity.last_seen_at,
    coalesce(activity.channels, '')                                           as channels,
    coalesce(activity.channel_count, 0)                                       as channel_count,
    coalesce(activity.is_omnichannel, false)                                  as is_omnichannel,
    {%- for channel in ['web', 'store', 'review', 'social'] %}
    activity.first_seen_{{ channel }}_at,
    activity.last_seen_{{ channel }}_at,
    {%- endfor %}
    coalesce(orders.orders_count, 0)                                          as orders_count,
    coalesce(orders.web_orders, 0)                                            as web_orders,
    coalesce(orders.store_orders, 0)                                          as store_orders,
    cast(coalesce(orders.revenue, 0) as decimal(18, 2))                       as revenue,
    cast(coalesce(orders.web_revenue, 0) as decimal(18, 2))                   as web_revenue,
    cast(coalesce(orders.store_revenue, 0) as decimal(18, 2))                 as store_revenue,
    coalesce(activity.returns_count, 0)                                       as returns_count,
    coalesce(activity.web_returns, 0)                                         as web_returns,
    coalesce(activity.store_returns, 0)                                       as store_returns,
    cast(coalesce(orders.revenue, 0) - coalesce(orders.refunded_amount, 0) as decimal(18, 2)) as lifetime_value,
    cast(predicted_value.predicted_ltv_12m as decimal(18, 2))                 as predicted_ltv,
    case
        when orders.customer_id is null then 'prospect'
        when rfm_scores.recency_score >= 4 and rfm_scores.frequency_score >= 4 then 'champions'
        when rfm_scores.frequency_score >= 4 then 'loyal'
        when rfm_scores.recency_score >= 4 and orders.orders_count = 1 then 'new'
        when rfm_scores.recency_score <= 2 and rfm_scores.frequency_score >= 3 then 'at_risk'
        when rfm_scores.recency_score <= 2 then 'hibernating'
        else 'promising'
    end                                                                       as rfm_segment,
    coalesce(reviews.review_count, 0)                                         as review_count,
    cast(reviews.avg_rating as decimal(4, 2))                                 as avg_rating,
    cast(reviews.avg_sentiment as double)                                     as avg_sentiment,
    coalesce(activity.social_posts, 0)                                        as social_posts,
    case
        when orders.customer_id is not null and (reviews.best_rating >= 4 or activity.social_posts > 0) then 'advocate'
        when orders.orders_count >= 2 then 'repeat'
        when orders.orders_count = 1 then 'customer'
        when activity.has_considered then 'considering'
        else 'aware'
    end                                                                       as journey_stage,
    households.household_id,
    households.household_size
from customers
left join {{ ref('int_customer_households') }} as households using (customer_id)
left join activity using (customer_id)
left join orders using (customer_id)
left join reviews using (customer_id)
left join rfm_scores using (customer_id)
left join predicted_value using (customer_id)
