select cast(null as varchar) as square_location_id, cast(null as varchar) as timezone
where false
