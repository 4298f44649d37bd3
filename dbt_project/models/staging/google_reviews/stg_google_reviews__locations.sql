{#- Business Information API v1 locations (accounts.locations.list with a readMask): name
    "locations/{id}", title (the merchant's name for the place on Google), storeCode (an optional
    merchant code, not necessarily a Square id) and storefrontAddress; dlt unnests
    storefrontAddress.addressLines into locations__storefront_address__address_lines. Reviews (v4)
    name the same place "accounts/{a}/locations/{id}": google_location_id is the shared part.
    Optional: absent until the connector loads the list. -#}
{%- set src = optional_source('google_reviews', 'locations') -%}
{%- set lines = optional_source('google_reviews', 'locations__storefront_address__address_lines') -%}
{%- set cols = relation_columns(src) -%}
{%- set line_cols = relation_columns(lines) -%}

{% if src is not none %}
with
{%- if lines is not none %}
address_lines as (
    select
        _dlt_parent_id,
        min(case when _dlt_list_idx = 0 then cast(value as string) end)        as address_line_1,
        nullif({{ string_agg_ordered('case when _dlt_list_idx > 0 then cast(value as string) end', "', '",
                                     '_dlt_list_idx') }}, '')                  as address_line_2
    from {{ lines }}
    group by _dlt_parent_id
),
{%- else %}
address_lines as (
    select cast(null as string) as _dlt_parent_id, cast(null as string) as address_line_1,
           cast(null as string) as address_line_2
    where false
),
{%- endif %}

locations as (
    select
        regexp_extract(cast(name as string), 'locations/([^/]+)$', 1)        as google_location_id,
        {{ col_or_null(cols, 'title', 'varchar') }}                           as location_title,
        {{ col_or_null(cols, 'store_code', 'varchar') }}                      as store_code,
        {{ col_or_null(cols, 'storefront_address__locality', 'varchar') }}    as city,
        {{ col_or_null(cols, 'storefront_address__administrative_area', 'varchar') }} as province_code,
        {{ col_or_null(cols, 'storefront_address__postal_code', 'varchar') }} as postal_code_raw,
        {{ location_postcode(col_or_null(cols, 'storefront_address__postal_code', 'varchar'),
                             col_or_null(cols, 'storefront_address__region_code', 'varchar')) }} as postal_code,
        upper({{ col_or_null(cols, 'storefront_address__region_code', 'varchar') }}) as country_code,
        _dlt_id
    from {{ src }}
)

select
    'locations/' || locations.google_location_id                             as google_location_name,
    locations.google_location_id,
    locations.location_title,
    locations.store_code,
    address_lines.address_line_1,
    address_lines.address_line_2,
    locations.city,
    locations.province_code,
    locations.postal_code_raw,
    locations.postal_code,
    locations.country_code
from locations
left join address_lines on address_lines._dlt_parent_id = locations._dlt_id
{% else %}
select
    cast(null as string) as google_location_name,
    cast(null as string) as google_location_id,
    cast(null as string) as location_title,
    cast(null as string) as store_code,
    cast(null as string) as address_line_1,
    cast(null as string) as address_line_2,
    cast(null as string) as city,
    cast(null as string) as province_code,
    cast(null as string) as postal_code_raw,
    cast(null as string) as postal_code,
    cast(null as string) as country_code
where false
{% endif %}
