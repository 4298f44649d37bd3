{#- Square money is integer minor units: divided by 100 into decimal major units. -#}
{%- set src = source('square', 'orders') -%}
{%- set cols = source_columns('square', 'orders') -%}

select
    cast(id as varchar)                                                       as square_order_id,
    _dlt_id                                                                   as dlt_id,
    {{ col_or_null(cols, 'location_id', 'varchar') }}                         as square_location_id,
    {{ col_or_null(cols, 'customer_id', 'varchar') }}                         as square_customer_id,
    {{ col_or_null(cols, 'state', 'varchar') }}                               as state,
    cast({{ col_or_null(cols, 'total_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as total_amount,
    upper({{ col_or_null(cols, 'total_money__currency', 'varchar') }})        as currency,
    cast({{ col_or_null(cols, 'return_amounts__total_money__amount', 'bigint') }} / 100.0 as decimal(18, 2))
                                                                              as returned_amount,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'closed_at', 'timestamptz')) }}               as closed_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
