{%- set src = source('square', 'locations') -%}
{%- set cols = source_columns('square', 'locations') -%}

select
    cast(id as varchar)                                                       as square_location_id,
    {{ col_or_null(cols, 'name', 'varchar') }}                                as location_name,
    {{ col_or_null(cols, 'address__locality', 'varchar') }}                   as city,
    {{ normalise_postcode(col_or_null(cols, 'address__postal_code', 'varchar')) }} as postal_code,
    {{ col_or_null(cols, 'timezone', 'varchar') }}                            as timezone,
    {{ col_or_null(cols, 'status', 'varchar') }}                              as status
from {{ src }}
