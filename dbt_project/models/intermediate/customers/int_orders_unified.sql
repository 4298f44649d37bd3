{#- Every sale from both systems in one shape: its channel, fulfilment type, store and money on the
    one revenue basis (doc block revenue_basis, models/docs.md).

    Where and how a Shopify order was fulfilled follows Shopify's own authority, the location ids
    (int_location_matches maps them to places, int_locations_mapped says which places are stores),
    strongest first:
    - store sale (channel store, in_store): a POS order (source_name pos), or an order processed at
      a store (orders.location_id, "the physical location where the order was processed");
    (a) what happened: a web order fulfilled from a store location (fulfillments[].location_id) is
      pickup_in_store when it has no shipping address or its shipping line is a 0.00 line that
      reads as pickup, else ship_from_store;
    (b) what is planned, for an order no store has fulfilled: its latest non-cancelled fulfillment
      order (delivery_method.method_type, assigned_location_id): pick_up at a store is
      pickup_in_store there; shipping or local delivery assigned to a store is ship_from_store,
      assigned elsewhere (a warehouse, the fulfilment centre) ship_to_home; a pick_up at a place
      that is no mapped store says nothing and falls through to (c);
    (c) weak evidence, only when neither says: a web order with no fulfilment, no shipping address
      and a shipping line that names a store or reads as pickup (titles
      are merchant free text: "Pickup at ...", "Click & Collect", "Retrait en magasin", "Abholung im
      Geschäft") is pickup_in_store;
    - ship_to_home: everything else (fulfilled from a warehouse or fulfilment centre).
    Square: every order is a store sale; Square orders that only carry returns are not sales. -#}
{%- set pickup_words = "(pick\\s*-?\\s*up|click\\s*(&|and|\\+|n)\\s*collect|collect|retrait|abholung|recogida|ritiro|afhalen|retiro|in[\\s-]*store|store\\s+pickup)" -%}

with matches as (
    select * from {{ ref('int_location_matches') }}
),

stores as (
    select location_id from {{ ref('int_locations_mapped') }} where is_store
),

shopify_store_locations as (
    select matches.system_location_id as shopify_location_id, matches.location_id
    from matches
    inner join stores using (location_id)
    where matches.system = 'shopify'
),

{#- the names every system gives each store, as token lists, for reading a pickup line's title -#}
store_names as (
    select distinct matches.location_id, {{ name_tokens('matches.location_name') }} as tokens
    from matches
    inner join stores using (location_id)
    where matches.location_name is not null
),

shopify_orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

shipping as (
    select
        shopify_order_id,
        sum(discounted_price)                                                 as shipping_amount,
        {# a 0.00 line whose title or code reads as pickup #}
        bool_or(coalesce(price, 0) = 0
                and regexp_matches(lower(coalesce(title, '') || ' ' || coalesce(code, '')), '{{ pickup_words }}'))
                                                                              as has_pickup_line,
        min(title)                                                            as title
    from {{ ref('stg_shopify__shipping_lines') }}
    group by all
),

{#- a title naming a store: all the tokens of one of the store's names appear in it; the store
    naming the most tokens wins, and only when no other store names as many -#}
title_stores as (
    select shipping.shopify_order_id, store_names.location_id, max({{ list_length('store_names.tokens') }}) as named_tokens
    from shipping
    inner join store_names
        on {{ list_length(list_common(name_tokens('shipping.title'), 'store_names.tokens')) }} = {{ list_length('store_names.tokens') }}
    group by shipping.shopify_order_id, store_names.location_id
    qualify row_number() over (partition by shopify_order_id order by named_tokens desc, location_id) = 1
        and count(*) over (partition by shopify_order_id, named_tokens) = 1
),

fulfilments as (
    select
        fulfillments.shopify_order_id,
        count(*)                                                              as fulfilments,
        {# the first store fulfilment (by time, then id) says where #}
        min_by(store_locations.location_id, cast(fulfillments.fulfilled_at as string) || fulfillments.shopify_fulfillment_id)
            filter (where store_locations.location_id is not null)            as store_location_id
    from {{ ref('stg_shopify__fulfillments') }} as fulfillments
    left join shopify_store_locations as store_locations using (shopify_location_id)
    group by all
),

{#- the plan for orders not fulfilled yet: the latest fulfillment order that is not cancelled (an
    order split over locations has several; the newest decision wins) -#}
planned as (
    select
        fulfillment_orders.shopify_order_id,
        case
            when fulfillment_orders.method_type = 'pick_up' and store_locations.location_id is not null
                then 'pickup_in_store'
            when fulfillment_orders.method_type in ('shipping', 'local') and store_locations.location_id is not null
                then 'ship_from_store'
            when fulfillment_orders.method_type in ('shipping', 'local') then 'ship_to_home'
        end                                                                   as planned_fulfilment_type,
        store_locations.location_id                                           as planned_location_id
    from {{ ref('stg_shopify__fulfillment_orders') }} as fulfillment_orders
    left join shopify_store_locations as store_locations using (shopify_location_id)
    where coalesce(fulfillment_orders.status, 'open') <> 'cancelled'
    qualify row_number() over (
        partition by fulfillment_orders.shopify_order_id
        order by fulfillment_orders.updated_at desc nulls last, fulfillment_orders.shopify_fulfillment_order_id desc
    ) = 1
),

shopify_items as (
    select shopify_order_id, sum(quantity) as item_count
    from {{ ref('stg_shopify__order_line_items') }}
    group by all
),

shopify_classified as (
    select
        shopify_orders.*,
        processed_at_store.location_id                                        as pos_location_id,
        shopify_orders.source_name = 'pos' or processed_at_store.location_id is not null as is_store_sale,
        fulfilments.store_location_id,
        coalesce(fulfilments.fulfilments, 0)                                  as fulfilments,
        planned.planned_fulfilment_type,
        planned.planned_location_id,
        shipping.shipping_amount,
        coalesce(shipping.has_pickup_line, false)                             as has_pickup_line,
        title_stores.location_id                                              as title_location_id,
        coalesce(shopify_items.item_count, 0)                                 as item_count
    from shopify_orders
    left join shopify_store_locations as processed_at_store
        on shopify_orders.shopify_location_id = processed_at_store.shopify_location_id
    left join fulfilments using (shopify_order_id)
    left join planned using (shopify_order_id)
    left join shipping using (shopify_order_id)
    left join title_stores using (shopify_order_id)
    left join shopify_items using (shopify_order_id)
),

shopify as (
    select
        'shopify:orders:' || shopify_order_id                                 as order_id,
        'shopify'                                                             as source,
        shopify_order_id                                                      as source_order_id,
        case when is_store_sale then 'store' else 'web' end                   as channel,
        case
            when is_store_sale then 'in_store'
            when store_location_id is not null and (not has_shipping_address or has_pickup_line) then 'pickup_in_store'
            when store_location_id is not null then 'ship_from_store'
            when planned_fulfilment_type is not null then planned_fulfilment_type
            when fulfilments = 0 and not has_shipping_address and (title_location_id is not null or has_pickup_line)
                then 'pickup_in_store'
            else 'ship_to_home'
        end                                                                   as fulfilment_type,
        case
            when is_store_sale then pos_location_id
            when store_location_id is not null then store_location_id
            when planned_fulfilment_type is not null then planned_location_id
            when fulfilments = 0 and not has_shipping_address then title_location_id
        end                                                                   as location_id,
        created_at                                                            as ordered_at,
        {# Shopify: subtotal_price is after discounts, before shipping and tax; it includes the tax
           when taxes_included #}
        subtotal_price - case when taxes_included then coalesce(total_tax, 0) else 0 end
                                                                              as net_merchandise_amount,
        coalesce(total_discounts, 0)                                          as discount_amount,
        coalesce(total_tax, 0)                                                as tax_amount,
        coalesce(shipping_amount, 0)                                          as shipping_amount,
        coalesce(total_tip_received, 0)                                       as tip_amount,
        cast(0 as decimal(18, 2))                                             as service_charge_amount,
        total_price                                                           as order_total,
        item_count,
        cancelled_at is not null                                              as is_cancelled,
        regexp_extract(landing_site, 'utm_campaign=([^&#]+)', 1)              as campaign,
        currency
    from shopify_classified
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
        {# Square: total_money includes tax, tips and service charges and is after discounts #}
        orders.total_amount - orders.tax_amount - orders.tip_amount - orders.service_charge_amount
                                                                              as net_merchandise_amount,
        orders.discount_amount,
        orders.tax_amount,
        cast(0 as decimal(18, 2))                                             as shipping_amount,
        orders.tip_amount,
        orders.service_charge_amount,
        orders.total_amount                                                   as order_total,
        cast(coalesce(square_items.item_count, 0) as bigint)                  as item_count,
        coalesce(orders.state = 'CANCELED', false)                            as is_cancelled,
        cast(null as string)                                                 as campaign,
        orders.currency
    from {{ ref('stg_square__orders') }} as orders
    left join square_items using (square_order_id)
    where orders.square_order_id not in (select return_order_id from square_return_orders)
)

select
    order_id, source, source_order_id, channel, fulfilment_type, location_id, ordered_at,
    cast(net_merchandise_amount + discount_amount as decimal(18, 2))          as gross_merchandise_amount,
    cast(discount_amount as decimal(18, 2))                                   as discount_amount,
    cast(net_merchandise_amount as decimal(18, 2))                            as net_merchandise_amount,
    cast(net_merchandise_amount as decimal(18, 2))                            as revenue_amount,
    cast(tax_amount as decimal(18, 2))                                        as tax_amount,
    cast(shipping_amount as decimal(18, 2))                                   as shipping_amount,
    cast(tip_amount as decimal(18, 2))                                        as tip_amount,
    cast(service_charge_amount as decimal(18, 2))                             as service_charge_amount,
    cast(order_total as decimal(18, 2))                                       as order_total,
    cast(item_count as bigint)                                                as item_count,
    is_cancelled, campaign, currency
from (
    select * from shopify
    {{ union_all_by_name() }}
    select * from square
)
