{#- A fulfilment's location_id says which store shipped or handed over the goods (pickup in store,
    ship from store); absent for warehouse shipments. -#}
{%- set src = optional_source('shopify', 'orders__fulfillments') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
with source as (
    select * from {{ src }}
),

orders as (
    select dlt_id, shopify_order_id from {{ ref('stg_shopify__orders') }}
)

select
    cast(source.id as string)                                                as shopify_fulfillment_id,
    orders.shopify_order_id,
    {{ col_or_null(cols, 'status', 'varchar') }}                              as status,
    cast({{ col_or_null(cols, 'location_id', 'bigint') }} as string)         as shopify_location_id,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as fulfilled_at
from source
inner join orders on source._dlt_parent_id = orders.dlt_id
{% else %}
select
    cast(null as string) as shopify_fulfillment_id,
    cast(null as string) as shopify_order_id,
    cast(null as string) as status,
    cast(null as string) as shopify_location_id,
    cast(null as timestamp) as fulfilled_at
where false
{% endif %}
