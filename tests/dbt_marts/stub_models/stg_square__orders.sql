select cast(null as varchar) as square_order_id, cast(null as varchar) as square_location_id,
       cast(null as timestamp) as created_at
where false
