{#- Web prices per SKU (one row per variant), for price consistency against store prices. -#}
{%- set products = source('shopify', 'products') -%}
{%- set variants = source('shopify', 'products__variants') -%}
{%- set product_cols = source_columns('shopify', 'products') -%}
{%- set cols = source_columns('shopify', 'products__variants') -%}

with products as (
    select
        _dlt_id,
        cast(id as string)                                                   as shopify_product_id,
        {{ col_or_null(product_cols, 'title', 'varchar') }}                   as product_title,
        {{ col_or_null(product_cols, 'product_type', 'varchar') }}            as product_type
    from {{ products }}
),

variants as (
    select * from {{ variants }}
)

select
    cast(variants.id as string)                                              as shopify_variant_id,
    products.shopify_product_id,
    products.product_title,
    products.product_type,
    {{ col_or_null(cols, 'sku', 'varchar') }}                                 as sku,
    cast({{ col_or_null(cols, 'price', 'varchar') }} as decimal(18, 2))       as price,
    cast({{ col_or_null(cols, 'compare_at_price', 'varchar') }} as decimal(18, 2)) as compare_at_price,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from variants
inner join products on variants._dlt_parent_id = products._dlt_id
