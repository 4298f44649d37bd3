-- One row per UTC day: the time spine MetricFlow joins for cumulative and offset metrics. In the
-- marts schema so the published snapshot carries it (governed metrics run against the snapshot).
select cast(day as date) as date_day
from (select 1) as one
{{ cross_join_unnest(day_list("date '2020-01-01'", "date '2030-12-31'"), 'days', 'day') }}
