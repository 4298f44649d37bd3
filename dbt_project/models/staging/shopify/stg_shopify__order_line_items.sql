{%- set src = source('shopify', 'orders__line_items') -%}
{%- set cols = source_columns('shopify', 'orders__line_items') -%}

with source as (
    select * from {{ src }}
),

orders as (
    select dlt_id, shopify_order_id from {{ ref('stg_shopify__orders') }}
),

renamed as (
    select
        cast(source.id as string)                                            as shopify_line_item_id,
        orders.shopify_order_id,
        cast({{ col_or_null(cols, 'product_id', 'bigint') }} as string)      as shopify_product_id,
        cast({{ col_or_null(cols, 'variant_id', 'bigint') }} as string)      as shopify_variant_id,
        {{ col_or_null(cols, 'sku', 'varchar') }}                             as sku,
        {{ col_or_null(cols, 'title', 'varchar') }}                           as title,
        {{ col_or_null(cols, 'quantity', 'integer') }}                        as quantity,
        cast({{ col_or_null(cols, 'price', 'varchar') }} as decimal(18, 2))   as unit_price
    from source
    inner join orders on source._dlt_parent_id = orders.dlt_id
)

select * from renamed
