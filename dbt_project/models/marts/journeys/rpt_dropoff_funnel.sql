{#- The customer funnel per entry channel (the channel of a customer's first touchpoint). Stages form
    a ladder; a customer counts at every stage up to the furthest reached:
    aware (any touchpoint) -> considering (viewed a product) -> cart (added to cart or checked out)
    -> purchase -> repeat (two or more orders) -> advocate (a buyer who reviewed with 4-5 stars or
    posted about the brand, as in dim_customers.journey_stage).
    A purchase implies the earlier stages even when they were not observed (a walk-in store sale). -#}
with touches as (
    select * from {{ ref('int_touchpoints_sessionised') }}
),

stages as (
    select * from (values
        (1, 'aware'), (2, 'considering'), (3, 'cart'), (4, 'purchase'), (5, 'repeat'), (6, 'advocate')
    ) as stage_list (stage_order, stage)
),

customers as (
    select
        customer_id,
        max(case when customer_touch_number = 1 then channel end)             as entry_channel,
        max(case when touchpoint_type = 'product_view' then 1 else 0 end)     as has_product_view,
        max(case when touchpoint_type in ('add_to_cart', 'checkout_started', 'cart_abandoned')
                 then 1 else 0 end)                                           as has_cart,
        count(distinct case when touchpoint_type = 'purchase' then coalesce(order_id, touchpoint_id) end)
                                                                              as orders
    from touches
    group by customer_id
),

advocacy as (
    {#- the same rule as dim_customers.journey_stage: a buyer who reviewed with 4-5 stars or posted -#}
    select distinct touches.customer_id
    from touches
    inner join customers on touches.customer_id = customers.customer_id
    left join {{ ref('fct_reviews') }} as reviews
        on touches.touchpoint_id = 'google_reviews:reviews:' || reviews.review_id
    where customers.orders >= 1
        and (touches.touchpoint_type = 'social_mention' or reviews.rating >= 4)
),

furthest as (
    select
        customers.customer_id,
        customers.entry_channel,
        case
            when advocacy.customer_id is not null then 6
            when customers.orders >= 2 then 5
            when customers.orders = 1 then 4
            when customers.has_cart = 1 then 3
            when customers.has_product_view = 1 then 2
            else 1
        end                                                                   as furthest_stage_order
    from customers
    left join advocacy on customers.customer_id = advocacy.customer_id
),

reached as (
    select
        entry_channels.entry_channel,
        stages.stage_order,
        stages.stage,
        count(furthest.customer_id)                                           as customers_reached,
        count(case when furthest.furthest_stage_order = stages.stage_order then 1 end)
                                                                              as customers_stopped
    from (select distinct entry_channel from furthest) as entry_channels
    cross join stages
    left join furthest
        on furthest.entry_channel = entry_channels.entry_channel
        and furthest.furthest_stage_order >= stages.stage_order
    group by 1, 2, 3
)

select
    entry_channel,
    stage_order,
    stage,
    customers_reached,
    customers_stopped,
    cast(customers_reached as double)
        / nullif(first_value(customers_reached) over (partition by entry_channel order by stage_order), 0)
                                                                              as share_of_entry,
    cast(customers_reached as double)
        / nullif(lag(customers_reached) over (partition by entry_channel order by stage_order), 0)
                                                                              as conversion_from_previous,
    case when stage_order < 6
         then cast(customers_stopped as double) / nullif(customers_reached, 0)
    end                                                                       as dropoff_rate
from reached
