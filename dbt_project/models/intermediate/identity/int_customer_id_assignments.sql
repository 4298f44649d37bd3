{{ config(materialized='incremental', on_schema_change='fail') }}

{#- The id map's log: on every run, the nodes that are new or whose customer_id changed, with why.
    Incremental on purpose: it remembers the previous run's assignment, which the stateless
    resolution cannot. change_type: new | merge (the new id gathered nodes from two or more previous
    ids) | split (the previous id's nodes went to two or more ids) | reassigned (the anchor changed). -#}

with current_assignment as (
    select node_id, customer_id from {{ ref('int_identity_resolved_nodes') }}
),

{% if is_incremental() %}
previous_assignment as (
    select node_id, customer_id
    from {{ this }}
    qualify row_number() over (partition by node_id order by assigned_at desc) = 1
),
{% else %}
previous_assignment as (
    select cast(null as string) as node_id, cast(null as string) as customer_id
    where false
),
{% endif %}

compared as (
    select
        current_assignment.node_id,
        previous_assignment.node_id is not null                               as was_known,
        previous_assignment.customer_id                                       as previous_customer_id,
        current_assignment.customer_id
    from current_assignment
    left join previous_assignment using (node_id)
),

sources_per_new_id as (
    select customer_id, count(distinct previous_customer_id) as previous_ids
    from compared
    where customer_id is not null
    group by all
),

targets_per_previous_id as (
    select previous_customer_id, count(distinct customer_id) as current_ids
    from compared
    where previous_customer_id is not null
    group by all
)

select
    compared.node_id,
    compared.previous_customer_id,
    compared.customer_id,
    case
        when not compared.was_known then 'new'
        when sources_per_new_id.previous_ids >= 2 then 'merge'
        when targets_per_previous_id.current_ids >= 2 then 'split'
        else 'reassigned'
    end                                                                       as change_type,
    {{ to_utc("'" ~ run_started_at ~ "'") }}                                      as assigned_at,
    '{{ invocation_id }}'                                                     as invocation_id
from compared
left join sources_per_new_id using (customer_id)
left join targets_per_previous_id using (previous_customer_id)
where not compared.was_known
    or compared.previous_customer_id is distinct from compared.customer_id
