{#- A customer's revenue is the sum of their web and store revenue, and their orders the sum of web
    and store orders. -#}
{% test channel_revenue_adds_up(model) %}
select customer_id
from {{ model }}
where revenue <> web_revenue + store_revenue or orders_count <> web_orders + store_orders
{% endtest %}
