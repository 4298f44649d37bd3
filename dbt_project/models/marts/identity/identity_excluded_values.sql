{#- Identifier values excluded from linking: typed by implausibly many different people (found from
    the data: is_overshared) or matching a known placeholder pattern (the hand-kept prior). One row
    per value, hashed (salted sha256) and masked: no raw PII here. lone_records: records whose every
    email/phone/card is excluded; each of them stays a customer of its own. -#}

with excluded as (
    select * from {{ ref('int_identity_identifier_values') }} where value_class in ('junk', 'placeholder')
),

records_with_a_usable_value as (
    select distinct identifiers.node_id
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_identifier_values') }} as value_classes using (identifier_type, identifier_value)
    where value_classes.value_class not in ('junk', 'placeholder')
),

lone_records as (
    select identifiers.identifier_type, identifiers.identifier_value, count(distinct identifiers.node_id) as lone_records
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join excluded using (identifier_type, identifier_value)
    anti join records_with_a_usable_value using (node_id)
    group by all
)

select
    excluded.identifier_type,
    {{ hash_pii('excluded.identifier_value') }}                               as value_hash,
    case excluded.identifier_type
        when 'phone' then {{ mask_phone('excluded.identifier_value') }}
        when 'email' then left(excluded.identifier_value, 1) || '***@' || split_part(excluded.identifier_value, '@', 2)
        else left(excluded.identifier_value, 8) || '***'
    end                                                                       as value_masked,
    excluded.value_class,
    excluded.is_overshared,
    excluded.is_known_placeholder,
    concat_ws('; ',
        case when excluded.is_overshared
             then 'typed by ' || excluded.people_on_own_records || ' different people' end,
        case when excluded.is_known_placeholder then 'known placeholder pattern' end)  as reason,
    excluded.node_count                                                       as records,
    excluded.people_on_own_records                                            as people,
    coalesce(lone_records.lone_records, 0)                                    as lone_records
from excluded
left join lone_records using (identifier_type, identifier_value)
