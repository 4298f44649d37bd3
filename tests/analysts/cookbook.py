"""The cookbook's recipes (docs/analysts.md) and the checks of their answers, shared by the tests."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
RECIPE = re.compile(r"<!-- recipe: (\w+) -->\n```(sql|sh)\n(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Recipe:
    name: str
    language: str  # sql or sh (a `seamline metrics query` command)
    body: str


def recipes() -> dict[str, Recipe]:
    return {name: Recipe(name, language, body) for name, language, body in RECIPE.findall(COOKBOOK.read_text())}


def run(recipe: Recipe, snapshot: Path) -> pd.DataFrame:
    """The recipe's answer on the snapshot: SQL on a read-only connection, a metric through the CLI."""
    if recipe.language == "sql":
        with duckdb.connect(str(snapshot), read_only=True) as con:
            return con.execute(recipe.body).df()
    from orchestration.analysts.cli import main

    words = shlex.split(recipe.body.replace("\\\n", " "))
    assert words[:3] == ["seamline", "metrics", "query"], words
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*words[1:], "--csv", "--snapshot", str(snapshot)]) == 0
    out.seek(0)
    return pd.read_csv(out)


def one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    (value,) = con.execute(sql).fetchone()
    return float(value or 0)


def between(values: pd.Series, low: float, high: float) -> bool:
    values = values.dropna().astype(float)
    return bool(((values >= low - 1e-9) & (values <= high + 1e-9)).all())


def _handoffs_to_store(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert "store" not in set(answer["from_channel"])
    assert answer["handoffs"].sum() == one(con, "select count(*) from marts.fct_channel_handoffs where to_channel = 'store'")
    assert (answer["customers_handed_to_store"] <= answer["handoffs"]).all()
    assert list(answer["customers_handed_to_store"]) == sorted(answer["customers_handed_to_store"], reverse=True)


def _bopis_share_by_store(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert answer["web_orders"].sum() == one(
        con, "select sum(orders) from marts.kpi_fulfilment_returns where purchase_channel = 'web'")
    assert between(answer["share_of_all_web_orders"], 0, 1)
    assert answer["share_of_all_web_orders"].sum() <= 1 + 1e-9
    assert (answer["picked_up"] <= answer["web_orders"]).all()


def _price_gaps(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert (answer["days_with_gap"] > 0).all() and (answer["days_with_gap"] <= answer["days_compared"]).all()
    assert answer["days_with_gap"].sum() == one(con, "select count(*) from marts.kpi_price_consistency where is_violation")
    assert (answer["largest_gap"] > 0).all()


def _omnichannel_12_month_value(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert set(answer["customers"]) <= {"omnichannel", "single channel"}
    assert answer["customer_count"].sum() == one(con, "select count(*) from marts.dim_customers")
    assert (answer["avg_12_month_value"] >= 0).all()


def _monthly_revenue_by_channel(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    sales = answer.dropna(subset=["revenue"])
    by_currency = sales.groupby("touchpoint__currency")["revenue"].sum()
    for currency, revenue in by_currency.items():
        expected = one(con, f"""select sum(value_amount) from marts.fct_touchpoints
                                where touchpoint_type = 'purchase' and currency = '{currency}'""")
        assert abs(revenue - expected) < 0.01, currency
    assert ((sales["aov"] - sales["revenue"] / sales["orders"]).abs() < 1e-6).all()


def _omnichannel_share_monthly(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert between(answer["omnichannel_share"], 0, 1)
    assert (answer["active_customers"] <= one(con, "select count(*) from marts.dim_customers")).all()


def _conversion_by_entry_channel(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert between(answer["journey_conversion_rate"], 0, 1)
    assert answer["journeys"].sum() == one(con, "select count(*) from marts.fct_journeys")
    assert list(answer["journey_conversion_rate"]) == sorted(answer["journey_conversion_rate"], reverse=True)


def _attribution_by_model(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert between(answer["store_share"], 0, 1)
    assert set(answer["model"]) == {row[0] for row in con.execute("select distinct model from marts.fct_attribution").fetchall()}


def _store_reviews(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert between(answer["avg_rating"], 1, 5) and between(answer["response_rate"], 0, 1)
    assert answer["reviews"].sum() == one(con, """select sum(reviews) from marts.kpi_reviews_social_weekly
                                                 where location_id in (select location_id from marts.dim_locations)""")


def _ropo_by_store(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert between(answer["ropo_share"], 0, 1)
    assert answer["store_purchases"].sum() == one(con, """select count(*) from marts.fct_touchpoints
        where channel = 'store' and touchpoint_type = 'purchase'
          and location_id in (select location_id from marts.dim_locations)""")


def _top_purchase_paths(answer: pd.DataFrame, con: duckdb.DuckDBPyConnection) -> None:
    assert len(answer) <= 10 and between(answer["conversion"], 0, 1)
    assert (answer["purchases"] <= answer["journeys"]).all() and (answer["journeys"] >= 3).all()


CHECKS: dict[str, Callable[[pd.DataFrame, duckdb.DuckDBPyConnection], None]] = {
    "handoffs_to_store": _handoffs_to_store,
    "bopis_share_by_store": _bopis_share_by_store,
    "price_gaps": _price_gaps,
    "omnichannel_12_month_value": _omnichannel_12_month_value,
    "monthly_revenue_by_channel": _monthly_revenue_by_channel,
    "omnichannel_share_monthly": _omnichannel_share_monthly,
    "conversion_by_entry_channel": _conversion_by_entry_channel,
    "attribution_by_model": _attribution_by_model,
    "store_reviews": _store_reviews,
    "ropo_by_store": _ropo_by_store,
    "top_purchase_paths": _top_purchase_paths,
}


def check(name: str, snapshot: Path) -> pd.DataFrame:
    """Run the recipe and check its answer against the marts; the answer."""
    answer = run(recipes()[name], snapshot)
    assert len(answer) > 0, f"{name} returned no rows"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        CHECKS[name](answer, con)
    return answer
