{#- Shopify FulfillmentOrders (GET orders/{id}/fulfillment_orders.json): where an order WILL be
    fulfilled (assigned_location_id) and how it is handed over (delivery_method.method_type: pick_up,
    shipping, local, none, retail), known from the moment the order is placed. The connector reads
    them only for orders not yet fulfilled, so a row keeps the state of its last read (an `open` row
    may belong to an order fulfilled since; its fulfilments then say where). Optional: absent until
    a load has seen an order awaiting fulfilment. -#}
{%- set src = optional_source('shopify', 'fulfillment_orders') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
select
    cast(cast(id as bigint) as string)                                       as shopify_fulfillment_order_id,
    cast({{ col_or_null(cols, 'order_id', 'bigint') }} as string)            as shopify_order_id,
    lower({{ col_or_null(cols, 'status', 'varchar') }})                       as status,
    lower({{ col_or_null(cols, 'delivery_method__method_type', 'varchar') }}) as method_type,
    cast({{ col_or_null(cols, 'assigned_location_id', 'bigint') }} as string) as shopify_location_id,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
{% else %}
select
    cast(null as string) as shopify_fulfillment_order_id,
    cast(null as string) as shopify_order_id,
    cast(null as string) as status,
    cast(null as string) as method_type,
    cast(null as string) as shopify_location_id,
    cast(null as timestamp) as created_at,
    cast(null as timestamp) as updated_at
where false
{% endif %}
