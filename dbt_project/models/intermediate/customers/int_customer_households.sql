{#- One row per resolved person with their household: people whose records share an email or phone that
    two or more differently named people type (a family inbox, a landline) live in one household but
    stay separate customers. household_id is derived from the household's smallest customer_id, so it
    is stable while that member's id is; a person who shares nothing is a household of their own. -#}

with person_households as (
    {# a person's household is the one holding most of their records (reviews and posts linked to them
       sit in households of their own) #}
    select customer_id, mode() within group (order by household_cluster_id) as household_cluster_id
    from {{ ref('int_identity_resolved_nodes') }}
    where customer_id is not null
    group by all
)

select
    customer_id,
    'hh_' || left(md5(min(customer_id) over (partition by household_cluster_id)), 16) as household_id,
    count(*) over (partition by household_cluster_id)                         as household_size
from person_households
