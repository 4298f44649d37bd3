{#- Every physical place, with its id in every system and the evidence of each match
    (int_locations_mapped, int_location_matches). is_store separates the stores from places such as
    a fulfilment centre. -#}
select
    location_id,
    location_name,
    address,
    city,
    postal_code,
    country_code,
    currency,
    timezone,
    is_store,
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
