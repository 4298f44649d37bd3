{#- Every purchase or return touchpoint points at a sale in fct_orders. -#}
{% test purchases_have_orders(model) %}
select touchpoints.touchpoint_id
from {{ model }} as touchpoints
left join {{ ref('fct_orders') }} as orders using (order_id)
where touchpoints.touchpoint_type in ('purchase', 'return') and orders.order_id is null
{% endtest %}
