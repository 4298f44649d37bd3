{#- One row per resolved person: how big their cluster is and what holds it together, so that a
    cluster chaining unrelated people (supersized) stands out. distinct_identifiers counts the emails
    and phones on the person's records; a person types one or two of each. -#}

with resolved as (
    select * from {{ ref('int_identity_resolved_nodes') }} where customer_id is not null
),

identifiers as (
    select resolved.customer_id, count(distinct identifiers.identifier_type || ':' || identifiers.identifier_value)
                                                                              as distinct_identifiers
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join resolved using (node_id)
    where identifiers.identifier_type in ('email', 'phone')
    group by all
)

select
    resolved.customer_id,
    count(*)                                                                  as records,
    count(distinct resolved.source)                                           as sources,
    coalesce(max(identifiers.distinct_identifiers), 0)                        as distinct_identifiers,
    count(*) filter (where resolved.link_probability is not null)             as probabilistic_records,
    bool_or(resolved.in_flagged_component)                                    as was_broken_up
from resolved
left join identifiers using (customer_id)
group by all
