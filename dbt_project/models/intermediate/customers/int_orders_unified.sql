{#- Every sale from both systems in one shape, with its fulfilment type and store.
    Shopify: POS orders (source_name pos / a location id) are store sales; a web order whose shipping
    line is titled with a store's name is a pickup in store; a web order fulfilled from a store's
    location is ship from store; anything else ships to home. Square: store sales; Square orders that
    only carry returns are not sales. -#}

with locations as (
    select * from {{ ref('int_locations_mapped') }}
),

shopify_orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

pickup_lines as (
    select shipping_lines.shopify_order_id, min(locations.location_id) as location_id
    from {{ ref('stg_shopify__shipping_lines') }} as shipping_lines
    {# the line carries the store's name, possibly without the brand ("Pearl District") #}
    inner join locations on lower(trim(shipping_lines.title)) = lower(trim(locations.location_name))
        or ends_with(lower(trim(locations.location_name)), ' ' || lower(trim(shipping_lines.title)))
    group by all
),

store_fulfilments as (
    select fulfillments.shopify_order_id, min(locations.location_id) as location_id
    from {{ ref('stg_shopify__fulfillments') }} as fulfillments
    inner join locations using (shopify_location_id)
    group by all
),

shopify_items as (
    select shopify_order_id, sum(quantity) as item_count
    from {{ ref('stg_shopify__order_line_items') }}
    group by all
),

shopify as (
    select
        'shopify:orders:' || shopify_orders.shopify_order_id                  as order_id,
        'shopify'                                                             as source,
        shopify_orders.shopify_order_id                                       as source_order_id,
        case when shopify_orders.source_name = 'pos' or pos_location.location_id is not null
             then 'store' else 'web' end                                      as channel,
        case
            when shopify_orders.source_name = 'pos' or pos_location.location_id is not null then 'in_store'
            when pickup_lines.shopify_order_id is not null then 'pickup_in_store'
            when store_fulfilments.shopify_order_id is not null then 'ship_from_store'
            else 'ship_to_home'
        end                                                                   as fulfilment_type,
        coalesce(pos_location.location_id, pickup_lines.location_id, store_fulfilments.location_id) as location_id,
        shopify_orders.created_at                                             as ordered_at,
        shopify_orders.total_price                                            as order_total,
        {# revenue = merchandise after discounts, without shipping and tax #}
        shopify_orders.subtotal_price                                         as revenue_amount,
        coalesce(shopify_orders.total_discounts, 0)                           as discount_total,
        coalesce(shopify_items.item_count, 0)                                 as item_count,
        shopify_orders.cancelled_at is not null                               as is_cancelled,
        regexp_extract(shopify_orders.landing_site, 'utm_campaign=([^&#]+)', 1) as campaign,
        shopify_orders.currency
    from shopify_orders
    left join locations as pos_location on shopify_orders.shopify_location_id = pos_location.shopify_location_id
    left join pickup_lines using (shopify_order_id)
    left join store_fulfilments using (shopify_order_id)
    left join shopify_items using (shopify_order_id)
),

square_items as (
    select square_order_id, sum(quantity) as item_count
    from {{ ref('stg_square__order_line_items') }}
    group by all
),

square_return_orders as (
    select distinct return_order_id from {{ ref('stg_square__order_returns') }}
),

square as (
    select
        'square:orders:' || orders.square_order_id                            as order_id,
        'square'                                                              as source,
        orders.square_order_id                                                as source_order_id,
        'store'                                                               as channel,
        'in_store'                                                            as fulfilment_type,
        orders.square_location_id                                             as location_id,
        orders.created_at                                                     as ordered_at,
        orders.total_amount                                                   as order_total,
        orders.total_amount                                                   as revenue_amount,
        cast(0 as decimal(18, 2))                                             as discount_total,
        cast(coalesce(square_items.item_count, 0) as bigint)                  as item_count,
        coalesce(orders.state = 'CANCELED', false)                            as is_cancelled,
        cast(null as varchar)                                                 as campaign,
        orders.currency
    from {{ ref('stg_square__orders') }} as orders
    left join square_items using (square_order_id)
    where orders.square_order_id not in (select return_order_id from square_return_orders)
)

select * from shopify
union all by name
select * from square
