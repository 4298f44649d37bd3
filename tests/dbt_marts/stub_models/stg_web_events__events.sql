select cast(null as varchar) as event_name, cast(null as varchar) as sku, cast(null as decimal(18, 2)) as price,
       cast(null as timestamp) as occurred_at
where false
