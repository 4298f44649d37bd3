{#- The stores (places that serve customers in person), with their id in every system and the
    evidence of each match (int_locations_mapped, int_location_matches). Places that are not stores
    (a Shopify fulfilment centre or warehouse: no Square or Google match, no POS sales, no pickups)
    stay in intermediate.int_locations_mapped with is_store false; no sale or return points at them. -#}
select
    location_id,
    location_name,
    address,
    city,
    postal_code,
    country_code,
    currency,
    timezone,
    square_location_id,
    shopify_location_id,
    google_location_name,
    google_location_id,
    shopify_match_rule,
    shopify_match_fields,
    shopify_match_score,
    google_match_rule,
    google_match_fields,
    google_match_score
from {{ ref('int_locations_mapped') }}
where is_store
