{#- The Business Profile location list maps a review's location to the store: storeCode is the
    Square location id. Optional: when the connector does not load it, the mapping comes from the
    location titles in dim_locations. -#}
{%- set src = optional_source('google_reviews', 'locations') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
select
    cast(name as varchar)                                                     as google_location_name,
    {{ col_or_null(cols, 'title', 'varchar') }}                               as location_title,
    {{ col_or_null(cols, 'store_code', 'varchar') }}                          as square_location_id
from {{ src }}
{% else %}
select
    cast(null as varchar) as google_location_name,
    cast(null as varchar) as location_title,
    cast(null as varchar) as square_location_id
where false
{% endif %}
