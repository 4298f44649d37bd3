{#- Web vs store unit price of the same SKU on the same shop day. Prices change at midnight shop
    time: the web shop's day is the stores' time zone (the most common one of the Square
    locations, UTC when none is known), a store sale's day is its own store's time zone.
    The web price is observed in web-shop order lines, abandoned-checkout lines and in the price shown
    by Product Viewed / Product Added events; the store price in POS order lines (base price before discounts). Each
    store day of a SKU is compared with the web price of the same day; when the web shop showed no
    price that day, against the prices it showed on the nearest days before and after (both within
    `bracket_days`; web_price_basis bracketed): a web price changes at most once in so short a
    window, so the price in effect was one the shop showed on one of those two days, and a store
    price outside all of them is a gap whichever it was. Otherwise, on days after the Shopify variant
    last changed (`updated_at`), its current price (web_price_basis catalog_unchanged).
    A violation is a store price (median of the day) at least a cent away from every web price seen
    that day.
    The SKU of a store sale is the Square catalog's (stg_square__order_line_items.sku through the
    line's catalog_object_id), never the line's variation_name, a display label. Only sales in the
    shop's currency (the most common currency of web orders) are compared: a store abroad prices in
    its own currency, and a price in CAD is not a gap against a price in USD.
    web_orders counts the web orders of the SKU that day (0 when the web price came from product
    views or a bracketing day), so "sold in both channels" is web_orders > 0. -#}
{%- set bracket_days = 3 -%}
with locations as (
    select square_location_id, timezone from {{ ref('stg_square__locations') }}
),

shop as (
    select
        coalesce((select mode() within group (order by timezone) from locations), 'UTC') as timezone,
        (select mode() within group (order by currency) from {{ ref('stg_shopify__orders') }}
         where coalesce(source_name, 'web') <> 'pos')                        as currency
),

checkouts as (
    select checkout_token, min(created_at) as created_at
    from {{ ref('stg_shopify__checkouts') }}
    where checkout_token is not null
    group by checkout_token
),

web_observations as (
    {#- an order that completes an earlier (abandoned, then recovered) checkout keeps the checkout's
        line prices: its lines tell the price of the day the checkout was priced, not the order day -#}
    select cast({{ local_time('shop.timezone', 'coalesce(checkouts.created_at, orders.created_at)') }}
                as date)                                                      as day,
           lines.sku, lines.unit_price as price, orders.shopify_order_id as order_id
    from {{ ref('stg_shopify__order_line_items') }} as lines
    inner join {{ ref('stg_shopify__orders') }} as orders on lines.shopify_order_id = orders.shopify_order_id
    left join checkouts on checkouts.checkout_token = orders.checkout_token
    cross join shop
    where coalesce(orders.source_name, 'web') <> 'pos' and orders.cancelled_at is null
        and orders.currency is not distinct from shop.currency
        and lines.sku is not null and lines.unit_price is not null

    union all

    {# a checkout (abandoned or not) priced its lines the day it was created #}
    select cast({{ local_time('shop.timezone', 'checkouts.created_at') }} as date) as day,
           lines.sku, lines.unit_price, cast(null as string)
    from {{ ref('stg_shopify__checkout_line_items') }} as lines
    inner join {{ ref('stg_shopify__checkouts') }} as checkouts
        on lines.shopify_checkout_id = checkouts.shopify_checkout_id
    cross join shop
    where lines.sku is not null and lines.unit_price is not null

    union all

    select cast({{ local_time('shop.timezone', 'events.occurred_at') }} as date) as day,
           events.sku, events.price, cast(null as string) as order_id
    from {{ ref('stg_web_events__events') }} as events
    cross join shop
    where events.event_name in ('Product Viewed', 'Product Added')
        and events.sku is not null and events.price is not null
),

store_observations as (
    select
        cast({{ local_time('coalesce(locations.timezone, shop.timezone)', 'orders.created_at') }} as date)
                                                                              as day,
        lines.sku,
        lines.unit_price                                                      as price,
        lines.quantity
    from {{ ref('stg_square__order_line_items') }} as lines
    inner join {{ ref('stg_square__orders') }} as orders on lines.square_order_id = orders.square_order_id
    left join locations on orders.square_location_id = locations.square_location_id
    cross join shop
    where lines.sku is not null and lines.unit_price is not null
        and orders.currency is not distinct from shop.currency
),

web_daily as (
    select
        day,
        sku,
        median(price)                                                         as web_price,
        min(price)                                                            as web_price_min,
        max(price)                                                            as web_price_max,
        count(*)                                                              as web_observations,
        count(distinct order_id)                                              as web_orders
    from web_observations
    group by day, sku
),

store_daily as (
    select
        day,
        sku,
        median(price)                                                         as store_price,
        min(price)                                                            as store_price_min,
        max(price)                                                            as store_price_max,
        cast(sum(quantity) as double)                                         as store_units
    from store_observations
    group by day, sku
),

nearest_web_days as (
    {#- for a store day without a web observation: the closest web days before and after, within
        the bracket window -#}
    select
        store_daily.day,
        store_daily.sku,
        max(case when web_daily.day < store_daily.day then web_daily.day end)  as previous_web_day,
        min(case when web_daily.day > store_daily.day then web_daily.day end)  as next_web_day
    from store_daily
    inner join web_daily
        on web_daily.sku = store_daily.sku
        and web_daily.day between {{ dbt.dateadd('day', -1 * bracket_days, 'store_daily.day') }}
                              and {{ dbt.dateadd('day', bracket_days, 'store_daily.day') }}
        and web_daily.day <> store_daily.day
    group by store_daily.day, store_daily.sku
),

observed_web_in_effect as (
    select store_daily.day, store_daily.sku, same_day.web_price, same_day.web_observations,
           same_day.web_orders, 'same_day' as web_price_basis,
           same_day.web_price_min, same_day.web_price_max
    from store_daily
    inner join web_daily as same_day on same_day.day = store_daily.day and same_day.sku = store_daily.sku

    union all

    {# web_price: the bracketing days' price when they agree, else the one nearer the store price
       (the smaller gap is the one reported) #}
    select nearest_web_days.day, nearest_web_days.sku,
           case when abs(store_daily.store_price - before.web_price) <= abs(store_daily.store_price - after.web_price)
                then before.web_price else after.web_price end,
           before.web_observations + after.web_observations, 0, 'bracketed',
           least(before.web_price_min, after.web_price_min), greatest(before.web_price_max, after.web_price_max)
    from nearest_web_days
    inner join store_daily on store_daily.sku = nearest_web_days.sku and store_daily.day = nearest_web_days.day
    inner join web_daily as before
        on before.sku = nearest_web_days.sku and before.day = nearest_web_days.previous_web_day
    inner join web_daily as after
        on after.sku = nearest_web_days.sku and after.day = nearest_web_days.next_web_day
    anti join web_daily as same_day
        on same_day.sku = nearest_web_days.sku and same_day.day = nearest_web_days.day
),

unchanged_catalog_prices as (
    {#- Shopify's variant `updated_at` is its last change: on every shop day after it, the web price was
        the variant's current price. Used only where no web observation says otherwise. -#}
    select
        variants.sku,
        cast({{ local_time('shop.timezone', 'variants.updated_at') }} as date) as unchanged_after,
        variants.price                                                         as web_price
    from {{ ref('stg_shopify__product_variants') }} as variants
    cross join shop
    where variants.sku is not null and variants.price is not null and variants.updated_at is not null
    qualify count(*) over (partition by variants.sku) = 1
),

web_in_effect as (
    select * from observed_web_in_effect

    union all

    select store_daily.day, store_daily.sku, catalog.web_price, 0, 0, 'catalog_unchanged', catalog.web_price,
           catalog.web_price
    from store_daily
    inner join unchanged_catalog_prices as catalog
        on catalog.sku = store_daily.sku and store_daily.day > catalog.unchanged_after
    anti join observed_web_in_effect as observed
        on observed.sku = store_daily.sku and observed.day = store_daily.day
),

compared as (
    select
        store_daily.day,
        store_daily.sku,
        cast(web_in_effect.web_price as decimal(18, 2))                       as web_price,
        cast(store_daily.store_price as decimal(18, 2))                       as store_price,
        web_in_effect.web_price_basis,
        web_in_effect.web_observations,
        web_in_effect.web_orders,
        store_daily.store_units,
        store_daily.store_price_max - store_daily.store_price_min > 0.005     as has_store_price_change_within_day,
        {#- a violation is a store price the web shop never showed that day: when the day's web
            observations disagree (a price change, a cart priced before midnight), a store price
            equal to any of them is no gap -#}
        store_daily.store_price <= web_in_effect.web_price_min - 0.01
            or store_daily.store_price >= web_in_effect.web_price_max + 0.01  as is_violation
    from store_daily
    inner join web_in_effect on store_daily.day = web_in_effect.day and store_daily.sku = web_in_effect.sku
)

select
    day,
    sku,
    web_price,
    store_price,
    cast(store_price - web_price as decimal(18, 2))                           as price_gap,
    cast(store_price - web_price as double) / nullif(cast(web_price as double), 0) as price_gap_pct,
    is_violation,
    web_price_basis,
    web_observations,
    web_orders,
    store_units,
    has_store_price_change_within_day
from compared
