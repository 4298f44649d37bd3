{#- Square money is integer minor units: divided by 100 into decimal major units. total_money is what
    the buyer paid: it includes tax, tips and service charges, which are separate (total_tax_money,
    total_tip_money, total_service_charge_money); total_discount_money is already taken off. -#}
{%- set src = source('square', 'orders') -%}
{%- set cols = source_columns('square', 'orders') -%}

select
    cast(id as string)                                                       as square_order_id,
    _dlt_id                                                                   as dlt_id,
    {{ col_or_null(cols, 'location_id', 'varchar') }}                         as square_location_id,
    {{ col_or_null(cols, 'customer_id', 'varchar') }}                         as square_customer_id,
    {{ col_or_null(cols, 'state', 'varchar') }}                               as state,
    cast({{ col_or_null(cols, 'total_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as total_amount,
    {%- for money in ['tax', 'discount', 'tip', 'service_charge'] %}
    cast(coalesce({{ col_or_null(cols, 'total_' ~ money ~ '_money__amount', 'bigint') }}, 0) / 100.0 as decimal(18, 2))
                                                                              as {{ money }}_amount,
    {%- endfor %}
    upper({{ col_or_null(cols, 'total_money__currency', 'varchar') }})        as currency,
    {# refunded merchandise, on the revenue basis: the return's total less its tax, tips and service charges #}
    cast(({{ col_or_null(cols, 'return_amounts__total_money__amount', 'bigint') }}
          - coalesce({{ col_or_null(cols, 'return_amounts__tax_money__amount', 'bigint') }}, 0)
          - coalesce({{ col_or_null(cols, 'return_amounts__tip_money__amount', 'bigint') }}, 0)
          - coalesce({{ col_or_null(cols, 'return_amounts__service_charge_money__amount', 'bigint') }}, 0)) / 100.0
         as decimal(18, 2))                                                   as returned_amount,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'closed_at', 'timestamptz')) }}               as closed_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
