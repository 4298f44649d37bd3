{#- Cluster QA in one long table for Data health: cluster size distribution, supersized clusters,
    links per rule, excluded values, households and customer id changes on the latest run. -#}

with clusters as (
    select * from {{ ref('identity_clusters') }}
),

latest_run as (
    select * from {{ ref('customer_id_history') }}
    where invocation_id = (select max_by(invocation_id, changed_at) from {{ ref('customer_id_history') }})
),

metrics as (
    select 'cluster_size' as metric_group,
        case when records = 1 then '1 record' when records <= 5 then '2-5 records'
             when records <= 20 then '6-20 records' when records <= 100 then '21-100 records'
             else 'over 100 records' end                                      as metric,
        count(*)                                                              as value
    from clusters group by all
    union all
    select 'supersized_clusters', 'more than {{ var("identity_max_cluster_identifiers") }} emails and phones',
        count(*) filter (where distinct_identifiers > {{ var('identity_max_cluster_identifiers') }})
    from clusters
    union all
    select 'supersized_clusters', 'broken up by the guardrail', count(*) filter (where was_broken_up) from clusters
    union all
    select 'links_by_rule', method || ': ' || rule, count(*)
    from {{ ref('identity_links') }} where is_accepted group by all
    union all
    select 'excluded_values', identifier_type || ': ' || value_class, count(*)
    from {{ ref('identity_excluded_values') }} group by all
    union all
    select 'households', 'households of 2 or more people', count(distinct household_id)
    from {{ ref('dim_customers') }} where household_size >= 2
    union all
    select 'id_changes_latest_run', change_type, sum(records_moved) from latest_run group by all
)

select metric_group, metric, cast(value as bigint) as value from metrics
