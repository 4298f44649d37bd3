{#- Stand-in for staging: web events (deduplicated on messageId) with the product and price shown. -#}
select distinct on (messageId)
    event                                                                     as event_name,
    properties.sku                                                            as sku,
    cast(properties.price as decimal(18, 2))                                  as price,
    timezone('UTC', cast("timestamp" as timestamptz))                         as occurred_at
from read_json('{{ env_var("STUB_WORLD_DIR") }}/web_events/events-*.jsonl*',
               columns = {messageId: 'varchar', event: 'varchar', "timestamp": 'varchar',
                          properties: 'struct(sku varchar, price double)'})
