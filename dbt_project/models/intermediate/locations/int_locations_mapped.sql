{#- One row per physical place, with its id in every system and the evidence of each match
    (int_location_matches). A place is a Square location, or a Shopify location that matched no
    Square location (location_id `shopify:<id>`: a store only Shopify knows, or a warehouse).
    is_store: a Square location, a place Google lists, or a Shopify location where POS sales were
    processed or pickups handed over; a Shopify location with none of these (a fulfilment centre,
    a warehouse) is not a store, so web orders fulfilled there ship to home.
    When several locations of one system match the same place, the best-scored one (then the
    lowest id) is shown here; int_location_matches keeps them all, and orders use it. -#}

with matches as (
    select * from {{ ref('int_location_matches') }}
),

places as (
    select * from {{ ref('int_location_places') }}
),

square_locations as (
    select * from {{ ref('stg_square__locations') }}
),

shopify_locations as (
    select * from {{ ref('stg_shopify__locations') }}
),

shop_currency as (
    select mode() within group (order by currency) as currency from {{ ref('stg_shopify__orders') }}
),

best as (
    select
        location_id,
        system,
        system_location_id,
        rule,
        fields,
        score
    from matches
    where location_id is not null  {# an unmatched Google listing belongs to no place #}
    qualify row_number() over (partition by location_id, system order by score desc, system_location_id) = 1
),

evidence as (
    select
        location_id,
        bool_or(system = 'google')                                            as listed_on_google,
        sum(pos_orders)                                                       as pos_orders,
        sum(pickup_orders)                                                    as pickup_orders
    from matches
    where location_id is not null
    group by location_id
),

anchors as (
    select
        square_location_id                                                    as location_id,
        location_name, address_line_1, city, postal_code, country_code, currency, timezone
    from square_locations

    union all

    select
        'shopify:' || shopify_location_id,
        location_name, address_line_1, city, postal_code, country_code, shop_currency.currency,
        cast(null as string)
    from shopify_locations
    cross join shop_currency
    where 'shopify:' || shopify_location_id in (select location_id from matches where system = 'shopify')
)

select
    anchors.location_id,
    anchors.location_name,
    anchors.address_line_1                                                    as address,
    anchors.city,
    anchors.postal_code,
    anchors.country_code,
    anchors.currency,
    anchors.timezone,
    square.system_location_id                                                 as square_location_id,
    shopify.system_location_id                                                as shopify_location_id,
    google.system_location_id                                                 as google_location_name,
    regexp_extract(google.system_location_id, 'locations/([^/]+)$', 1)        as google_location_id,
    square.system_location_id is not null
        or coalesce(evidence.listed_on_google, false)
        or coalesce(evidence.pos_orders, 0) > 0
        or coalesce(evidence.pickup_orders, 0) > 0                            as is_store,
    shopify.rule                                                              as shopify_match_rule,
    shopify.fields                                                            as shopify_match_fields,
    shopify.score                                                             as shopify_match_score,
    google.rule                                                               as google_match_rule,
    google.fields                                                             as google_match_fields,
    google.score                                                              as google_match_score
from anchors
left join best as square on square.location_id = anchors.location_id and square.system = 'square'
left join best as shopify on shopify.location_id = anchors.location_id and shopify.system = 'shopify'
left join best as google on google.location_id = anchors.location_id and google.system = 'google'
left join evidence on evidence.location_id = anchors.location_id
