{#- One row per abandoned cart (touchpoint_type cart_abandoned) and whether it was recovered: the
    customer's next purchase, in any channel, within journey_inactivity_days, provided no later
    abandoned cart came first (so one purchase recovers at most one cart). Carts of unresolved
    shoppers cannot be followed and count as not recovered. -#}
with touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

resolved as (
    select
        *,
        min(case when touchpoint_type = 'purchase' then customer_touch_number end) over (
            partition by customer_id order by customer_touch_number
            rows between 1 following and unbounded following
        ) as next_purchase_touch_number,
        min(case when touchpoint_type = 'cart_abandoned' then customer_touch_number end) over (
            partition by customer_id order by customer_touch_number
            rows between 1 following and unbounded following
        ) as next_cart_touch_number
    from {{ ref('int_touchpoints_sessionised') }}
),

resolved_carts as (
    select
        carts.touchpoint_id,
        purchase.touchpoint_id                                                as recovery_touchpoint_id,
        purchase.order_id                                                     as recovery_order_id,
        purchase.channel                                                      as recovery_channel,
        purchase.occurred_at                                                  as recovered_at,
        purchase.value_amount                                                 as recovered_value
    from resolved as carts
    inner join resolved as purchase
        on purchase.customer_id = carts.customer_id
        and purchase.customer_touch_number = carts.next_purchase_touch_number
    where carts.touchpoint_type = 'cart_abandoned'
        and (carts.next_cart_touch_number is null
             or carts.next_cart_touch_number > carts.next_purchase_touch_number)
        and purchase.occurred_at <= {{ dbt.dateadd('day', var('journey_inactivity_days'), 'carts.occurred_at') }}
)

select
    carts.touchpoint_id                                                       as cart_touchpoint_id,
    carts.customer_id,
    carts.occurred_at                                                         as abandoned_at,
    carts.value_amount                                                        as cart_value,
    resolved_carts.recovery_touchpoint_id is not null                         as is_recovered,
    coalesce(resolved_carts.recovery_channel, 'not_recovered')               as recovery_channel,
    resolved_carts.recovery_order_id,
    resolved_carts.recovered_at,
    resolved_carts.recovered_value,
    cast({{ dbt.datediff('carts.occurred_at', 'resolved_carts.recovered_at', 'second') }} as double) / 3600.0
                                                                              as hours_to_recovery
from touchpoints as carts
left join resolved_carts on carts.touchpoint_id = resolved_carts.touchpoint_id
where carts.touchpoint_type = 'cart_abandoned'
