{#- The resolution: every node's person, and that person's stable customer_id.
    A node belongs to its deterministic cluster, or, for a reviewer/author accepted by the
    probabilistic pass, to the person cluster it was linked to. The customer_id is derived from the
    person's anchor node (the oldest record, ties by node id): adding unrelated data never changes it,
    a merge keeps the older person's id, a split leaves the id with the part holding the anchor.
    Clusters of anonymous web sessions that never identified themselves and of cash sales without a
    profile stay unresolved (customer_id null); a card swipe is a person (its card fingerprint). -#}

with nodes as (
    select nodes.*, clusters.deterministic_cluster_id, clusters.household_cluster_id, clusters.oversized_component_id
    from {{ ref('int_identity_nodes') }} as nodes
    inner join {{ ref('int_identity_clusters_deterministic') }} as clusters using (node_id)
),

accepted_links as (
    select candidate_cluster_id, person_cluster_id, match_probability
    from {{ ref('int_identity_edges_probabilistic') }}
    where is_accepted
),

identified_nodes as (
    select distinct node_id from {{ ref('int_identity_identifiers') }}
),

assigned as (
    select
        nodes.*,
        coalesce(accepted_links.person_cluster_id, nodes.deterministic_cluster_id) as person_cluster_id,
        accepted_links.match_probability                                      as link_probability,
        {# a web session or a cash sale says nothing about who it was unless it carries an identifier #}
        nodes.entity not in ('anonymous_ids', 'orders') or nodes.source = 'shopify'
            or identified_nodes.node_id is not null                           as is_identifying
    from nodes
    left join accepted_links on nodes.deterministic_cluster_id = accepted_links.candidate_cluster_id
    left join identified_nodes using (node_id)
),

persons as (
    select
        person_cluster_id,
        min_by(node_id, (coalesce(first_seen_at, timestamp '9999-12-31'), node_id)) as anchor_node_id,
        bool_or(is_identifying)                                               as is_resolved,
        count(*)                                                              as person_node_count
    from assigned
    group by all
)

select
    assigned.node_id,
    assigned.source,
    assigned.entity,
    assigned.record_id,
    case when persons.is_resolved then 'cus_' || left(md5(persons.anchor_node_id), 16) end as customer_id,
    persons.anchor_node_id,
    persons.person_node_count,
    assigned.deterministic_cluster_id,
    assigned.household_cluster_id,
    assigned.link_probability,
    assigned.oversized_component_id is not null                               as in_flagged_component,
    assigned.first_seen_at
from assigned
inner join persons using (person_cluster_id)
