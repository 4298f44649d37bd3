"""The marts of the full pipeline (connectors -> identity -> marts) on the tiny world vs its truth.

Identity resolution is imperfect, so journeys and hand-offs are compared for the people it resolved
cleanly: every true touchpoint of the person carries one customer id, and that customer holds no
other person's touchpoints. For them the counts must match exactly; the planted anomalies (price
gaps, cross-channel returns) must be found exactly everywhere.
"""

from pathlib import Path

import duckdb
import pytest
from planted_price_gaps import assert_violations_are_the_planted_gaps

pytestmark = pytest.mark.slow

CLEANLY_RESOLVED = """
create temp table clean as
with built as (
    select regexp_extract(touchpoint_id, '^([^:]+):[^:]+:(.*)$', 1) as source,
           regexp_extract(touchpoint_id, '^([^:]+):[^:]+:(.*)$', 2) as record_id,
           customer_id
    from marts.fct_touchpoints
),
truth as (select person_id, source, record_id from read_parquet(?)),
paired as (select truth.person_id, built.customer_id from truth left join built using (source, record_id)),
persons as (
    select person_id, min(customer_id) as customer_id
    from paired
    group by person_id
    having count(distinct customer_id) = 1 and count(customer_id) = count(*)
),
customers as (
    select built.customer_id
    from built left join truth using (source, record_id)
    where built.customer_id is not null
    group by built.customer_id
    having count(distinct truth.person_id) = 1 and count(truth.person_id) = count(*)
)
select persons.* from persons inner join customers using (customer_id)
"""


@pytest.fixture(scope="module")
def warehouse(tiny_pipeline):
    """The pipeline's warehouse (read-only) with the cleanly resolved people in temp table `clean`."""
    connection = duckdb.connect(str(tiny_pipeline.data_dir / "warehouse.duckdb"), read_only=True)
    connection.execute(CLEANLY_RESOLVED, [str(tiny_pipeline.world_dir / "truth" / "touchpoints.parquet")])
    yield connection
    connection.close()


def _truth(tiny_pipeline, name: str) -> str:
    return str(Path(tiny_pipeline.world_dir) / "truth" / f"{name}.parquet")


def test_enough_people_are_cleanly_resolved_to_compare(warehouse, tiny_pipeline):
    clean = warehouse.execute("select count(*) from clean").fetchone()[0]
    people = warehouse.execute("select count(distinct person_id) from read_parquet(?)",
                               [_truth(tiny_pipeline, "touchpoints")]).fetchone()[0]
    assert clean >= 0.3 * people, f"only {clean} of {people} people cleanly resolved"


def test_handoffs_per_channel_pair_match_the_truth_for_cleanly_resolved_people(warehouse, tiny_pipeline):
    built = dict(warehouse.execute("""
        select from_channel || '>' || to_channel, count(*) from marts.fct_channel_handoffs
        inner join clean using (customer_id) group by 1""").fetchall())
    truth = dict(warehouse.execute("""
        select from_channel || '>' || to_channel, count(*) from read_parquet(?)
        inner join clean using (person_id) group by 1""", [_truth(tiny_pipeline, "handoffs")]).fetchall())
    assert sum(truth.values()) > 20
    assert built == truth


def test_journey_outcomes_match_the_truth_for_cleanly_resolved_people(warehouse, tiny_pipeline):
    built = dict(warehouse.execute("""
        select outcome || '/' || is_open, count(*) from marts.fct_journeys
        inner join clean using (customer_id) group by 1""").fetchall())
    truth = dict(warehouse.execute("""
        select outcome || '/' || is_open, count(*) from read_parquet(?)
        inner join clean using (person_id) group by 1""", [_truth(tiny_pipeline, "journeys")]).fetchall())
    assert sum(truth.values()) > 50
    assert built == truth


def test_cross_channel_returns_are_exactly_the_planted_ones(warehouse, tiny_pipeline):
    found = warehouse.execute("""
        select regexp_extract(order_id, '[^:]+$'), purchase_channel, return_channel
        from intermediate.int_order_returns where is_cross_channel_return""").fetchall()
    planted = warehouse.execute("""
        select order_id, purchase_channel, return_channel from read_parquet(?)
        where kind = 'cross_channel_return'""", [_truth(tiny_pipeline, "planted")]).fetchall()
    assert planted
    assert sorted(found) == sorted(planted)


def test_price_violations_are_exactly_the_planted_gaps_where_both_prices_were_seen(warehouse, tiny_pipeline):
    assert_violations_are_the_planted_gaps(warehouse, Path(_truth(tiny_pipeline, "planted")), min_days_compared=20)


def test_funnel_stages_agree_with_the_customer_journey_stage(warehouse):
    funnel = dict(warehouse.execute("""
        select stage, sum(customers_reached) from marts.rpt_dropoff_funnel
        where stage in ('purchase', 'repeat', 'advocate') group by stage""").fetchall())
    customers = dict(warehouse.execute("""
        select 'purchase', count(case when journey_stage in ('customer', 'repeat', 'advocate') then 1 end)
        from marts.dim_customers
        union all select 'repeat', count(case when journey_stage in ('repeat', 'advocate') then 1 end)
        from marts.dim_customers
        union all select 'advocate', count(case when journey_stage = 'advocate' then 1 end) from marts.dim_customers
        """).fetchall())
    assert funnel["purchase"] > 0
    assert funnel == customers
