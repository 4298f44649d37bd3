{#- Every consecutive pair of a customer's touchpoints that changes channel. "Purchase followed" looks
    for the customer's next purchase at or after the hand-off, within journey_inactivity_days. The
    named patterns are flags on the pair; see the YAML for each definition. -#}
{%- set window_days = var('journey_inactivity_days') -%}

with touches as (
    select
        *,
        min(case when touchpoint_type = 'purchase' then customer_touch_number end) over (
            partition by customer_id order by customer_touch_number
            rows between current row and unbounded following
        ) as next_purchase_touch_number
    from {{ ref('int_touchpoints_sessionised') }}
),

order_channels as (
    {#- the channel each order was bought in, to tell a cross-channel return -#}
    select order_id, min(channel) as purchase_channel
    from {{ ref('fct_touchpoints') }}
    where touchpoint_type = 'purchase' and order_id is not null
    group by order_id
),

pairs as (
    select
        from_touch.customer_id,
        from_touch.touchpoint_id                                              as from_touchpoint_id,
        to_touch.touchpoint_id                                                as to_touchpoint_id,
        from_touch.channel                                                    as from_channel,
        to_touch.channel                                                      as to_channel,
        from_touch.touchpoint_type                                            as from_touchpoint_type,
        to_touch.touchpoint_type                                              as to_touchpoint_type,
        from_touch.occurred_at                                                as from_occurred_at,
        to_touch.occurred_at                                                  as to_occurred_at,
        from_touch.journey_id                                                 as from_journey_id,
        to_touch.journey_id                                                   as to_journey_id,
        from_touch.fulfilment_type                                            as from_fulfilment_type,
        from_touch.campaign                                                   as from_campaign,
        to_touch.campaign                                                     as to_campaign,
        to_touch.order_id                                                     as to_order_id,
        to_touch.next_purchase_touch_number
    from touches as to_touch
    inner join touches as from_touch
        on from_touch.customer_id = to_touch.customer_id
        and from_touch.customer_touch_number = to_touch.customer_touch_number - 1
    where from_touch.channel <> to_touch.channel
),

with_purchase as (
    select
        pairs.*,
        purchase.touchpoint_id                                                as next_purchase_touchpoint_id,
        purchase.channel                                                      as next_purchase_channel,
        purchase.occurred_at                                                  as next_purchase_at,
        purchase.occurred_at is not null
            and purchase.occurred_at <= {{ dbt.dateadd('day', window_days, 'pairs.to_occurred_at') }}
                                                                              as purchase_followed,
        order_channels.purchase_channel                                       as to_order_purchase_channel
    from pairs
    left join touches as purchase
        on purchase.customer_id = pairs.customer_id
        and purchase.customer_touch_number = pairs.next_purchase_touch_number
    left join order_channels
        on pairs.to_touchpoint_type = 'return' and order_channels.order_id = pairs.to_order_id
),

flagged as (
    select
        from_touchpoint_id || '>' || to_touchpoint_id                            as handoff_id,
        customer_id,
        from_touchpoint_id,
        to_touchpoint_id,
        from_channel,
        to_channel,
        from_touchpoint_type,
        to_touchpoint_type,
        from_occurred_at,
        to_occurred_at                                                            as handed_off_at,
        cast({{ dbt.datediff('from_occurred_at', 'to_occurred_at', 'second') }} as double) / 3600.0
                                                                                  as hours_to_handoff,
        to_journey_id                                                             as journey_id,
        from_journey_id = to_journey_id                                           as is_same_journey,
        purchase_followed,
        case when purchase_followed then next_purchase_channel end                as purchase_channel,
        case when purchase_followed then next_purchase_touchpoint_id end          as purchase_touchpoint_id,
        case when purchase_followed
             then cast({{ dbt.datediff('to_occurred_at', 'next_purchase_at', 'second') }} as double) / 3600.0
        end                                                                       as hours_to_purchase,
        -- research online, purchase offline: web browsing handed to the store, where the purchase followed
        (from_channel = 'web' and from_touchpoint_type <> 'purchase' and to_channel = 'store'
            and purchase_followed and next_purchase_channel = 'store')           as is_ropo,
        -- showrooming: a store visit handed to the web, where the purchase followed
        (from_channel = 'store' and to_channel = 'web'
            and purchase_followed and next_purchase_channel = 'web')             as is_showrooming,
        -- an abandoned web cart, then the purchase in a store
        (from_channel = 'web' and from_touchpoint_type = 'cart_abandoned' and to_channel = 'store'
            and purchase_followed and next_purchase_channel = 'store')           as is_cart_recovered_in_store,
        -- buy online, pick up in store: a web purchase fulfilled by store pickup, handed to the store
        (from_channel = 'web' and from_touchpoint_type = 'purchase' and from_fulfilment_type = 'pickup_in_store'
            and to_channel = 'store')                                            as is_bopis,
        -- buy online, return in store: a store return of an order bought on the web
        (to_channel = 'store' and to_touchpoint_type = 'return'
            and to_order_purchase_channel = 'web')                               as is_online_purchase_returned_in_store,
        (from_touchpoint_type = 'purchase' and to_touchpoint_type = 'review')    as is_purchase_then_review,
        (from_touchpoint_type = 'purchase' and to_touchpoint_type = 'social_mention') as is_purchase_then_social,
        -- a social post followed by a web visit carrying a campaign (the post's own when it has one)
        (from_touchpoint_type = 'social_mention' and to_channel = 'web' and to_campaign is not null
            and (from_campaign is null or from_campaign = to_campaign))          as is_social_to_web_campaign
    from with_purchase
)

select
    *,
    {#- one label per hand-off for charts; a hand-off matching several patterns takes the first -#}
    case
        when is_online_purchase_returned_in_store then 'online_return_in_store'
        when is_bopis then 'bopis'
        when is_cart_recovered_in_store then 'cart_recovered_in_store'
        when is_ropo then 'ropo'
        when is_showrooming then 'showrooming'
        when is_purchase_then_review then 'purchase_then_review'
        when is_purchase_then_social then 'purchase_then_social'
        when is_social_to_web_campaign then 'social_to_web_campaign'
    end                                                                       as handoff_pattern
from flagged
