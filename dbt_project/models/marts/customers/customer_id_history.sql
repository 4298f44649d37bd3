{#- How customer ids changed between runs, one row per (run, old id, new id): merges (two people
    found to be one), splits (one id found to be two people) and reassignments (an older record
    joined and became the person's anchor). Follow old_customer_id -> new_customer_id to keep a
    reference to a person across runs. -#}
select
    assigned_at                                                               as changed_at,
    invocation_id,
    change_type,
    previous_customer_id                                                      as old_customer_id,
    customer_id                                                               as new_customer_id,
    count(*)                                                                  as records_moved
from {{ ref('int_customer_id_assignments') }}
where change_type <> 'new'
group by all
