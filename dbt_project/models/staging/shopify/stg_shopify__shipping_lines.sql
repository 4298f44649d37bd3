{#- REST has no pickup flag: a local-pickup order has a shipping line priced 0.00 whose title
    defaults to the pickup location's name but is merchant free text ("Pickup at ...", "In-store
    pickup", other languages): weak evidence only (int_orders_unified). -#}
{%- set src = optional_source('shopify', 'orders__shipping_lines') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
with source as (
    select * from {{ src }}
),

orders as (
    select dlt_id, shopify_order_id from {{ ref('stg_shopify__orders') }}
)

select
    source._dlt_id                                                            as shopify_shipping_line_id,
    orders.shopify_order_id,
    {{ col_or_null(cols, 'code', 'varchar') }}                                as code,
    {{ col_or_null(cols, 'title', 'varchar') }}                               as title,
    cast({{ col_or_null(cols, 'price', 'varchar') }} as decimal(18, 2))       as price,
    cast(coalesce({{ col_or_null(cols, 'discounted_price', 'varchar') }}, {{ col_or_null(cols, 'price', 'varchar') }})
         as decimal(18, 2))                                                   as discounted_price
from source
inner join orders on source._dlt_parent_id = orders.dlt_id
{% else %}
select
    cast(null as string) as shopify_shipping_line_id,
    cast(null as string) as shopify_order_id,
    cast(null as string) as code,
    cast(null as string) as title,
    cast(null as decimal(18, 2)) as price,
    cast(null as decimal(18, 2)) as discounted_price
where false
{% endif %}
