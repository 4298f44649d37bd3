{#- Stand-in for staging: the world's abandoned checkouts (token and creation time, UTC). -#}
select
    cast(id as varchar)                                                       as shopify_checkout_id,
    token                                                                     as checkout_token,
    timezone('UTC', cast(created_at as timestamptz))                          as created_at
from read_json('{{ env_var("STUB_WORLD_DIR") }}/shopify/checkouts.jsonl',
               columns = {id: 'bigint', token: 'varchar', created_at: 'varchar'})
