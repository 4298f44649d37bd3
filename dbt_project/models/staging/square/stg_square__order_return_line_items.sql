{#- Lines of Square returns (orders.returns[].return_line_items): what came back, with the SKU from
    the catalog through catalog_object_id (variation_name is a display label) and the sale line it
    reverses (source_line_item_uid). Optional: absent until a return has been loaded. -#}
{%- set returns = optional_source('square', 'orders__returns') -%}
{%- set lines = optional_source('square', 'orders__returns__return_line_items') -%}
{%- set return_cols = relation_columns(returns) -%}
{%- set cols = relation_columns(lines) -%}

{% if returns is not none and lines is not none %}
with orders as (
    select dlt_id, square_order_id from {{ ref('stg_square__orders') }}
),

catalog as (
    select catalog_object_id as catalog_variation_id, sku as catalog_sku
    from {{ ref('stg_square__catalog_variations') }}
),

returns as (
    select _dlt_id, _dlt_parent_id, {{ col_or_null(return_cols, 'uid', 'varchar') }} as return_uid
    from {{ returns }}
)

select
    orders.square_order_id || ':' || coalesce(returns.return_uid, returns._dlt_id) || ':'
        || coalesce({{ col_or_null(cols, 'uid', 'varchar') }}, source._dlt_id)  as square_return_line_item_id,
    orders.square_order_id || ':' || coalesce(returns.return_uid, returns._dlt_id) as square_return_id,
    orders.square_order_id                                                    as return_order_id,
    {{ col_or_null(cols, 'source_line_item_uid', 'varchar') }}                as source_line_item_uid,
    {{ col_or_null(cols, 'catalog_object_id', 'varchar') }}                   as catalog_object_id,
    {{ col_or_null(cols, 'variation_name', 'varchar') }}                      as variation_name,
    catalog.catalog_sku                                                       as sku,
    cast({{ col_or_null(cols, 'quantity', 'varchar') }} as decimal(18, 3))    as quantity,
    cast({{ col_or_null(cols, 'base_price_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as unit_price,
    cast({{ col_or_null(cols, 'total_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as line_total
from {{ lines }} as source
inner join returns on source._dlt_parent_id = returns._dlt_id
inner join orders on returns._dlt_parent_id = orders.dlt_id
left join catalog on {{ col_or_null(cols, 'catalog_object_id', 'varchar') }} = catalog.catalog_variation_id
{% else %}
select
    cast(null as string) as square_return_line_item_id,
    cast(null as string) as square_return_id,
    cast(null as string) as return_order_id,
    cast(null as string) as source_line_item_uid,
    cast(null as string) as catalog_object_id,
    cast(null as string) as variation_name,
    cast(null as string) as sku,
    cast(null as decimal(18, 3)) as quantity,
    cast(null as decimal(18, 2)) as unit_price,
    cast(null as decimal(18, 2)) as line_total
where false
{% endif %}
