select cast(null as varchar) as shopify_order_id, cast(null as varchar) as sku, cast(null as decimal(18, 2)) as unit_price
where false
