{#- Square catalog item variations (GET /v2/catalog/list?types=ITEM,ITEM_VARIATION): the SKU of what
    an order line sold. A line's `catalog_object_id` is an ITEM_VARIATION id; its `variation_name` is
    a display label ("Regular", "Large"), never the SKU, which is the variation's
    `item_variation_data.sku`. Variations arrive both nested in their ITEM (item_data.variations,
    which dlt unnests into catalog_objects__item_data__variations) and, when ITEM_VARIATION is among
    the listed types, as top-level objects: one row per variation id, the newest version winning
    (ties: the top-level object, which carries its own updated_at). Deleted variations (or variations
    of a deleted ITEM: the connector searches with include_deleted_objects, so a deletion replaces the
    live version) are left out. -#}
{%- set objects = optional_source('square', 'catalog_objects') -%}
{%- set nested = optional_source('square', 'catalog_objects__item_data__variations') -%}
{%- set object_cols = relation_columns(objects) -%}
{%- set nested_cols = relation_columns(nested) -%}
{%- set parts = [] -%}
{%- if objects is not none -%}{%- do parts.append((objects, object_cols, 0, true)) -%}{%- endif -%}
{%- if objects is not none and nested is not none -%}{%- do parts.append((nested, nested_cols, 1, false)) -%}{%- endif -%}

with variations as (
    {%- for relation, cols, rank, top_level in parts %}
    {% if not loop.first %}union all{% endif %}
    select
        cast(source.id as string)                                            as catalog_object_id,
        {{ col_or_null(cols, 'item_variation_data__sku', 'varchar') }}        as sku,
        {{ col_or_null(cols, 'item_variation_data__item_id', 'varchar') }}    as item_id,
        {{ col_or_null(cols, 'item_variation_data__name', 'varchar') }}       as variation_name,
        cast({{ col_or_null(cols, 'item_variation_data__price_money__amount', 'bigint') }} / 100.0 as decimal(18, 2))
                                                                              as price,
        upper({{ col_or_null(cols, 'item_variation_data__price_money__currency', 'varchar') }}) as currency,
        coalesce({{ col_or_null(cols, 'is_deleted', 'boolean') }}, false)
        {%- if not top_level %} or coalesce(parent.parent_is_deleted, false){% endif %}  as is_deleted,
        {{ col_or_null(cols, 'version', 'bigint') }}                          as version,
        {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}          as updated_at,
        {{ rank }}                                                            as source_rank
    from {{ relation }} as source
    {%- if not top_level %}
    {# a variation nested in a deleted ITEM is deleted with it #}
    left join (
        select _dlt_id, coalesce({{ col_or_null(object_cols, 'is_deleted', 'boolean') }}, false) as parent_is_deleted
        from {{ objects }}
    ) as parent on source._dlt_parent_id = parent._dlt_id
    {%- endif %}
    {%- if top_level %}
    where {{ col_or_null(cols, 'type', 'varchar') }} = 'ITEM_VARIATION'
    {%- endif %}
    {%- else %}
    select
        cast(null as string) as catalog_object_id, cast(null as string) as sku, cast(null as string) as item_id,
        cast(null as string) as variation_name, cast(null as decimal(18, 2)) as price, cast(null as string) as currency,
        cast(null as boolean) as is_deleted, cast(null as bigint) as version, cast(null as timestamp) as updated_at,
        0 as source_rank
    where false
    {%- endfor %}
),

items as (
    {% if objects is not none %}
    select cast(id as string) as item_id, {{ col_or_null(object_cols, 'item_data__name', 'varchar') }} as item_name
    from {{ objects }}
    where {{ col_or_null(object_cols, 'type', 'varchar') }} = 'ITEM'
    qualify row_number() over (
        partition by id order by {{ col_or_null(object_cols, 'version', 'bigint') }} desc nulls last) = 1
    {% else %}
    select cast(null as string) as item_id, cast(null as string) as item_name where false
    {% endif %}
),

latest as (
    select *
    from variations
    where catalog_object_id is not null
    qualify row_number() over (
        partition by catalog_object_id
        order by version desc nulls last, updated_at desc nulls last, source_rank, sku
    ) = 1
)

select
    latest.catalog_object_id,
    nullif(trim(latest.sku), '')                                              as sku,
    latest.item_id,
    items.item_name,
    latest.variation_name,
    latest.price,
    latest.currency,
    latest.version,
    latest.updated_at
from latest
left join items using (item_id)
where not latest.is_deleted
