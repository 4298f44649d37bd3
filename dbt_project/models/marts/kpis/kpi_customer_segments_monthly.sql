{#- Revenue and retention of omnichannel vs single-channel customers, per calendar month (UTC).
    - The month's buyers: resolved customers with a purchase in the month (any channel).
    - Omnichannel in a month: seen in both the web shop and a store (any touchpoint: a visit, a sale,
      a return) by the end of that month; single-channel otherwise. The status is as of the month, never
      from later data, so a customer who comes back through the other channel cannot make their own
      earlier month look retained (dim_customers.is_omnichannel is the same rule over all the data).
    - Retained: the month's buyer buys again in the next calendar month; null while the data does not
      cover the whole next month (not yet observable, never a fake 0).
    - Revenue: the month's purchases on the revenue basis in the shop's currency (the most common
      currency of web sales); sales in other currencies count as orders, their money is not added. -#}
with touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

last_day as (
    select cast(max(occurred_at) as date) as last_day from touchpoints
),

shop_currency as (
    select coalesce(mode() within group (order by currency), max(currency)) as currency
    from touchpoints
    where touchpoint_type = 'purchase' and channel = 'web'
),

first_seen_by_channel as (
    select
        customer_id,
        min(case when channel = 'web' then occurred_at end)                    as first_web_at,
        min(case when channel = 'store' then occurred_at end)                  as first_store_at
    from touchpoints
    where customer_id is not null
    group by customer_id
),

monthly_purchases as (
    select
        touchpoints.customer_id,
        cast(date_trunc('month', touchpoints.occurred_at) as date)             as month,
        count(distinct coalesce(touchpoints.order_id, touchpoints.touchpoint_id)) as orders,
        sum(case when touchpoints.currency = shop_currency.currency then touchpoints.value_amount end) as revenue
    from touchpoints
    cross join shop_currency
    where touchpoints.touchpoint_type = 'purchase' and touchpoints.customer_id is not null
    group by all
),

buyers as (
    select
        this_month.month,
        this_month.customer_id,
        this_month.orders,
        this_month.revenue,
        coalesce(
            first_seen.first_web_at < this_month.month + interval 1 month
            and first_seen.first_store_at < this_month.month + interval 1 month, false) as is_omnichannel,
        next_month.customer_id is not null                                     as bought_next_month
    from monthly_purchases as this_month
    inner join first_seen_by_channel as first_seen using (customer_id)
    left join monthly_purchases as next_month
        on next_month.customer_id = this_month.customer_id
        and next_month.month = this_month.month + interval 1 month
)

select
    buyers.month,
    case when buyers.is_omnichannel then 'omnichannel' else 'single_channel' end as segment,
    shop_currency.currency,
    count(*)                                                                   as buyers,
    cast(sum(buyers.orders) as bigint)                                         as orders,
    cast(coalesce(sum(buyers.revenue), 0) as decimal(18, 2))                   as revenue,
    cast(coalesce(sum(buyers.revenue), 0) / count(*) as decimal(18, 2))        as revenue_per_buyer,
    case when buyers.month + interval 2 month <= last_day.last_day + interval 1 day
         then count(*) filter (where buyers.bought_next_month) end             as retained_buyers,
    case when buyers.month + interval 2 month <= last_day.last_day + interval 1 day
         then count(*) filter (where buyers.bought_next_month) / count(*) end  as retention_rate
from buyers
cross join shop_currency
cross join last_day
group by buyers.month, buyers.is_omnichannel, shop_currency.currency, last_day.last_day
