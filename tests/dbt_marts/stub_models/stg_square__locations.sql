{#- Stand-in for staging: the stores and their time zones. -#}
select id as square_location_id, timezone
from read_json('{{ env_var("STUB_WORLD_DIR") }}/square/locations.jsonl', columns = {id: 'varchar', timezone: 'varchar'})
