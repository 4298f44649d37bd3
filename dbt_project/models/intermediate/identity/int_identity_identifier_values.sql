{#- Guardrails against over-merging, found from the data (frequency and name disagreement), not listed
    by hand. Each email/phone/card value is
    - junk:        typed by more than `identity_max_names_per_shared_value` different people (a till's
                   default, a store phone, a staff inbox) -> excluded: never links;
    - placeholder: a known junk pattern (test@..., 0000000000; macro is_placeholder_identifier) -> excluded.
                   The list is only a prior: a placeholder typed by many people is junk without it;
    - shared:      2..max different people (a family email or phone; two namesakes' look-alike
                   addresses) -> links only records whose names agree; a household link otherwise;
    - ambiguous:   an email on records whose names agree (or are unknown) but whose phones differ:
                   two namesakes behind one address -> never links (their phones still do). A
                   placeholder or junk phone conflicts with nothing; a conflict with a nameless record
                   on a value two people type is the household's (shared), not namesakes';
    - personal:    otherwise -> links every record carrying it.
    People behind a value = its distinct names (first name key, last name key) that do not look like a
    typo or nickname of a more frequent name on the same value (names_compatible). Only records that
    carry the name themselves count towards junk; a record without a name (a web identify) lends the
    value the names found on its other values, which can make it shared, never junk: a family phone
    typed next to the daughter's email is seen as shared, not as the mother's, and a household phone
    does not make everyone's email junk. An email's local part names a person too
    (int_identity_email_local_names): Hannah's records on "kevin.mensah@" make it a household value. -#}

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

{#- the person an email's local part names ("kevin.mensah@" is Kevin's mailbox even when only Hannah's
    records carry it): another person behind the value when no name on its records agrees -#}
local_part_names as (
    select 'email' as identifier_type, email as identifier_value, first_name_key, last_name_key
    from {{ ref('int_identity_email_local_names') }}
),

named_values as (
    select * from direct_names
    union
    select * from local_part_names
),

borrowed_names as (
    select distinct
        nameless.identifier_type, nameless.identifier_value, named_values.first_name_key, named_values.last_name_key
    from identifiers as nameless
    inner join identifiers as sibling
        on nameless.node_id = sibling.node_id
        and (nameless.identifier_type <> sibling.identifier_type or nameless.identifier_value <> sibling.identifier_value)
    inner join named_values
        on sibling.identifier_type = named_values.identifier_type
        and sibling.identifier_value = named_values.identifier_value
    where nameless.first_name_key is null
),

names as (
    select * from named_values
    union
    select * from borrowed_names
),

{#- a name is a variant when a compatible name on the same value is more frequent (or as frequent
    and sorts first): "dvaid carter" next to "david carter" is one person -#}
{#- names are compared as "first|last" keys: a missing last name must still match itself -#}
name_frequencies as (
    select names.*, coalesce(own.records, 0) as records
    from names
    left join (
        select identifier_type, identifier_value, first_name_key || '|' || coalesce(last_name_key, '') as name_key,
            count(distinct node_id) as records
        from identifiers
        where first_name_key is not null
        group by all
    ) as own
        on names.identifier_type = own.identifier_type
        and names.identifier_value = own.identifier_value
        and names.first_name_key || '|' || coalesce(names.last_name_key, '') = own.name_key
),

variant_names as (
    select distinct variant.identifier_type, variant.identifier_value,
        variant.first_name_key || '|' || coalesce(variant.last_name_key, '') as name_key
    from name_frequencies as variant
    inner join name_frequencies as main
        on variant.identifier_type = main.identifier_type
        and variant.identifier_value = main.identifier_value
        and (main.records > variant.records
             or (main.records = variant.records
                 and main.first_name_key || '|' || coalesce(main.last_name_key, '')
                     < variant.first_name_key || '|' || coalesce(variant.last_name_key, '')))
        and {{ names_compatible('variant', 'main') }}
),

people_counts as (
    select
        name_frequencies.identifier_type,
        name_frequencies.identifier_value,
        count(distinct case when name_frequencies.records > 0 then name_frequencies.first_name_key || '|'
                            || coalesce(name_frequencies.last_name_key, '') end) as people_on_own_records,
        count(distinct name_frequencies.first_name_key || '|' || coalesce(name_frequencies.last_name_key, ''))
                                                                              as people_with_borrowed
    from name_frequencies
    left join variant_names
        on name_frequencies.identifier_type = variant_names.identifier_type
        and name_frequencies.identifier_value = variant_names.identifier_value
        and name_frequencies.first_name_key || '|' || coalesce(name_frequencies.last_name_key, '') = variant_names.name_key
    where variant_names.name_key is null
    group by all
),

{#- a placeholder or junk phone (+15555555555 typed by staff) is nobody's: it conflicts with nothing -#}
email_records as (
    select emails.identifier_value as email, emails.node_id, emails.first_name_key, emails.last_name_key,
        phones.identifier_value as phone
    from identifiers as emails
    inner join identifiers as phones on emails.node_id = phones.node_id and phones.identifier_type = 'phone'
    left join people_counts as phone_people
        on phone_people.identifier_type = 'phone' and phone_people.identifier_value = phones.identifier_value
    where emails.identifier_type = 'email'
        and not {{ is_placeholder_identifier("'phone'", 'phones.identifier_value') }}
        and coalesce(phone_people.people_on_own_records, 0) <= {{ var('identity_max_names_per_shared_value') }}
),

{#- between_named: both records carry agreeing names (namesakes); otherwise one side is nameless and
    may be another household member -#}
phone_conflicts as (
    select
        left_record.email,
        bool_or(left_record.first_name_key is not null and right_record.first_name_key is not null)
                                                                              as between_named
    from email_records as left_record
    inner join email_records as right_record
        on left_record.email = right_record.email
        and left_record.phone <> right_record.phone
        and (left_record.first_name_key is null or right_record.first_name_key is null
             or {{ names_compatible('left_record', 'right_record') }})
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
    coalesce(people_counts.people_on_own_records, 0)                          as people_on_own_records,
    coalesce(people_counts.people_with_borrowed, 0)                           as people_with_borrowed,
    coalesce(people_counts.people_on_own_records, 0) > {{ var('identity_max_names_per_shared_value') }}
                                                                              as is_overshared,
    {{ is_placeholder_identifier('value_stats.identifier_type', 'value_stats.identifier_value') }}
                                                                              as is_known_placeholder,
    case
        when coalesce(people_counts.people_on_own_records, 0) > {{ var('identity_max_names_per_shared_value') }}
            then 'junk'
        when {{ is_placeholder_identifier('value_stats.identifier_type', 'value_stats.identifier_value') }}
            then 'placeholder'
        when phone_conflicts.between_named then 'ambiguous'
        when coalesce(people_counts.people_with_borrowed, 0) >= 2 then 'shared'
        when phone_conflicts.email is not null then 'ambiguous'
        else 'personal'
    end                                                                       as value_class
from value_stats
left join people_counts using (identifier_type, identifier_value)
left join phone_conflicts
    on value_stats.identifier_type = 'email' and value_stats.identifier_value = phone_conflicts.email
