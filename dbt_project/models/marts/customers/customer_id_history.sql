{#- How customer ids changed between runs, one row per (run, change, old id, new id): new people,
    merges (two people found to be one: the older person's id survives), splits (one id found to be
    two people: the part holding the id's origin record keeps it) and retired ids, each with the
    evidence (reason) and the identity rules that moved it. Follow old_customer_id -> new_customer_id
    to keep a reference to a person across runs. The first build's ids are not listed (nothing changed). -#}
select
    assigned_at                                                               as changed_at,
    invocation_id,
    change_type,
    previous_customer_id                                                      as old_customer_id,
    customer_id                                                               as new_customer_id,
    reason,
    rules_version,
    count(*)                                                                  as records_moved
from {{ ref('int_customer_id_assignments') }}
where change_type in ('new', 'merge', 'split', 'retired')
group by all
