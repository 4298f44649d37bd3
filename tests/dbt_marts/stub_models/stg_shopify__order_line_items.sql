{#- Stand-in for staging: the web-shop order lines (sku, unit price). -#}
select cast(id as varchar) as shopify_order_id, line.sku, cast(line.price as decimal(18, 2)) as unit_price
from (
    select id, unnest(line_items) as line
    from read_json('{{ env_var("STUB_WORLD_DIR") }}/shopify/orders.jsonl',
                   columns = {id: 'bigint', line_items: 'struct(sku varchar, price varchar)[]'})
)
