{#- Guardrails against over-merging, from value frequencies. Each email/phone/card value is
    - placeholder: a known junk pattern (test@..., 0000000000) -> never links;
    - junk:        carried by more than `identity_max_names_per_shared_value` incompatible names
                   (a store kiosk, a shared inbox) -> never links;
    - shared:      2..max incompatible names (a family email or phone; two namesakes' look-alike
                   addresses) -> links only records whose names agree;
    - ambiguous:   an email on records whose names agree (or are unknown) but whose phones differ:
                   two namesakes behind one address -> never links (their phones still do);
    Names are incompatible when the first names are (not equal, not nicknames, not a typo apart) or
    when both last names are known and differ.
    - personal:    otherwise -> links every record carrying it.
    A record without a name (a web identify) lends the value the names found on its other values:
    a family phone typed next to the daughter's email is seen as shared, not as the mother's. -#}

with identifiers as (
    select identifiers.identifier_type, identifiers.identifier_value, identifiers.node_id, nodes.first_name_key,
        nodes.last_name_key
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_nodes') }} as nodes using (node_id)
),

direct_names as (
    select distinct identifier_type, identifier_value, first_name_key, last_name_key
    from identifiers
    where first_name_key is not null
),

borrowed_names as (
    select distinct
        nameless.identifier_type, nameless.identifier_value, direct_names.first_name_key, direct_names.last_name_key
    from identifiers as nameless
    inner join identifiers as sibling
        on nameless.node_id = sibling.node_id
        and (nameless.identifier_type <> sibling.identifier_type or nameless.identifier_value <> sibling.identifier_value)
    inner join direct_names
        on sibling.identifier_type = direct_names.identifier_type
        and sibling.identifier_value = direct_names.identifier_value
    where nameless.first_name_key is null
),

names as (
    select * from direct_names
    union
    select * from borrowed_names
),

conflicting_names as (
    select left_name.identifier_type, left_name.identifier_value, left_name.first_name_key, left_name.last_name_key
    from names as left_name
    inner join names as right_name
        on left_name.identifier_type = right_name.identifier_type
        and left_name.identifier_value = right_name.identifier_value
        and not {{ names_compatible('left_name', 'right_name') }}
),

name_counts as (
    select
        identifier_type,
        identifier_value,
        count(distinct first_name_key || '|' || coalesce(last_name_key, '')) as incompatible_first_names
    from conflicting_names
    group by all
),

email_records as (
    select emails.identifier_value as email, emails.node_id, emails.first_name_key, emails.last_name_key,
        phones.identifier_value as phone
    from identifiers as emails
    inner join identifiers as phones on emails.node_id = phones.node_id and phones.identifier_type = 'phone'
    where emails.identifier_type = 'email'
),

phone_conflicts as (
    select distinct left_record.email
    from email_records as left_record
    inner join email_records as right_record
        on left_record.email = right_record.email
        and left_record.phone <> right_record.phone
        and (left_record.first_name_key is null or right_record.first_name_key is null
             or {{ names_compatible('left_record', 'right_record') }})
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
        when phone_conflicts.email is not null then 'ambiguous'
        when coalesce(name_counts.incompatible_first_names, 0) >= 2 then 'shared'
        else 'personal'
    end                                                                       as value_class
from value_stats
left join name_counts using (identifier_type, identifier_value)
left join phone_conflicts
    on value_stats.identifier_type = 'email' and value_stats.identifier_value = phone_conflicts.email
