{#- Monthly acquisition cohorts and their retention curve.
    - A customer is acquired by their first purchase in the data; the cohort is that calendar month
      (UTC) and the acquisition channel that purchase's channel (web or store; a web order picked up in
      a store is web).
    - One row per cohort, acquisition channel and month since acquisition (0 = the cohort month) up
      to the last month the data covers whole: active_customers = the cohort's customers who bought in
      that month, retention_rate = active / cohort customers (1 at month 0).
    - A month the data covers only in part (usually the last) has no row, so a curve never ends in a
      fake drop; the first month of data holds everyone who bought before the data starts as well
      (includes_earlier_customers). -#}
with purchases as (
    select customer_id, channel, occurred_at, touchpoint_id, cast(date_trunc('month', occurred_at) as date) as month
    from {{ ref('fct_touchpoints') }}
    where touchpoint_type = 'purchase' and customer_id is not null
),

data_months as (
    select
        cast(date_trunc('month', min(occurred_at)) as date)                     as first_month,
        {#- the last month whose every day the data covers -#}
        cast(date_trunc('month', max(occurred_at) + interval 1 day) - interval 1 month as date) as last_whole_month
    from {{ ref('fct_touchpoints') }}
),

acquisitions as (
    select customer_id, channel as acquisition_channel, month as cohort_month
    from (
        select *, row_number() over (partition by customer_id order by occurred_at, touchpoint_id) as purchase_number
        from purchases
    )
    where purchase_number = 1
),

cohorts as (
    select cohort_month, acquisition_channel, count(*) as cohort_customers
    from acquisitions
    cross join data_months
    where cohort_month <= data_months.last_whole_month
    group by all
),

months_since as (
    select
        cohorts.cohort_month,
        cohorts.acquisition_channel,
        cohorts.cohort_customers,
        cast(month_start as date)                                               as activity_month
    from cohorts
    cross join data_months
    cross join lateral generate_series(cast(cohorts.cohort_month as timestamp),
                                       cast(data_months.last_whole_month as timestamp), interval 1 month)
        as spine(month_start)
),

active as (
    select acquisitions.cohort_month, acquisitions.acquisition_channel, purchases.month as activity_month,
           count(distinct purchases.customer_id) as active_customers
    from acquisitions
    inner join purchases using (customer_id)
    group by all
)

select
    months_since.cohort_month,
    months_since.acquisition_channel,
    cast(datediff('month', months_since.cohort_month, months_since.activity_month) as integer)
                                                                                as months_since_acquisition,
    months_since.activity_month,
    months_since.cohort_customers,
    coalesce(active.active_customers, 0)                                        as active_customers,
    coalesce(active.active_customers, 0) / months_since.cohort_customers        as retention_rate,
    months_since.cohort_month = data_months.first_month                         as includes_earlier_customers
from months_since
cross join data_months
left join active using (cohort_month, acquisition_channel, activity_month)
