{#- The stores, with their id in every system (Square is the system of record). -#}
select
    location_id,
    location_name,
    city,
    postal_code,
    square_location_id,
    google_location_name,
    shopify_location_id
from {{ ref('int_locations_mapped') }}
