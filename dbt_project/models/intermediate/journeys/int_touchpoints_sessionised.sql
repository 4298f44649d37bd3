{#- Every resolved touchpoint with its journey. A customer's journey ends after
    `journey_inactivity_days` without a touchpoint, and a purchase closes it (the next touchpoint
    opens a new journey). Ties on occurred_at are broken by touchpoint_id so the order is stable.
    Incremental by customer: a customer's journeys depend only on their own touchpoints, so only
    customers whose touchpoints changed (new, late, updated, or gained/lost by an identity merge or
    split: a fingerprint of their touchpoints differs from the one built) are sessionised again, all
    their rows replaced; customers who no longer exist are deleted by the post-hook. -#}
{{ config(materialized='incremental', unique_key='customer_id', incremental_strategy='delete+insert',
          on_schema_change='sync_all_columns',
          post_hook="{% if is_incremental() %}delete from {{ this }} where customer_id not in (select customer_id from "
                    "{{ ref('fct_touchpoints') }} where customer_id is not null){% endif %}") }}

{% set touchpoint_columns = 'touchpoint_id, channel, touchpoint_type, occurred_at, location_id, order_id, sku, '
                            'value_amount, fulfilment_type, campaign' %}

{% if is_incremental() %}
with changed_customers as (
    select customer_id, count(*) as touchpoints, sum(hash({{ touchpoint_columns }})) as fingerprint
    from {{ ref('fct_touchpoints') }}
    where customer_id is not null
    group by customer_id
    except
    select customer_id, count(*), sum(hash({{ touchpoint_columns }}))
    from {{ this }}
    group by customer_id
),

touchpoints as (
{% else %}
with touchpoints as (
{% endif %}
    select
        touchpoint_id,
        customer_id,
        channel,
        touchpoint_type,
        occurred_at,
        location_id,
        order_id,
        sku,
        value_amount,
        fulfilment_type,
        campaign
    from {{ ref('fct_touchpoints') }}
    where customer_id is not null
    {% if is_incremental() %}
        and customer_id in (select customer_id from changed_customers)
    {% endif %}
),

ordered as (
    select
        *,
        row_number() over (partition by customer_id order by occurred_at, touchpoint_id) as customer_touch_number,
        lag(occurred_at) over (partition by customer_id order by occurred_at, touchpoint_id) as previous_occurred_at,
        lag(touchpoint_type) over (partition by customer_id order by occurred_at, touchpoint_id)
                                                                                        as previous_touchpoint_type
    from touchpoints
),

flagged as (
    select
        *,
        case
            when previous_occurred_at is null then true
            when previous_touchpoint_type = 'purchase' then true
            when occurred_at > {{ dbt.dateadd('day', var('journey_inactivity_days'), 'previous_occurred_at') }} then true
            else false
        end as is_journey_start
    from ordered
),

numbered as (
    select
        *,
        count(case when is_journey_start then 1 end)
            over (partition by customer_id order by customer_touch_number rows unbounded preceding) as journey_number
    from flagged
)

select
    customer_id || ':' || cast(journey_number as string)                      as journey_id,
    customer_id,
    journey_number,
    row_number() over (partition by customer_id, journey_number order by customer_touch_number) - 1
                                                                              as journey_touch_index,
    customer_touch_number,
    touchpoint_id,
    channel,
    touchpoint_type,
    occurred_at,
    location_id,
    order_id,
    sku,
    value_amount,
    fulfilment_type,
    campaign,
    is_journey_start
from numbered
