{#- One row per sale (web or store), with the resolved customer and what came back. Money on the one
    revenue basis (doc block revenue_basis), in the order's own currency. -#}

with orders as (
    select * from {{ ref('int_orders_unified') }}
),

resolved as (
    select node_id, customer_id from {{ ref('int_identity_resolved_nodes') }}
),

returns as (
    select
        order_id,
        count(*)                                                              as return_count,
        sum(refund_amount)                                                    as refunded_amount,
        min(returned_at)                                                      as first_returned_at,
        {{ string_agg_ordered('return_channel', "','", 'return_channel', distinct=true) }} as return_channels
    from {{ ref('int_returns_unified') }}
    where not is_held
    group by all
)

select
    orders.order_id,
    orders.source,
    orders.source_order_id,
    resolved.customer_id,
    orders.channel,
    orders.fulfilment_type,
    orders.location_id,
    orders.ordered_at,
    orders.gross_merchandise_amount,
    orders.discount_amount,
    orders.net_merchandise_amount,
    orders.revenue_amount,
    orders.tax_amount,
    orders.shipping_amount,
    orders.tip_amount,
    orders.service_charge_amount,
    orders.order_total,
    cast(orders.item_count as bigint)                                        as item_count,
    orders.is_cancelled,
    coalesce(returns.return_count, 0) > 0                                    as is_returned,
    cast(coalesce(returns.refunded_amount, 0) as decimal(18, 2))              as refunded_amount,
    returns.first_returned_at,
    returns.return_channels,
    coalesce(returns.return_channels like '%store%' and orders.channel = 'web', false)
        or coalesce(returns.return_channels like '%web%' and orders.channel = 'store', false)
                                                                              as is_cross_channel_return,
    orders.campaign,
    orders.currency
from orders
left join resolved on orders.order_id = resolved.node_id
left join returns using (order_id)
