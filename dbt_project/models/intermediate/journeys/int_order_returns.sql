{#- One row per purchased order: its channel and fulfilment, and, when it was returned, where and
    when. Returns are fct_touchpoints of type return carrying the original order_id; an order with
    several partial returns takes the first return's channel and counts as cross-channel when any
    of its returns happened in another channel than the purchase. -#}
with touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

orders as (
    select
        coalesce(order_id, touchpoint_id)                                     as order_id,
        min(customer_id)                                                      as customer_id,
        min(channel)                                                          as purchase_channel,
        min(occurred_at)                                                      as purchased_at,
        min(location_id)                                                      as purchase_location_id,
        min(fulfilment_type)                                                  as fulfilment_type,
        sum(value_amount)                                                     as order_value,
        min(currency)                                                         as currency
    from touchpoints
    where touchpoint_type = 'purchase'
    group by 1
),

return_touches as (
    select
        *,
        row_number() over (partition by order_id order by occurred_at, touchpoint_id) as return_number
    from touchpoints
    where touchpoint_type = 'return' and order_id is not null
),

returns as (
    select
        return_touches.order_id,
        min(return_touches.occurred_at)                                       as returned_at,
        max(case when return_touches.return_number = 1 then return_touches.channel end) as return_channel,
        max(case when return_touches.return_number = 1 then return_touches.location_id end)
                                                                              as return_location_id,
        -1 * sum(return_touches.value_amount)                                 as returned_amount,
        count(*)                                                              as return_count,
        count(case when return_touches.channel <> orders.purchase_channel then 1 end) > 0
                                                                              as is_cross_channel_return
    from return_touches
    inner join orders on return_touches.order_id = orders.order_id
    group by return_touches.order_id
)

select
    orders.order_id,
    orders.customer_id,
    orders.purchase_channel,
    orders.purchased_at,
    orders.purchase_location_id,
    orders.fulfilment_type,
    orders.order_value,
    orders.currency,
    returns.order_id is not null                                              as is_returned,
    returns.returned_at,
    returns.return_channel,
    returns.return_location_id,
    returns.returned_amount,
    coalesce(returns.return_count, 0)                                         as return_count,
    coalesce(returns.is_cross_channel_return, false)                          as is_cross_channel_return
from orders
left join returns on orders.order_id = returns.order_id
