{#- One row per customer journey, published as fct_journeys (int_touchpoints_sessionised splits them).
    outcome: purchase (the journey ends with a purchase), abandoned (a cart was started but no
    purchase), dropped (neither). is_open marks journeys whose inactivity window has not yet passed
    at the latest touchpoint in the data, so their outcome may still change. -#}
with touches as (
    select * from {{ ref('int_touchpoints_sessionised') }}
),

data_as_of as (
    select max(occurred_at) as as_of from {{ ref('fct_touchpoints') }}
),

with_previous as (
    select
        *,
        lag(channel) over (partition by journey_id order by journey_touch_index) as previous_channel
    from touches
),

journeys as (
    select
        journey_id,
        customer_id,
        journey_number,
        min(occurred_at)                                                      as started_at,
        max(occurred_at)                                                      as ended_at,
        count(*)                                                              as touchpoint_count,
        count(distinct channel)                                               as channel_count,
        count(case when previous_channel is not null and channel <> previous_channel then 1 end)
                                                                              as channel_switches,
        {#- consecutive repeats collapse: web, web, store -> 'web > store' -#}
        {{ dbt.listagg("case when previous_channel is null or channel <> previous_channel then channel end",
                       "' > '", 'order by journey_touch_index') }}                    as channel_path,
        max(journey_touch_index)                                              as last_touch_index,
        max(case when touchpoint_type in ('add_to_cart', 'checkout_started', 'cart_abandoned')
                 then 1 else 0 end) = 1                                       as has_cart,
        max(case when touchpoint_type = 'product_view' then 1 else 0 end) = 1 as has_product_view
    from with_previous
    group by journey_id, customer_id, journey_number
),

first_touch as (
    select journey_id, touchpoint_id, channel, touchpoint_type
    from touches
    where journey_touch_index = 0
),

last_touch as (
    select touches.journey_id, touches.touchpoint_id, touches.channel, touches.touchpoint_type,
           touches.order_id, touches.value_amount
    from touches
    inner join journeys
        on touches.journey_id = journeys.journey_id
        and touches.journey_touch_index = journeys.last_touch_index
),

classified as (
    select
        journeys.*,
        first_touch.touchpoint_id                                             as first_touchpoint_id,
        first_touch.channel                                                   as entry_channel,
        first_touch.touchpoint_type                                           as first_touch_type,
        last_touch.touchpoint_id                                              as last_touchpoint_id,
        last_touch.channel                                                    as last_touch_channel,
        last_touch.touchpoint_type                                            as last_touch_type,
        case
            when last_touch.touchpoint_type = 'purchase' then 'purchase'
            when journeys.has_cart then 'abandoned'
            else 'dropped'
        end                                                                   as outcome,
        last_touch.order_id                                                   as last_touch_order_id,
        last_touch.value_amount                                               as last_touch_value
    from journeys
    inner join first_touch on journeys.journey_id = first_touch.journey_id
    inner join last_touch on journeys.journey_id = last_touch.journey_id
)

select
    classified.journey_id,
    classified.customer_id,
    classified.journey_number,
    classified.started_at,
    classified.ended_at,
    cast({{ dbt.datediff('classified.started_at', 'classified.ended_at', 'second') }} as double) / 3600.0
                                                                              as duration_hours,
    classified.touchpoint_count,
    classified.channel_count,
    classified.channel_switches,
    classified.channel_path,
    classified.first_touchpoint_id,
    classified.entry_channel,
    classified.first_touch_type,
    classified.last_touchpoint_id,
    classified.last_touch_channel,
    classified.last_touch_type,
    classified.outcome,
    case
        when classified.outcome = 'purchase' then null
        when classified.has_cart then 'cart'
        when classified.has_product_view then 'considering'
        else 'aware'
    end                                                                       as dropoff_stage,
    case when classified.outcome = 'purchase' then classified.last_touch_order_id end as purchase_order_id,
    case when classified.outcome = 'purchase' then classified.last_touch_channel end  as purchase_channel,
    case when classified.outcome = 'purchase' then classified.last_touch_value end    as purchase_value,
    case when classified.outcome <> 'purchase' then classified.last_touchpoint_id end as dropoff_touchpoint_id,
    case when classified.outcome <> 'purchase' then classified.last_touch_channel end as dropoff_channel,
    case when classified.outcome <> 'purchase' then classified.last_touch_type end    as dropoff_touchpoint_type,
    classified.outcome <> 'purchase'
        and classified.ended_at >= {{ dbt.dateadd('day', -1 * var('journey_inactivity_days'), 'data_as_of.as_of') }}
                                                                              as is_open
from classified
cross join data_as_of
