{{ config(materialized='incremental') }}

{#- The probabilistic pass's parameters learned from the data, frozen between full refreshes: the
    term frequencies of first and last name keys (what agreeing on "Dmitri" is worth against
    "Michael") and the number of persons (the prior: one person among all), per linker (review,
    author), computed as Splink computes them (its term_frequencies_for_single_column_sql over the
    persons and that linker's candidates). m and u are set in int_identity_edges_probabilistic.
    An ordinary run adds nothing, so new records are scored with the parameters of the last
    `--full-refresh`, which retrains them; a name first seen since then gets no term-frequency
    adjustment (Splink's rule for a value missing from the lookup). -#}

with linkers as (
    select 'review' as record_kind
    union all
    select 'author'
),

scored as (
    select linkers.record_kind as linker, records.record_kind, records.first_name_key, records.last_name_key
    from linkers
    inner join {{ ref('int_identity_link_records') }} as records
        on records.record_kind in ('person', linkers.record_kind)
),

{%- set parameters %}
    {%- for column in ['first_name_key', 'last_name_key'] %}
    select linker as record_kind, '{{ column }}' as parameter, {{ column }} as term,
        cast(count(*) as double) / sum(count(*)) over (partition by linker) as value
    from scored
    where {{ column }} is not null
    group by linker, {{ column }}
    union all
    {%- endfor %}
    select linker, 'person_count', null, cast(count(*) filter (where record_kind = 'person') as double)
    from scored
    group by linker
{%- endset %}

parameters as (
    {{ parameters }}
)

select record_kind, parameter, term, value from parameters
{% if is_incremental() %}
where false
{% endif %}
