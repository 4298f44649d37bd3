{#- Stand-in for the customer-360 mart: the world's true touchpoints, the person as the customer. -#}
select
    source || ':' || record_id                      as touchpoint_id,
    person_id                                       as customer_id,
    source,
    channel,
    touchpoint_type,
    cast(occurred_at as timestamp)                  as occurred_at,
    location_id,
    order_id,
    sku,
    cast(value as decimal(18, 2))                   as value_amount,
    fulfilment_type,
    campaign,
    currency
from read_parquet('{{ env_var("STUB_WORLD_DIR") }}/truth/touchpoints.parquet')
