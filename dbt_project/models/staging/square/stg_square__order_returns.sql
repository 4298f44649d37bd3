{#- A Square return is an order whose `returns` list points at the original sale (source_order_id). -#}
{%- set src = optional_source('square', 'orders__returns') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
with orders as (
    select dlt_id, square_order_id, square_location_id, returned_amount, created_at from {{ ref('stg_square__orders') }}
)

select
    orders.square_order_id || ':' || coalesce({{ col_or_null(cols, 'uid', 'varchar') }}, source._dlt_id)
                                                                              as square_return_id,
    orders.square_order_id                                                    as return_order_id,
    {{ col_or_null(cols, 'source_order_id', 'varchar') }}                     as source_order_id,
    orders.square_location_id,
    orders.returned_amount                                                    as return_amount,
    orders.created_at                                                         as returned_at
from {{ src }} as source
inner join orders on source._dlt_parent_id = orders.dlt_id
{% else %}
select
    cast(null as string) as square_return_id,
    cast(null as string) as return_order_id,
    cast(null as string) as source_order_id,
    cast(null as string) as square_location_id,
    cast(null as decimal(18, 2)) as return_amount,
    cast(null as timestamp) as returned_at
where false
{% endif %}
