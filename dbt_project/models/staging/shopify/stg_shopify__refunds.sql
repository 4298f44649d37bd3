{#- One row per refunded line: refunds are nested twice (orders -> refunds -> refund_line_items).
    Either child table is absent until the first refund is loaded. -#}
{%- set refunds = optional_source('shopify', 'orders__refunds') -%}
{%- set refund_lines = optional_source('shopify', 'orders__refunds__refund_line_items') -%}
{%- set refund_cols = relation_columns(refunds) -%}
{%- set line_cols = relation_columns(refund_lines) -%}

{% if refunds is not none and refund_lines is not none %}
with refunds as (
    select
        _dlt_id,
        _dlt_parent_id,
        cast(id as string)                                                   as shopify_refund_id,
        {{ to_utc(col_or_null(refund_cols, 'created_at', 'timestamptz')) }}   as refunded_at
    from {{ refunds }}
),

refund_lines as (
    select
        _dlt_parent_id,
        _dlt_id                                                               as refund_line_dlt_id,
        cast({{ col_or_null(line_cols, 'line_item_id', 'bigint') }} as string) as shopify_line_item_id,
        {{ col_or_null(line_cols, 'quantity', 'integer') }}                   as quantity,
        cast({{ col_or_null(line_cols, 'subtotal', 'double') }} as decimal(18, 2)) as refund_amount,
        {# where the goods were restocked: a store's location for a return at the counter #}
        cast({{ col_or_null(line_cols, 'location_id', 'bigint') }} as string) as restock_shopify_location_id
    from {{ refund_lines }}
),

orders as (
    select dlt_id, shopify_order_id from {{ ref('stg_shopify__orders') }}
)

select
    refunds.shopify_refund_id || ':' || refund_lines.refund_line_dlt_id      as shopify_refund_line_id,
    refunds.shopify_refund_id,
    orders.shopify_order_id,
    refund_lines.shopify_line_item_id,
    refund_lines.quantity,
    refund_lines.refund_amount,
    refund_lines.restock_shopify_location_id,
    refunds.refunded_at
from refund_lines
inner join refunds on refund_lines._dlt_parent_id = refunds._dlt_id
inner join orders on refunds._dlt_parent_id = orders.dlt_id
{% else %}
select
    cast(null as string) as shopify_refund_line_id,
    cast(null as string) as shopify_refund_id,
    cast(null as string) as shopify_order_id,
    cast(null as string) as shopify_line_item_id,
    cast(null as integer) as quantity,
    cast(null as decimal(18, 2)) as refund_amount,
    cast(null as string) as restock_shopify_location_id,
    cast(null as timestamp) as refunded_at
where false
{% endif %}
