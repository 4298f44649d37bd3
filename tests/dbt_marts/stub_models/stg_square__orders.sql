{#- Stand-in for staging: the world's POS orders. -#}
select
    id                                                                        as square_order_id,
    location_id                                                               as square_location_id,
    upper(total_money.currency)                                               as currency,
    timezone('UTC', cast(created_at as timestamptz))                          as created_at
from read_json('{{ env_var("STUB_WORLD_DIR") }}/square/orders.jsonl',
               columns = {id: 'varchar', location_id: 'varchar', created_at: 'varchar',
                          total_money: 'struct(amount bigint, currency varchar)'})
