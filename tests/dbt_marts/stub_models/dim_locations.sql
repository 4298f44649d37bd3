{#- Stand-in: stores keyed by their Square location id, as in the truth touchpoints, with their
    Google location from the truth's location map. -#}
select
    square.id                                                                 as location_id,
    square.name                                                               as location_name,
    truth.google_location_name,
    regexp_extract(truth.google_location_name, 'locations/([^/]+)$', 1)       as google_location_id
from read_json_auto('{{ env_var("STUB_WORLD_DIR") }}/square/locations.jsonl') as square
left join read_parquet('{{ env_var("STUB_WORLD_DIR") }}/truth/locations.parquet') as truth
    on truth.location_id = square.id
