{#- Guardrails against over-merging, from value frequencies. Each email/phone/card value is
    - placeholder: a known junk pattern (test@..., 0000000000) -> never links;
    - junk:        carried by more than `identity_max_names_per_shared_value` incompatible first
                   names (a store kiosk, a shared inbox) -> never links;
    - shared:      2..max incompatible first names (a family email or phone) -> links only records
                   whose first names agree;
    - personal:    otherwise -> links every record carrying it. -#}

with identifiers as (
    select identifiers.identifier_type, identifiers.identifier_value, identifiers.node_id, nodes.first_name_key
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_nodes') }} as nodes using (node_id)
),

names as (
    select distinct identifier_type, identifier_value, first_name_key
    from identifiers
    where first_name_key is not null
),

conflicting_names as (
    select left_name.identifier_type, left_name.identifier_value, left_name.first_name_key
    from names as left_name
    inner join names as right_name
        on left_name.identifier_type = right_name.identifier_type
        and left_name.identifier_value = right_name.identifier_value
        and left_name.first_name_key <> right_name.first_name_key
        and not {{ first_names_compatible('left_name.first_name_key', 'right_name.first_name_key') }}
),

name_counts as (
    select identifier_type, identifier_value, count(distinct first_name_key) as incompatible_first_names
    from conflicting_names
    group by all
),

value_stats as (
    select
        identifier_type,
        identifier_value,
        count(distinct node_id)                                               as node_count,
        count(distinct first_name_key)                                        as distinct_first_names
    from identifiers
    group by all
)

select
    value_stats.identifier_type,
    value_stats.identifier_value,
    value_stats.node_count,
    value_stats.distinct_first_names,
    coalesce(name_counts.incompatible_first_names, 0)                         as incompatible_first_names,
    case
        when {{ is_placeholder_identifier('value_stats.identifier_type', 'value_stats.identifier_value') }}
            then 'placeholder'
        when coalesce(name_counts.incompatible_first_names, 0) > {{ var('identity_max_names_per_shared_value') }}
            then 'junk'
        when coalesce(name_counts.incompatible_first_names, 0) >= 2 then 'shared'
        else 'personal'
    end                                                                       as value_class
from value_stats
left join name_counts using (identifier_type, identifier_value)
