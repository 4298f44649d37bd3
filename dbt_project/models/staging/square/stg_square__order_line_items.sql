{%- set src = source('square', 'orders__line_items') -%}
{%- set cols = source_columns('square', 'orders__line_items') -%}

with orders as (
    select dlt_id, square_order_id from {{ ref('stg_square__orders') }}
)

select
    orders.square_order_id || ':' || coalesce({{ col_or_null(cols, 'uid', 'varchar') }}, source._dlt_id)
                                                                              as square_line_item_id,
    orders.square_order_id,
    {{ col_or_null(cols, 'catalog_object_id', 'varchar') }}                   as catalog_object_id,
    {{ col_or_null(cols, 'name', 'varchar') }}                                as item_name,
    {{ col_or_null(cols, 'variation_name', 'varchar') }}                      as sku,
    cast({{ col_or_null(cols, 'quantity', 'varchar') }} as decimal(18, 3))    as quantity,
    cast({{ col_or_null(cols, 'base_price_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as unit_price,
    cast({{ col_or_null(cols, 'total_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as line_total
from {{ src }} as source
inner join orders on source._dlt_parent_id = orders.dlt_id
