{#- Every return, wherever it happened, pointing at the sale it reverses. The return's channel is
    where the goods came back: a Shopify refund whose refund_line_items[].location_id is a store
    (int_locations_mapped.is_store) was returned at the counter (buy online, return in store); other
    Shopify refunds (restocked at a warehouse or fulfilment centre, or not restocked) came back by
    mail. Amounts are merchandise before tax (refund_line_items[].subtotal; Square return_amounts
    less tax). A Square return
    is an order of its own whose `returns` point at the sale.
    A return whose sale is not loaded (quarantined at the edge, or not pulled yet) is held: is_held,
    kept here and listed in marts.dq_returns_held (test returns_held_for_their_sale), left out of
    fct_orders and fct_touchpoints until its sale arrives, when it is released by the next build. -#}

with locations as (
    select matches.system_location_id as shopify_location_id, matches.location_id
    from {{ ref('int_location_matches') }} as matches
    inner join {{ ref('int_locations_mapped') }} as places using (location_id)
    where matches.system = 'shopify' and places.is_store
),

shopify_refunds as (
    select
        'shopify:refunds:' || refunds.shopify_refund_id                       as return_id,
        'shopify'                                                             as source,
        'shopify:orders:' || min(refunds.shopify_order_id)                    as order_id,
        min(refunds.refunded_at)                                              as returned_at,
        sum(refunds.refund_amount)                                            as refund_amount,
        sum(refunds.quantity)                                                 as item_count,
        min(locations.location_id)                                            as location_id,
        min(orders.currency)                                                  as currency
    from {{ ref('stg_shopify__refunds') }} as refunds
    left join locations on refunds.restock_shopify_location_id = locations.shopify_location_id
    left join {{ ref('stg_shopify__orders') }} as orders using (shopify_order_id)
    group by refunds.shopify_refund_id
),

square_returns as (
    select
        'square:orders:' || returns.return_order_id                           as return_id,
        'square'                                                              as source,
        'square:orders:' || min(returns.source_order_id)                      as order_id,
        min(returns.returned_at)                                              as returned_at,
        min(returns.return_amount)                                            as refund_amount,
        min(return_items.item_count)                                          as item_count,
        min(returns.square_location_id)                                       as location_id,
        min(orders.currency)                                                  as currency
    from {{ ref('stg_square__order_returns') }} as returns
    left join {{ ref('stg_square__orders') }} as orders on returns.return_order_id = orders.square_order_id
    left join (
        select return_order_id, sum(quantity) as item_count
        from {{ ref('stg_square__order_return_line_items') }}
        group by return_order_id
    ) as return_items on returns.return_order_id = return_items.return_order_id
    group by returns.return_order_id
),

all_returns as (
    select *, case when location_id is null then 'web' else 'store' end as return_channel from shopify_refunds
    {{ union_all_by_name() }}
    select *, 'store' as return_channel from square_returns
)

select
    all_returns.*,
    sales.order_id is null                                                    as is_held
from all_returns
left join {{ ref('int_orders_unified') }} as sales on all_returns.order_id = sales.order_id
