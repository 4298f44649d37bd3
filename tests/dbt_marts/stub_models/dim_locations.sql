{#- Stand-in: stores keyed by their Square location id, as in the truth touchpoints. -#}
select
    square.id                                       as location_id,
    square.name                                     as location_name,
    google.name                                     as google_location_name
from read_json_auto('{{ env_var("STUB_WORLD_DIR") }}/square/locations.jsonl') as square
left join read_json_auto('{{ env_var("STUB_WORLD_DIR") }}/google/locations.jsonl') as google
    on google.storeCode = square.id
