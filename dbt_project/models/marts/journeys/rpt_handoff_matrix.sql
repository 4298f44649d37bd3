{#- Channel hand-offs by (from channel, to channel, week of the hand-off). -#}
with handoffs as (
    select * from {{ ref('fct_channel_handoffs') }}
)

select
    cast({{ dbt.date_trunc('week', 'handed_off_at') }} as date)              as week_start,
    from_channel,
    to_channel,
    count(*)                                                                  as handoffs,
    count(distinct customer_id)                                               as customers,
    count(case when is_same_journey then 1 end)                          as same_journey_handoffs,
    count(case when purchase_followed then 1 end)                        as handoffs_followed_by_purchase,
    cast(count(case when purchase_followed then 1 end) as double) / count(*)
                                                                              as conversion_rate,
    median(hours_to_handoff)                                                  as median_hours_to_handoff
from handoffs
group by 1, 2, 3
