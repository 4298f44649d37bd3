{#- Channel performance per UTC day and currency. Revenue is on the one revenue basis (doc block
    revenue_basis: net merchandise sales) and never adds currencies: a day on which a channel sold in
    two currencies (a store abroad) has a row per currency. Revenue and orders count every
    purchase, resolved or not; customer-based figures (new vs returning, conversion, omnichannel
    share, lifetime value) count resolved customers only. Activity (active customers, conversion)
    is per channel and day: it is repeated on each currency row of that day. -#}
with touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

customers as (
    select customer_id, is_omnichannel, lifetime_value from {{ ref('dim_customers') }}
),

purchases as (
    select
        touchpoints.*,
        cast(occurred_at as date)                                             as activity_date,
        row_number() over (partition by customer_id order by occurred_at, touchpoint_id) as customer_order_number
    from touchpoints
    where touchpoint_type = 'purchase'
),

sales as (
    select
        purchases.activity_date,
        purchases.channel,
        purchases.currency,
        sum(purchases.value_amount)                                           as revenue,
        count(distinct coalesce(purchases.order_id, purchases.touchpoint_id)) as orders,
        count(case when purchases.customer_id is null then 1 end)             as anonymous_orders,
        count(distinct purchases.customer_id)                                 as purchasing_customers,
        count(distinct case when purchases.customer_order_number = 1 then purchases.customer_id end)
                                                                              as new_customers,
        count(distinct case when purchases.customer_order_number > 1 then purchases.customer_id end)
                                                                              as returning_customers,
        count(distinct case when customers.is_omnichannel then purchases.customer_id end)
                                                                              as omnichannel_customers,
        avg(case when customers.is_omnichannel then customers.lifetime_value end)
                                                                              as avg_ltv_omnichannel,
        avg(case when not customers.is_omnichannel then customers.lifetime_value end)
                                                                              as avg_ltv_single_channel
    from purchases
    left join customers on purchases.customer_id = customers.customer_id
    group by 1, 2, 3
),

returns as (
    select cast(occurred_at as date) as activity_date, channel, currency, -1 * sum(value_amount) as returned_amount
    from touchpoints
    where touchpoint_type = 'return'
    group by 1, 2, 3
),

{#- one row per channel, day and currency with money; a day with activity but no money keeps one
    row in the shop's currency (the most common currency of web sales) -#}
shop_currency as (
    select coalesce(mode() within group (order by currency), max(currency)) as currency
    from touchpoints where touchpoint_type = 'purchase' and channel = 'web'
),

grain as (
    select activity_date, channel, currency from sales
    union
    select activity_date, channel, currency from returns
),

activity as (
    select cast(occurred_at as date) as activity_date, channel, count(distinct customer_id) as active_customers
    from touchpoints
    group by 1, 2
)

select
    activity.activity_date                                                    as date,
    activity.channel,
    coalesce(grain.currency, shop_currency.currency)                          as currency,
    cast(coalesce(sales.revenue, 0) as decimal(18, 2))                        as revenue,
    coalesce(sales.orders, 0)                                                 as orders,
    {{ money_from_ratio('sales.revenue / nullif(sales.orders, 0)') }}          as aov,
    cast(coalesce(returns.returned_amount, 0) as decimal(18, 2))              as returned_amount,
    cast(coalesce(sales.revenue, 0) - coalesce(returns.returned_amount, 0) as decimal(18, 2)) as net_revenue,
    coalesce(sales.anonymous_orders, 0)                                       as anonymous_orders,
    activity.active_customers,
    coalesce(sales.purchasing_customers, 0)                                   as purchasing_customers,
    cast(coalesce(sales.purchasing_customers, 0) as double) / nullif(activity.active_customers, 0)
                                                                              as conversion_rate,
    coalesce(sales.new_customers, 0)                                          as new_customers,
    coalesce(sales.returning_customers, 0)                                    as returning_customers,
    cast(sales.omnichannel_customers as double) / nullif(sales.purchasing_customers, 0)
                                                                              as omnichannel_customer_share,
    {{ money_from_ratio('sales.avg_ltv_omnichannel') }}                       as avg_ltv_omnichannel,
    {{ money_from_ratio('sales.avg_ltv_single_channel') }}                    as avg_ltv_single_channel
from activity
cross join shop_currency
left join grain on activity.activity_date = grain.activity_date and activity.channel = grain.channel
left join sales
    on grain.activity_date = sales.activity_date and grain.channel = sales.channel
    and grain.currency is not distinct from sales.currency
left join returns
    on grain.activity_date = returns.activity_date and grain.channel = returns.channel
    and grain.currency is not distinct from returns.currency
