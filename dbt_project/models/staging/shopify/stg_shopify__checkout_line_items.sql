{%- set src = optional_source('shopify', 'checkouts__line_items') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
with source as (
    select * from {{ src }}
),

checkouts as (
    select dlt_id, shopify_checkout_id from {{ ref('stg_shopify__checkouts') }}
)

select
    checkouts.shopify_checkout_id || ':' || coalesce({{ col_or_null(cols, 'key', 'varchar') }}, source._dlt_id)
                                                                              as shopify_checkout_line_id,
    checkouts.shopify_checkout_id,
    cast({{ col_or_null(cols, 'variant_id', 'bigint') }} as string)          as shopify_variant_id,
    {{ col_or_null(cols, 'sku', 'varchar') }}                                 as sku,
    {{ col_or_null(cols, 'title', 'varchar') }}                               as title,
    {{ col_or_null(cols, 'quantity', 'integer') }}                            as quantity,
    cast({{ col_or_null(cols, 'price', 'varchar') }} as decimal(18, 2))       as unit_price
from source
inner join checkouts on source._dlt_parent_id = checkouts.dlt_id
{% else %}
select
    cast(null as string) as shopify_checkout_line_id,
    cast(null as string) as shopify_checkout_id,
    cast(null as string) as shopify_variant_id,
    cast(null as string) as sku,
    cast(null as string) as title,
    cast(null as integer) as quantity,
    cast(null as decimal(18, 2)) as unit_price
where false
{% endif %}
