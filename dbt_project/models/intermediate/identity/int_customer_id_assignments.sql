{{ config(materialized='incremental', full_refresh=false, on_schema_change='append_new_columns') }}

{#- The persisted id map and its log: node -> customer_id, one row per node each time its id is set
    or changes; a node's latest row is its current id. `full_refresh=false`: `dbt build --full-refresh`
    rebuilds every model from raw but keeps this map, so ids survive it (drop the table to forget them).

    Rule: an id, once given, never changes unless its cluster merges or splits.
    - Every previous id claims the current person holding its origin record (the node it was minted
      from; failing that, its oldest surviving record).
    - A person claimed by one id keeps it; claimed by several (a merge), it keeps the id whose claiming
      record is oldest (the older person's); the others are merged away.
    - A person claimed by none (new people, and the parts of a split that lost the origin record) gets
      `cus_` + md5 of its oldest record (anchor_customer_id), which is what a build on an empty
      warehouse gives every person. So a fresh build and this map agree except where an older record
      joined a person after its id was given (the id stays; a fresh build would mint it from the
      older record).
    change_type: initial (first build) | new (a new person) | joined (a new record of an existing or
    split-off person) | merge | split | retired (the id is held by no record now) | removed (the
    record is gone or anonymous, the person stays). reason says which evidence moved the id. -#}

{%- set rules_version = identity_rules_version() %}

with persons as (
    select node_id, person_cluster_id, is_resolved, anchor_customer_id, first_seen_at, in_flagged_component
    from {{ ref('int_identity_person_clusters') }}
),

{% if is_incremental() %}
latest as (
    select node_id, customer_id
    from {{ this }}
    qualify row_number() over (partition by node_id order by assigned_at desc) = 1
),
{% else %}
latest as (
    select cast(null as string) as node_id, cast(null as string) as customer_id
    where false
),
{% endif %}

previous_map as (
    select node_id, customer_id from latest where customer_id is not null
),

run as (
    select
        not exists (select 1 from previous_map)                               as is_first_build,
        {#- set when this run is the first with new rules: every id it moves, it moves for them -#}
        (select max(previous_rules_version) from {{ ref('int_identity_rules_versions') }}
         where invocation_id = '{{ invocation_id }}')                         as previous_rules_version
),

held as (
    select
        previous_map.node_id,
        previous_map.customer_id,
        persons.person_cluster_id,
        (previous_map.customer_id <> 'cus_' || left(md5(previous_map.node_id), 16),
         coalesce(persons.first_seen_at, timestamp '9999-12-31'), previous_map.node_id) as claim_key
    from previous_map
    inner join persons using (node_id)
    where persons.is_resolved
),

claims as (
    select customer_id, arg_min(person_cluster_id, claim_key) as person_cluster_id, min(claim_key) as claim_key
    from held
    group by customer_id
),

kept as (
    select person_cluster_id, arg_min(customer_id, claim_key) as customer_id
    from claims
    group by person_cluster_id
),

current_map as (
    select
        persons.node_id,
        persons.person_cluster_id,
        case when persons.is_resolved then coalesce(kept.customer_id, persons.anchor_customer_id) end as customer_id
    from persons
    left join kept using (person_cluster_id)
),

changed as (
    select
        node_id,
        previous_map.customer_id                                              as previous_customer_id,
        current_map.customer_id,
        current_map.person_cluster_id
    from current_map
    full outer join previous_map using (node_id)
    where previous_map.customer_id is distinct from current_map.customer_id
),

current_ids as (
    select distinct customer_id from current_map where customer_id is not null
),

ids_with_history as (
    select distinct customer_id from changed where previous_customer_id is not null
    union
    select distinct customer_id from previous_map
),

typed as (
    select
        changed.*,
        case
            when (select is_first_build from run) then 'initial'
            when changed.previous_customer_id is null and changed.customer_id in (select customer_id from ids_with_history)
                then 'joined'
            when changed.previous_customer_id is null then 'new'
            when changed.customer_id is null and changed.previous_customer_id in (select customer_id from current_ids)
                then 'removed'
            when changed.customer_id is null then 'retired'
            when claims.person_cluster_id = changed.person_cluster_id then 'merge'
            else 'split'
        end                                                                   as change_type
    from changed
    left join claims on changed.previous_customer_id = claims.customer_id
),

{#- the evidence that joined a merged id's records to the rest of its new person: the rules of the
    deterministic edges crossing from the one to the other, or the probabilistic link -#}
edge_ends as (
    select node_a as node_id, node_b as other_node_id, rule from {{ ref('int_identity_edges_deterministic') }}
    union all
    select node_b, node_a, rule from {{ ref('int_identity_edges_deterministic') }}
),

merge_evidence as (
    select
        merged.previous_customer_id,
        merged.customer_id,
        string_agg(distinct edge_ends.rule, ', ' order by edge_ends.rule)     as rules
    from typed as merged
    inner join edge_ends using (node_id)
    inner join current_map as other on edge_ends.other_node_id = other.node_id
    left join previous_map as other_previous on edge_ends.other_node_id = other_previous.node_id
    where merged.change_type = 'merge'
        and other.customer_id = merged.customer_id
        and other_previous.customer_id is distinct from merged.previous_customer_id
    group by all
),

flagged_ids as (
    select distinct previous_map.customer_id
    from previous_map
    inner join persons using (node_id)
    where persons.in_flagged_component
)

select
    typed.node_id,
    typed.previous_customer_id,
    typed.customer_id,
    typed.change_type,
    case when run.previous_rules_version is not null
        then 'identity rules ' || run.previous_rules_version || ' -> ' || {{ rules_version }} || ': ' else '' end
    || case typed.change_type
        when 'initial' then 'first build'
        when 'new' then 'new records of a new person'
        when 'joined' then 'new record linked to the person'
        when 'merge' then 'linked by ' || coalesce(merge_evidence.rules, 'a probabilistic review/author link')
        when 'split' then case when typed.previous_customer_id in (select customer_id from flagged_ids)
            then 'oversized component broken up by the guardrail'
            else 'no evidence left joining the records (a value changed or was excluded)' end
        when 'retired' then 'its records are gone or anonymous'
        when 'removed' then 'the record is gone or anonymous'
    end                                                                       as reason,
    {{ rules_version }}                                                       as rules_version,
    {{ to_utc("'" ~ run_started_at ~ "'") }}                                  as assigned_at,
    '{{ invocation_id }}'                                                     as invocation_id
from typed
cross join run
left join merge_evidence using (previous_customer_id, customer_id)
