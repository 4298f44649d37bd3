{#- Stand-in for staging: the stores, their time zones and currencies. -#}
select id as square_location_id, timezone, upper(currency) as currency
from read_json('{{ env_var("STUB_WORLD_DIR") }}/square/locations.jsonl',
               columns = {id: 'varchar', timezone: 'varchar', currency: 'varchar'})
