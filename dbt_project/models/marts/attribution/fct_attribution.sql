{#- Credit per purchase, channel and attribution model (computed in int_attribution_credits). -#}
with credits as (
    select * from {{ ref('int_attribution_credits') }}
),

purchases as (
    select order_id, min(converted_at) as purchased_at, min(order_value) as order_value,
           max(case when touch_index = max_touch_index then channel end) as purchase_channel
    from (
        select *, max(touch_index) over (partition by order_id) as max_touch_index
        from {{ ref('int_attribution_touches') }}
    ) as touches
    group by order_id
)

select
    credits.order_id || ':' || credits.model || ':' || credits.channel        as attribution_id,
    credits.order_id,
    credits.customer_id,
    purchases.purchased_at,
    purchases.purchase_channel,
    purchases.order_value,
    credits.model,
    credits.channel,
    cast(credits.credit_share as double)                                      as credit_share,
    cast(credits.credit_amount as decimal(18, 2))                             as credit_amount
from credits
inner join purchases on credits.order_id = purchases.order_id
