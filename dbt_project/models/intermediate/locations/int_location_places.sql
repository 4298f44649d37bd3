{#- Every place each system knows (Square locations, Shopify locations, Google Business Profile
    locations) in one shape, with its matching keys: the normalised street line (house number +
    street, USPS abbreviations, macros/locations.sql), its house number, the postcode key and the
    name's tokens. Plus, for Shopify locations, the evidence that the place serves customers in
    person: POS sales processed there (orders.location_id) and pickups handed over there (a
    fulfilment at the location of an order with no shipping address). -#}

with shopify_pos as (
    select shopify_location_id, count(*) as pos_orders
    from {{ ref('stg_shopify__orders') }}
    where shopify_location_id is not null
    group by all
),

shopify_pickups as (
    select fulfillments.shopify_location_id, count(distinct orders.shopify_order_id) as pickup_orders
    from {{ ref('stg_shopify__fulfillments') }} as fulfillments
    inner join {{ ref('stg_shopify__orders') }} as orders using (shopify_order_id)
    where fulfillments.shopify_location_id is not null and not orders.has_shipping_address
    group by all
),

places as (
    select
        'square'                                                              as system,
        square_location_id                                                    as system_location_id,
        location_name, address_line_1, city, postal_code, country_code,
        cast(null as string)                                                 as store_code,
        coalesce(status, 'ACTIVE') = 'ACTIVE'                                 as is_active,
        0                                                                     as pos_orders,
        0                                                                     as pickup_orders
    from {{ ref('stg_square__locations') }}

    union all

    select
        'shopify', shopify_location_id, location_name, address_line_1, city, postal_code, country_code,
        null, is_active, coalesce(shopify_pos.pos_orders, 0), coalesce(shopify_pickups.pickup_orders, 0)
    from {{ ref('stg_shopify__locations') }}
    left join shopify_pos using (shopify_location_id)
    left join shopify_pickups using (shopify_location_id)

    union all

    select
        'google', google_location_name, location_title, address_line_1, city, postal_code, country_code,
        store_code, true, 0, 0
    from {{ ref('stg_google_reviews__locations') }}
)

select
    *,
    {{ normalise_street('address_line_1') }}                                  as street_key,
    {{ street_number(normalise_street('address_line_1')) }}                   as house_number,
    {{ normalise_name('city') }}                                              as city_key,
    {{ name_tokens('location_name') }}                                        as name_tokens
from places
