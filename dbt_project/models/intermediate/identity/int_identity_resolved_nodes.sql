{#- The resolution: every node with its person and that person's stable customer_id, read from the
    persisted id map (int_customer_id_assignments: a node's latest row). Null customer_id =
    anonymous activity: web sessions that never identified themselves, cash sales without a profile. -#}

with current_ids as (
    select node_id, customer_id
    from {{ ref('int_customer_id_assignments') }}
    qualify row_number() over (partition by node_id order by assigned_at desc) = 1
)

select
    persons.node_id,
    persons.source,
    persons.entity,
    persons.record_id,
    case when persons.is_resolved then current_ids.customer_id end            as customer_id,
    persons.anchor_node_id,
    persons.anchor_customer_id,
    persons.person_node_count,
    persons.deterministic_cluster_id,
    persons.household_cluster_id,
    persons.link_probability,
    persons.in_flagged_component,
    persons.first_seen_at
from {{ ref('int_identity_person_clusters') }} as persons
left join current_ids using (node_id)
