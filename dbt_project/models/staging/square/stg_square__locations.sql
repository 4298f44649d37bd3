{#- Square locations (GET /v2/locations): the stores, each with its own address, country, currency
    and time zone (a store abroad sells in its own currency and keeps its own calendar day). -#}
{%- set src = source('square', 'locations') -%}
{%- set cols = source_columns('square', 'locations') -%}
{%- set country = "upper(coalesce(" ~ col_or_null(cols, 'address__country', 'varchar') ~ ", " ~ col_or_null(cols, 'country', 'varchar') ~ "))" -%}

select
    cast(id as string)                                                       as square_location_id,
    {{ col_or_null(cols, 'name', 'varchar') }}                                as location_name,
    {{ col_or_null(cols, 'business_name', 'varchar') }}                       as business_name,
    {{ col_or_null(cols, 'address__address_line_1', 'varchar') }}             as address_line_1,
    {{ col_or_null(cols, 'address__address_line_2', 'varchar') }}             as address_line_2,
    {{ col_or_null(cols, 'address__locality', 'varchar') }}                   as city,
    {{ col_or_null(cols, 'address__administrative_district_level_1', 'varchar') }} as province_code,
    {{ col_or_null(cols, 'address__postal_code', 'varchar') }}                as postal_code_raw,
    {{ location_postcode(col_or_null(cols, 'address__postal_code', 'varchar'), country) }} as postal_code,
    {{ country }}                                                             as country_code,
    upper({{ col_or_null(cols, 'currency', 'varchar') }})                     as currency,
    {{ col_or_null(cols, 'timezone', 'varchar') }}                            as timezone,
    {{ col_or_null(cols, 'status', 'varchar') }}                              as status,
    {{ col_or_null(cols, 'type', 'varchar') }}                                as location_type
from {{ src }}
