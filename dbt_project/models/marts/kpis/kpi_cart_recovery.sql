{#- Abandoned carts per week of abandonment and recovery channel (web, store, ... or not_recovered),
    from int_cart_recoveries. -#}
with carts as (
    select
        *,
        cast({{ dbt.date_trunc('week', 'abandoned_at') }} as date)            as week_start
    from {{ ref('int_cart_recoveries') }}
),

weekly as (
    select week_start, count(*) as week_abandoned_carts from carts group by week_start
)

select
    carts.week_start,
    carts.recovery_channel,
    count(*)                                                                  as carts,
    weekly.week_abandoned_carts,
    cast(count(*) as double) / weekly.week_abandoned_carts                    as share_of_abandoned_carts,
    cast(sum(carts.cart_value) as decimal(18, 2))                             as cart_value,
    cast(coalesce(sum(carts.recovered_value), 0) as decimal(18, 2))           as recovered_revenue,
    median(carts.hours_to_recovery)                                           as median_hours_to_recovery
from carts
inner join weekly on carts.week_start = weekly.week_start
group by carts.week_start, carts.recovery_channel, weekly.week_abandoned_carts
