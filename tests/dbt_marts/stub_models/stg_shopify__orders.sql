{#- Stand-in for staging: the world's web-shop orders, timestamps to UTC. -#}
select
    cast(id as varchar)                                                       as shopify_order_id,
    source_name,
    upper(currency)                                                           as currency,
    timezone('UTC', cast(created_at as timestamptz))                          as created_at,
    timezone('UTC', cast(cancelled_at as timestamptz))                        as cancelled_at,
    checkout_token
from read_json('{{ env_var("STUB_WORLD_DIR") }}/shopify/orders.jsonl',
               columns = {id: 'bigint', source_name: 'varchar', created_at: 'varchar', currency: 'varchar',
                          cancelled_at: 'varchar', checkout_token: 'varchar'})
