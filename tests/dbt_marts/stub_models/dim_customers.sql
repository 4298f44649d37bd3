{#- Stand-in: one row per true person with the two columns the KPI marts read. -#}
select
    person_id                                       as customer_id,
    count(distinct channel) > 1                     as is_omnichannel,
    cast(coalesce(sum(value), 0) as decimal(18, 2)) as lifetime_value
from read_parquet('{{ env_var("STUB_WORLD_DIR") }}/truth/touchpoints.parquet')
group by person_id
