{#- Stand-in for staging: POS order lines; the SKU is the variation name. -#}
select
    id                                                                        as square_order_id,
    line.variation_name                                                       as sku,
    cast(line.base_price_money.amount / 100.0 as decimal(18, 2))              as unit_price,
    cast(line.quantity as decimal(18, 3))                                     as quantity
from (
    select id, unnest(line_items) as line
    from read_json('{{ env_var("STUB_WORLD_DIR") }}/square/orders.jsonl',
                   columns = {id: 'varchar',
                              line_items: 'struct(variation_name varchar, quantity varchar, base_price_money struct(amount bigint))[]'})
)
