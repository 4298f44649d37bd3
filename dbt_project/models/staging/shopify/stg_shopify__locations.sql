{#- Shopify Location objects (GET locations.json): the shop's stores, warehouses and fulfilment
    centres. A location's name is merchant free text and differs from its name in Square and Google;
    its address is what matches it to the other systems (int_location_matches). Optional: a connector
    that does not load locations yet leaves the table absent. -#}
{%- set src = optional_source('shopify', 'locations') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
select
    cast(cast(id as bigint) as string)                                       as shopify_location_id,
    {{ col_or_null(cols, 'name', 'varchar') }}                                as location_name,
    {{ col_or_null(cols, 'address1', 'varchar') }}                            as address_line_1,
    {{ col_or_null(cols, 'address2', 'varchar') }}                            as address_line_2,
    {{ col_or_null(cols, 'city', 'varchar') }}                                as city,
    {{ col_or_null(cols, 'zip', 'varchar') }}                                 as postal_code_raw,
    {{ location_postcode(col_or_null(cols, 'zip', 'varchar'), col_or_null(cols, 'country_code', 'varchar')) }}
                                                                              as postal_code,
    {{ col_or_null(cols, 'province_code', 'varchar') }}                       as province_code,
    upper({{ col_or_null(cols, 'country_code', 'varchar') }})                 as country_code,
    coalesce({{ col_or_null(cols, 'active', 'boolean') }}, true)              as is_active,
    coalesce({{ col_or_null(cols, 'legacy', 'boolean') }}, false)             as is_legacy,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
{% else %}
select
    cast(null as string) as shopify_location_id,
    cast(null as string) as location_name,
    cast(null as string) as address_line_1,
    cast(null as string) as address_line_2,
    cast(null as string) as city,
    cast(null as string) as postal_code_raw,
    cast(null as string) as postal_code,
    cast(null as string) as province_code,
    cast(null as string) as country_code,
    cast(null as boolean) as is_active,
    cast(null as boolean) as is_legacy,
    cast(null as timestamp) as created_at,
    cast(null as timestamp) as updated_at
where false
{% endif %}
