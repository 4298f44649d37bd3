"""The cross-channel KPIs of a built warehouse against the world's ground truth.

These are the figures that read zero on a retailer the project had never seen (issue "Any real
retailer"): pickup in store, ship-from-store, online orders returned in a store, SKU-days with a
web/store price gap, and revenue per channel on one basis. Both sides are counted from their own
records only: the mart side from the published marts, the truth side from the simulator's truth
files (touchpoints, planted anomalies, kpis.json), never from the warehouse's own flags.

`score_kpis(warehouse, truth_dir)` -> {kpi: {"mart", "truth", "relative_error"}}; revenue is one
entry per (channel, currency). Used by the end-to-end truth tests and the benchmark's dialect section.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

# The truth's fulfilment vocabulary is the mart's (docs/INTERFACES.md, fct_touchpoints).
FULFILMENT_KPIS = {"pickup_in_store_orders": "pickup_in_store", "ship_from_store_orders": "ship_from_store"}


def relative_error(mart: float | None, truth: float | None) -> float | None:
    """|mart - truth| / truth; 0 when both are 0, None when the truth is 0 and the mart is not."""
    if mart is None or truth is None:
        return None
    if truth == 0:
        return 0.0 if mart == 0 else None
    return abs(mart - truth) / abs(truth)


def _entry(mart: float | None, truth: float | None) -> dict[str, Any]:
    return {"mart": mart, "truth": truth, "relative_error": relative_error(mart, truth)}


def truth_kpis(truth_dir: Path) -> dict[str, Any]:
    """The truth side, from the truth files alone."""
    truth_dir = Path(truth_dir)
    touchpoints, planted = str(truth_dir / "touchpoints.parquet"), str(truth_dir / "planted.parquet")
    kpis = json.loads((truth_dir / "kpis.json").read_text())
    with duckdb.connect() as con:
        found: dict[str, Any] = {
            name: con.execute(
                "select count(*) from read_parquet(?) where touchpoint_type = 'purchase' and source = 'shopify' "
                "and fulfilment_type = ?", [touchpoints, fulfilment]).fetchone()[0]
            for name, fulfilment in FULFILMENT_KPIS.items()
        }
        found["web_orders_returned_in_store"] = con.execute(
            "select count(distinct order_id) from read_parquet(?) where kind = 'cross_channel_return' "
            "and purchase_channel = 'web' and return_channel = 'store'", [planted]).fetchone()[0]
        # a gap is a fact of the price lists; a store sale that day is what makes it a sale at a wrong price
        found["price_gap_sku_days_sold_in_store"] = con.execute(
            "select count(*) from (select distinct sku, date from read_parquet(?) where kind = 'price_difference' "
            "and store_orders > 0)", [planted]).fetchone()[0]
    revenue = kpis.get("revenue_by_channel_currency")
    if revenue is None:  # a world from before currencies: every channel in the manifest's one currency
        currency = kpis.get("currency", "USD")
        revenue = {channel: {currency: amount} for channel, amount in kpis["revenue_by_channel"].items()}
    found["revenue"] = {(channel, currency): float(amount)
                        for channel, by_currency in revenue.items() for currency, amount in by_currency.items()}
    return found


def mart_kpis(warehouse: Path) -> dict[str, Any]:
    """The mart side, from the public marts alone."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found: dict[str, Any] = {
            name: con.execute("select count(*) from marts.fct_orders where channel = 'web' and not is_cancelled "
                              "and fulfilment_type = ?", [fulfilment]).fetchone()[0]
            for name, fulfilment in FULFILMENT_KPIS.items()
        }
        found["web_orders_returned_in_store"] = con.execute(
            "select count(*) from marts.fct_orders where channel = 'web' "
            "and list_contains(string_split(coalesce(return_channels, ''), ','), 'store')").fetchone()[0]
        found["price_gap_sku_days_sold_in_store"] = con.execute(
            "select count(*) from (select distinct sku, day from marts.kpi_price_consistency where is_violation)"
        ).fetchone()[0]
        found["revenue"] = {
            (channel, currency): float(amount) for channel, currency, amount in con.execute(
                "select channel, currency, sum(revenue_amount) from marts.fct_orders where not is_cancelled "
                "group by all").fetchall()
        }
    return found


def score_kpis(warehouse: str | Path, truth_dir: str | Path) -> dict[str, Any]:
    """Each KPI's mart value, truth value and relative error; revenue per (channel, currency)."""
    mart, truth = mart_kpis(Path(warehouse)), truth_kpis(Path(truth_dir))
    scores = {name: _entry(mart[name], truth[name]) for name in truth if name != "revenue"}
    for key in sorted(set(mart["revenue"]) | set(truth["revenue"])):
        scores[f"revenue {key[0]} {key[1]}"] = _entry(round(mart["revenue"].get(key, 0.0), 2),
                                                      round(truth["revenue"].get(key, 0.0), 2))
    return scores
