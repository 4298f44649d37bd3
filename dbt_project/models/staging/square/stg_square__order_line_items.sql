{#- Lines of Square orders. The SKU comes from the catalog (stg_square__catalog_variations) through
    the line's catalog_object_id; `variation_name` is only the variation's display label. Money per
    line in major units: gross = base price x quantity, then the line's discount, tax (inclusive or
    additive, per the order's taxes[].inclusion_type) and total. -#}
{%- set src = source('square', 'orders__line_items') -%}
{%- set cols = source_columns('square', 'orders__line_items') -%}

with orders as (
    select dlt_id, square_order_id from {{ ref('stg_square__orders') }}
),

catalog as (
    select catalog_object_id as catalog_variation_id, sku as catalog_sku
    from {{ ref('stg_square__catalog_variations') }}
)

select
    orders.square_order_id || ':' || coalesce({{ col_or_null(cols, 'uid', 'varchar') }}, source._dlt_id)
                                                                              as square_line_item_id,
    orders.square_order_id,
    {{ col_or_null(cols, 'catalog_object_id', 'varchar') }}                   as catalog_object_id,
    {{ col_or_null(cols, 'name', 'varchar') }}                                as item_name,
    {{ col_or_null(cols, 'variation_name', 'varchar') }}                      as variation_name,
    catalog.catalog_sku                                                       as sku,
    cast({{ col_or_null(cols, 'quantity', 'varchar') }} as decimal(18, 3))    as quantity,
    cast({{ col_or_null(cols, 'base_price_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as unit_price,
    cast({{ col_or_null(cols, 'gross_sales_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as gross_sales,
    cast(coalesce({{ col_or_null(cols, 'total_discount_money__amount', 'bigint') }}, 0) / 100.0 as decimal(18, 2))
                                                                              as discount_amount,
    cast(coalesce({{ col_or_null(cols, 'total_tax_money__amount', 'bigint') }}, 0) / 100.0 as decimal(18, 2))
                                                                              as tax_amount,
    cast({{ col_or_null(cols, 'total_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as line_total
from {{ src }} as source
inner join orders on source._dlt_parent_id = orders.dlt_id
left join catalog on {{ col_or_null(cols, 'catalog_object_id', 'varchar') }} = catalog.catalog_variation_id
