"""The price-consistency KPI against the world's planted web/store price gaps, for both mart builds.

test_marts_on_truth checks it on the fast build (staging stand-ins), test_marts_end_to_end on the
connectors' pipeline run: the same invariant, so one assertion.
"""

from pathlib import Path


def assert_violations_are_the_planted_gaps(connection, planted_parquet: Path, min_days_compared: int) -> None:
    """Every flagged violation is a planted gap, with the planted prices, and no gap seen at both prices is missed."""
    compared = connection.execute("""
        select k.sku, cast(k.day as varchar), cast(k.web_price as double), cast(k.store_price as double),
               k.is_violation, p.sku is not null, p.web_price, p.store_price
        from marts.kpi_price_consistency as k
        left join (select * from read_parquet(?) where kind = 'price_difference') as p
            on p.sku = k.sku and p.date = cast(k.day as varchar)""", [str(planted_parquet)]).fetchall()
    assert len(compared) > min_days_compared
    violations = [row for row in compared if row[4]]
    assert violations, "the tiny world's planted gaps with a store sale were not found"
    assert all(row[5] for row in violations), f"violations outside the planted gaps: {violations}"
    assert all(row[4] for row in compared if row[5]), "a planted gap with both prices seen was missed"
    assert all((row[2], row[3]) == (row[6], row[7]) for row in violations)
