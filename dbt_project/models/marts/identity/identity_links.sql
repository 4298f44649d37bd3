{#- Every link the identity resolution made or weighed, with its evidence, for an analyst to read:
    - deterministic: two records share a personal email/phone/card fingerprint, or one points at the
      other (an order at its customer, a loyalty account at its profile, a web login at its account);
    - probabilistic: a review or Bluesky author scored against a person by the Splink model
      (accepted or not), with the comparison levels and Bayes factors it saw;
    - household: two people whose records share an email or phone typed by several people; a
      household link, never a person link.
    Record ids only: no raw email, phone or name leaves the identity models. -#}

with resolved as (
    select node_id, customer_id from {{ ref('int_identity_resolved_nodes') }}
),

deterministic as (
    select
        node_a,
        node_b,
        rule,
        'deterministic'                                                       as method,
        case
            when rule = 'same_name_and_postcode' then 'first name, last name, postcode (no second email or phone)'
            when rule like 'same!_%!_and_first_name' escape '!' then split_part(rule, '_', 2) || ', first name'
            when rule like 'same!_%' escape '!' then substr(rule, 6)
            when rule = 'shopify_order_customer' then 'order.customer.id, buyer name'
            when rule = 'shopify_checkout_customer' then 'checkout.customer.id'
            when rule = 'shopify_checkout_completed_as_order' then 'checkout.token = order.checkout_token'
            when rule = 'square_order_customer' then 'order.customer_id'
            when rule = 'square_return_of_sale' then 'return.source_order_id'
            when rule = 'square_loyalty_customer' then 'loyalty_account.customer_id'
            when rule = 'web_order_completed' then 'Order Completed.order_id'
            when rule = 'web_checkout_started' then 'Checkout Started.revenue = checkout merchandise, 0-30 min before'
            when rule = 'web_user_id' then 'userId (login)'
            when rule = 'bluesky_same_author' then 'author.did'
            else rule
        end                                                                   as evidence_fields,
        cast(1.0 as double)                                                   as score,
        cast(null as string)                                                 as evidence,
        true                                                                  as is_accepted
    from {{ ref('int_identity_edges_deterministic') }}
),

probabilistic as (
    select
        candidate_cluster_id                                                  as node_a,
        person_cluster_id                                                     as node_b,
        'splink_' || record_kind                                              as rule,
        'probabilistic'                                                       as method,
        case record_kind
            when 'review' then 'first name, last name or initial, visit to the reviewed store, product the review names'
            else 'first name, last name, handle vs email local part, purchase before posting'
        end                                                                   as evidence_fields,
        match_probability                                                     as score,
        evidence,
        is_accepted
    from {{ ref('int_identity_edges_probabilistic') }}
),

household_values as (
    select identifiers.identifier_type, identifiers.node_id, resolved.customer_id,
        min(identifiers.node_id) over (partition by identifiers.identifier_type, identifiers.identifier_value)
                                                                              as first_node_id
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_identifier_values') }} as value_classes using (identifier_type, identifier_value)
    inner join resolved using (node_id)
    where value_classes.value_class = 'shared' and resolved.customer_id is not null
),

household as (
    select distinct
        least(household_values.node_id, household_values.first_node_id)      as node_a,
        greatest(household_values.node_id, household_values.first_node_id)   as node_b,
        'household_shared_' || household_values.identifier_type               as rule,
        'household'                                                           as method,
        household_values.identifier_type || ' typed by several people'        as evidence_fields,
        cast(null as double)                                                  as score,
        cast(null as string)                                                 as evidence,
        true                                                                  as is_accepted
    from household_values
    inner join resolved as first_node on household_values.first_node_id = first_node.node_id
    where household_values.customer_id <> first_node.customer_id
),

links as (
    select * from deterministic
    union all select * from probabilistic
    union all select * from household
)

select
    md5(links.method || '|' || links.rule || '|' || links.node_a || '|' || links.node_b) as link_id,
    links.node_a,
    links.node_b,
    resolved_a.customer_id                                                    as customer_id_a,
    resolved_b.customer_id                                                    as customer_id_b,
    links.method,
    links.rule,
    links.evidence_fields,
    links.score,
    links.evidence,
    links.is_accepted
from links
left join resolved as resolved_a on links.node_a = resolved_a.node_id
left join resolved as resolved_b on links.node_b = resolved_b.node_id
