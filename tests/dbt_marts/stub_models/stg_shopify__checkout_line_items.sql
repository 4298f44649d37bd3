{#- Stand-in for staging: abandoned-checkout lines (sku, unit price). -#}
select cast(id as varchar) as shopify_checkout_id, line.sku, cast(line.price as decimal(18, 2)) as unit_price
from (
    select id, unnest(line_items) as line
    from read_json('{{ env_var("STUB_WORLD_DIR") }}/shopify/checkouts.jsonl',
                   columns = {id: 'bigint', line_items: 'struct(sku varchar, price varchar)[]'})
)
