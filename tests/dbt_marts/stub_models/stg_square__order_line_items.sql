select cast(null as varchar) as square_order_id, cast(null as varchar) as sku, cast(null as decimal(18, 2)) as unit_price,
       cast(null as decimal(18, 3)) as quantity
where false
