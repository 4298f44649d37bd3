{#- The golden record of each resolved person, by survivorship rules (documented in the YAML):
    a value from a record the person manages themselves beats one typed at a till, which beats one
    on a single order; within a tier the value seen on most records wins, then the most recent.
    Placeholder and junk values never survive. -#}

with resolved as (
    select * from {{ ref('int_identity_resolved_nodes') }} where customer_id is not null
),

nodes as (
    select resolved.customer_id, nodes.*
    from resolved
    inner join {{ ref('int_identity_nodes') }} as nodes using (node_id)
),

source_tiers as (
    select * from (values
        ('shopify', 'customers', 1), ('square', 'customers', 2), ('square', 'loyalty_accounts', 2),
        ('shopify', 'orders', 3), ('shopify', 'checkouts', 3), ('square', 'orders', 3),
        ('web_events', 'anonymous_ids', 4), ('google_reviews', 'reviews', 5), ('bluesky', 'posts', 5)
    ) as tiers (source, entity, tier)
),

identifier_candidates as (
    select
        nodes.customer_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        min(source_tiers.tier)                                                as best_tier,
        count(*)                                                              as records,
        max(nodes.first_seen_at)                                              as last_seen_at
    from nodes
    inner join {{ ref('int_identity_identifiers') }} as identifiers using (node_id)
    inner join {{ ref('int_identity_identifier_values') }} as value_classes using (identifier_type, identifier_value)
    inner join source_tiers using (source, entity)
    where value_classes.value_class in ('personal', 'shared', 'ambiguous') and identifiers.identifier_type in ('email', 'phone')
    group by all
),

best_identifiers as (
    select customer_id, identifier_type, identifier_value
    from identifier_candidates
    qualify row_number() over (
        partition by customer_id, identifier_type order by best_tier, records desc, last_seen_at desc, identifier_value
    ) = 1
),

name_candidates as (
    select
        nodes.customer_id,
        nodes.first_name_normalised,
        nodes.last_name_normalised,
        min(source_tiers.tier)                                                as best_tier,
        count(*)                                                              as records,
        max(nodes.first_seen_at)                                              as last_seen_at
    from nodes
    inner join source_tiers using (source, entity)
    where nodes.first_name_normalised is not null
    group by all
),

best_names as (
    select customer_id, first_name_normalised, last_name_normalised
    from name_candidates
    qualify row_number() over (
        partition by customer_id
        order by best_tier, records desc, (last_name_normalised is null), last_seen_at desc, first_name_normalised
    ) = 1
),

postcodes as (
    select customer_id, postal_code
    from nodes
    where postal_code is not null
    qualify row_number() over (partition by customer_id order by first_seen_at desc, postal_code) = 1
),

customers as (
    select distinct customer_id from resolved
)

select
    customers.customer_id,
    emails.identifier_value                                                   as email,
    phones.identifier_value                                                   as phone,
    upper(left(best_names.first_name_normalised, 1)) || substr(best_names.first_name_normalised, 2) as first_name,
    upper(left(best_names.last_name_normalised, 1)) || substr(best_names.last_name_normalised, 2)   as last_name,
    postcodes.postal_code
from customers
left join best_identifiers as emails on customers.customer_id = emails.customer_id and emails.identifier_type = 'email'
left join best_identifiers as phones on customers.customer_id = phones.customer_id and phones.identifier_type = 'phone'
left join best_names on customers.customer_id = best_names.customer_id
left join postcodes on customers.customer_id = postcodes.customer_id
