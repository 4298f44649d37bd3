{#- Orders per UTC day of purchase, purchase channel, store (the selling store, or the pickup /
    ship-from store of a web order; null for ship-to-home) and currency: the fulfilment mix and the
    returns of those orders, including the ones returned in another channel than bought. Money on
    the revenue basis (net merchandise sales), never added across currencies. -#}
with orders as (
    select * from {{ ref('int_order_returns') }}
)

select
    cast(purchased_at as date)                                                as day,
    purchase_channel,
    purchase_location_id                                                      as location_id,
    currency,
    count(*)                                                                  as orders,
    cast(sum(order_value) as decimal(18, 2))                                  as revenue,
    count(case when fulfilment_type = 'ship_to_home' then 1 end)              as ship_to_home_orders,
    count(case when fulfilment_type = 'pickup_in_store' then 1 end)           as bopis_orders,
    count(case when fulfilment_type = 'ship_from_store' then 1 end)           as ship_from_store_orders,
    count(case when fulfilment_type = 'in_store' then 1 end)                  as in_store_orders,
    cast(count(case when fulfilment_type = 'pickup_in_store' then 1 end) as double) / count(*)
                                                                              as bopis_share,
    cast(count(case when fulfilment_type = 'ship_from_store' then 1 end) as double) / count(*)
                                                                              as ship_from_store_share,
    count(case when is_returned then 1 end)                                   as returns,
    cast(count(case when is_returned then 1 end) as double) / count(*)        as return_rate,
    cast(coalesce(sum(returned_amount), 0) as decimal(18, 2))                 as returned_amount,
    count(case when is_cross_channel_return then 1 end)                       as cross_channel_returns,
    cast(count(case when is_cross_channel_return then 1 end) as double)
        / nullif(count(case when is_returned then 1 end), 0)                  as cross_channel_return_share
from orders
group by 1, 2, 3, 4
