{#- The touches that led to each purchase: every touchpoint of the purchase's journey up to and
    including the purchase itself (a purchase closes its journey, so it is the journey's last touch).
    Purchases without a resolved customer (anonymous store sales) are a one-touch path. -#}
with touches as (
    select * from {{ ref('int_touchpoints_sessionised') }}
),

purchases as (
    select
        touchpoint_id                                                         as purchase_touchpoint_id,
        coalesce(order_id, touchpoint_id)                                     as order_id,
        customer_id,
        channel,
        occurred_at,
        coalesce(value_amount, 0)                                             as order_value
    from {{ ref('fct_touchpoints') }}
    where touchpoint_type = 'purchase'
),

journey_touches as (
    select
        purchases.order_id,
        purchases.customer_id,
        purchases.order_value,
        purchases.occurred_at                                                 as converted_at,
        earlier.journey_touch_index                                           as touch_index,
        earlier.channel,
        earlier.occurred_at
    from purchases
    inner join touches as purchase_touch on purchases.purchase_touchpoint_id = purchase_touch.touchpoint_id
    inner join touches as earlier
        on earlier.journey_id = purchase_touch.journey_id
        and earlier.journey_touch_index <= purchase_touch.journey_touch_index
),

anonymous as (
    select
        order_id,
        customer_id,
        order_value,
        occurred_at                                                           as converted_at,
        0                                                                     as touch_index,
        channel,
        occurred_at
    from purchases
    where customer_id is null
)

select * from journey_touches
union all
select * from anonymous
