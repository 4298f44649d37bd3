{#- A customer's revenue, orders and returns are the sums of their web and store parts. -#}
{% test channel_revenue_adds_up(model) %}
select customer_id
from {{ model }}
where revenue <> web_revenue + store_revenue or orders_count <> web_orders + store_orders
    or returns_count <> web_returns + store_returns
{% endtest %}
