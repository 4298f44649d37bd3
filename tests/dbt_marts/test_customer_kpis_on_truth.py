"""Omnichannel vs single-channel revenue and retention, and the acquisition cohorts, on the TRUE
touchpoints of tiny worlds of several seeds: the marts equal the same figures computed here, in pandas,
from the simulator's truth (the person, not a resolved customer, is the customer)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import make_project, run_dbt

from sandbox.world import generate_world

pytestmark = pytest.mark.slow

SEEDS = (7, 11, 23)
MARTS = ("kpi_customer_segments_monthly", "kpi_cohort_retention")


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def built(request, tmp_path_factory) -> tuple[pd.DataFrame, Path]:
    """(the world's true touchpoints, warehouse with the two marts built on them by dbt, tests included)."""
    root = tmp_path_factory.mktemp(f"customer_kpis_{request.param}")
    world = generate_world("tiny", request.param, root / "world")
    (root / "project").mkdir()
    warehouse = root / "warehouse.duckdb"
    run_dbt(make_project(root / "project", warehouse), world, "build", "--select", *(f"+{m}" for m in MARTS))
    truth = pd.read_parquet(world / "truth" / "touchpoints.parquet")
    truth["occurred_at"] = truth["occurred_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    truth["month"] = truth["occurred_at"].dt.to_period("M")
    return truth, warehouse


def _mart(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).df()


def _whole_months(truth: pd.DataFrame) -> pd.PeriodIndex:
    """Months every day of which the data covers (the last one may be cut by the world's end)."""
    last_day = truth["occurred_at"].max().normalize()
    months = pd.period_range(truth["month"].min(), truth["month"].max(), freq="M")
    return months[[month.end_time.normalize() <= last_day for month in months]]


def test_segments_revenue_and_retention_equal_the_truth(built):
    truth, warehouse = built
    purchases = truth[truth["touchpoint_type"] == "purchase"]
    shop_currency = purchases.loc[purchases["channel"] == "web", "currency"].mode().iloc[0]
    first_web = truth[truth["channel"] == "web"].groupby("person_id")["occurred_at"].min()
    first_store = truth[truth["channel"] == "store"].groupby("person_id")["occurred_at"].min()
    bought = set(zip(purchases["person_id"], purchases["month"], strict=True))
    whole = set(_whole_months(truth))
    rows = []
    for (person, month), own in purchases.groupby(["person_id", "month"]):
        month_end = month.end_time
        omnichannel = first_web.get(person, pd.NaT) <= month_end and first_store.get(person, pd.NaT) <= month_end
        rows.append({"month": month, "segment": "omnichannel" if omnichannel else "single_channel",
                     "orders": own["order_id"].nunique(),
                     "revenue": own.loc[own["currency"] == shop_currency, "value"].sum(),
                     "retained": (person, month + 1) in bought})
    expected = pd.DataFrame(rows).groupby(["month", "segment"]).agg(
        buyers=("orders", "size"), orders=("orders", "sum"), revenue=("revenue", "sum"),
        retained=("retained", "sum")).reset_index()
    assert set(expected["segment"]) == {"omnichannel", "single_channel"}, "the world has both kinds of buyer"

    mart = _mart(warehouse, f"""select month, segment, currency, buyers, orders, revenue::double as revenue,
        retained_buyers, retention_rate from marts.{MARTS[0]} order by month, segment""")
    mart["month"] = pd.to_datetime(mart["month"]).dt.to_period("M")
    compared = expected.merge(mart, on=["month", "segment"], how="outer", indicator=True)
    assert (compared["_merge"] == "both").all(), compared[compared["_merge"] != "both"]
    assert (compared["currency"] == shop_currency).all()
    assert compared["buyers_x"].tolist() == compared["buyers_y"].tolist()
    assert compared["orders_x"].tolist() == compared["orders_y"].tolist()
    assert compared["revenue_x"].tolist() == pytest.approx(compared["revenue_y"].tolist(), abs=0.01)
    observable = compared["month"].map(lambda month: month + 1 in whole)
    assert observable.any() and not observable.all(), "the last month's retention is not observable yet"
    assert compared.loc[observable, "retained"].tolist() == compared.loc[observable, "retained_buyers"].tolist()
    assert compared.loc[~observable, "retained_buyers"].isna().all()
    assert compared.loc[~observable, "retention_rate"].isna().all()


def test_cohort_retention_curves_equal_the_truth(built):
    truth, warehouse = built
    purchases = truth[truth["touchpoint_type"] == "purchase"].sort_values(["person_id", "occurred_at", "source",
                                                                           "record_id"])
    first = purchases.groupby("person_id").first()
    active = set(zip(purchases["person_id"], purchases["month"], strict=True))
    whole = _whole_months(truth)
    rows = []
    for (cohort, channel), members in first.groupby(["month", "channel"]):
        if cohort not in whole:
            continue
        for month in whole[whole >= cohort]:
            rows.append((str(cohort), channel, (month - cohort).n, len(members),
                         sum((person, month) in active for person in members.index)))
    assert len({row[0] for row in rows}) >= 3, "several whole cohort months"

    mart = _mart(warehouse, f"""select strftime(cohort_month, '%Y-%m'), acquisition_channel, months_since_acquisition,
        cohort_customers, active_customers from marts.{MARTS[1]}""")
    assert sorted(map(tuple, mart.to_numpy().tolist())) == sorted(rows)
    at_zero = _mart(warehouse, f"select min(retention_rate), max(retention_rate) from marts.{MARTS[1]} "
                               "where months_since_acquisition = 0")
    assert at_zero.iloc[0].tolist() == [1.0, 1.0]
