{#- Stand-in for staging: POS order lines; the SKU is the catalog's (the line's catalog_object_id is
    an ITEM_VARIATION nested in an ITEM of square/catalog.jsonl), never the display variation_name. -#}
with catalog as (
    select variation.id as catalog_object_id, variation.item_variation_data.sku as sku
    from (
        select unnest(item_data.variations) as variation
        from read_json('{{ env_var("STUB_WORLD_DIR") }}/square/catalog.jsonl',
                       columns = {item_data: 'struct(variations struct(id varchar, item_variation_data struct(sku varchar))[])'})
    )
)

select
    lines.square_order_id,
    catalog.sku,
    lines.unit_price,
    lines.quantity
from (
    select
        id                                                                    as square_order_id,
        line.catalog_object_id,
        cast(line.base_price_money.amount / 100.0 as decimal(18, 2))          as unit_price,
        cast(line.quantity as decimal(18, 3))                                 as quantity
    from (
        select id, unnest(line_items) as line
        from read_json('{{ env_var("STUB_WORLD_DIR") }}/square/orders.jsonl',
                       columns = {id: 'varchar',
                                  line_items: 'struct(catalog_object_id varchar, quantity varchar, base_price_money struct(amount bigint))[]'})
    )
) as lines
left join catalog using (catalog_object_id)
