-- One row per UTC day: the time spine MetricFlow joins for cumulative and offset metrics. In the
-- marts schema so the published snapshot carries it (governed metrics run against the snapshot).
select cast(range as date) as date_day
from range(date '2020-01-01', date '2031-01-01', interval 1 day)
