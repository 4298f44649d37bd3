select cast(null as varchar) as shopify_order_id, cast(null as varchar) as source_name, cast(null as timestamp) as created_at
where false
