{#- One row per physical store with its id in every system. Square is the store system of record.
    Shopify has no locations endpoint in the contract: a store's Shopify location id is read off
    local-pickup orders, whose shipping line is titled with the store's name and whose fulfilment
    carries the store's Shopify location id. Google locations map by storeCode (= Square location
    id) when the locations list is loaded, otherwise by the reviewers' votes
    (int_google_locations_inferred). -#}

with square_locations as (
    select * from {{ ref('stg_square__locations') }}
),

shopify_pickup_locations as (
    select
        lower(trim(shipping_lines.title))                                     as location_name_key,
        min(fulfillments.shopify_location_id)                                 as shopify_location_id
    from {{ ref('stg_shopify__shipping_lines') }} as shipping_lines
    inner join {{ ref('stg_shopify__fulfillments') }} as fulfillments using (shopify_order_id)
    where fulfillments.shopify_location_id is not null
    group by all
),

google_locations as (
    select square_location_id, min(google_location_name) as google_location_name
    from {{ ref('stg_google_reviews__locations') }}
    where square_location_id is not null
    group by all
)

select
    square_locations.square_location_id                                       as location_id,
    square_locations.location_name,
    square_locations.city,
    square_locations.postal_code,
    square_locations.square_location_id,
    coalesce(google_locations.google_location_name, inferred.google_location_name) as google_location_name,
    shopify_pickup_locations.shopify_location_id
from square_locations
left join shopify_pickup_locations
    {# the pickup line may carry the store's short name ("Pearl District" for "Larkspur Pearl District") #}
    on lower(trim(square_locations.location_name)) = shopify_pickup_locations.location_name_key
    or ends_with(lower(trim(square_locations.location_name)), ' ' || shopify_pickup_locations.location_name_key)
left join google_locations using (square_location_id)
left join {{ ref('int_google_locations_inferred') }} as inferred
    on square_locations.square_location_id = inferred.square_location_id
    and inferred.google_location_name not in (select google_location_name from google_locations)
