{#- Stand-in for staging: the web shop's variants (sku, current price, last change, UTC). -#}
select variant.sku, cast(variant.price as decimal(18, 2)) as price,
       timezone('UTC', cast(variant.updated_at as timestamptz)) as updated_at
from (
    select unnest(variants) as variant
    from read_json('{{ env_var("STUB_WORLD_DIR") }}/shopify/products.jsonl',
                   columns = {variants: 'struct(sku varchar, price varchar, updated_at varchar)[]'})
)
