{#- Every return, wherever it happened, pointing at the sale it reverses. The return's channel is
    where the goods came back: a Shopify refund restocked at a store's location was returned at the
    counter (buy online, return in store); other Shopify refunds came back by mail. A Square return
    is an order of its own whose `returns` point at the sale. -#}

with locations as (
    select location_id, shopify_location_id from {{ ref('int_locations_mapped') }}
),

shopify_refunds as (
    select
        'shopify:refunds:' || refunds.shopify_refund_id                       as return_id,
        'shopify'                                                             as source,
        'shopify:orders:' || min(refunds.shopify_order_id)                    as order_id,
        min(refunds.refunded_at)                                              as returned_at,
        sum(refunds.refund_amount)                                            as refund_amount,
        sum(refunds.quantity)                                                 as item_count,
        min(locations.location_id)                                            as location_id
    from {{ ref('stg_shopify__refunds') }} as refunds
    left join locations on refunds.restock_shopify_location_id = locations.shopify_location_id
    group by refunds.shopify_refund_id
),

square_returns as (
    select
        'square:orders:' || return_order_id                                   as return_id,
        'square'                                                              as source,
        'square:orders:' || min(source_order_id)                              as order_id,
        min(returned_at)                                                      as returned_at,
        min(return_amount)                                                    as refund_amount,
        cast(null as hugeint)                                                 as item_count,
        min(square_location_id)                                               as location_id
    from {{ ref('stg_square__order_returns') }}
    group by return_order_id
)

select *, case when location_id is null then 'web' else 'store' end as return_channel from shopify_refunds
union all by name
select *, 'store' as return_channel from square_returns
