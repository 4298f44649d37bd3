"""Predicted lifetime value: BG/NBD holdout accuracy against the naive baseline, and the model's cost.

`evaluation.lifetime_value.holdout_scores` fits on all but the last 90 days of the world and predicts
each customer's purchases (and spend) in those 90 days; the baseline keeps each customer's historic
repeat-purchase rate. It runs on the warehouse each end-to-end run built (fct_orders: identity errors
included) and on the world's truth (the model alone). The time is what dbt reported for
int_customer_lifetime_value, median over the end-to-end builds, plus one in-process prediction.
Whichever forecaster wins is reported as it is. The truth's figures come first: the warehouse's are
scored against the warehouse's own holdout orders, so they say how well it predicts its own output,
not the world.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.context import BenchContext, Section, Table, require
from benchmarks.pipeline import built_runs, scored_against_truth

KEY = "lifetime_value"
TITLE = "Predicted lifetime value (BG/NBD + Gamma-Gamma, 90-day holdout vs naive)"
MODEL_PATH = "models/intermediate/customers/int_customer_lifetime_value.py"
WAREHOUSE_LABEL = "(scored against the warehouse's own output)"


def score(warehouse: str, truth_dir: str) -> dict[str, Any]:
    """Child-process body: holdout scores on the warehouse and on the truth, and one full prediction's time."""
    from analytics.lifetime_value import predict_lifetime_value
    from evaluation.lifetime_value import holdout_scores, transactions_from_truth, transactions_from_warehouse

    transactions = transactions_from_warehouse(warehouse)
    started = time.perf_counter()
    predictions = predict_lifetime_value(transactions)
    predict_seconds = time.perf_counter() - started
    return {
        "warehouse": holdout_scores(transactions),
        "truth": holdout_scores(transactions_from_truth(truth_dir)),
        "predict_seconds": round(predict_seconds, 3),
        "customers_predicted": int(predictions["predicted_ltv_12m"].notna().sum()),
        "customers": len(predictions),
    }


def model_seconds(transform_result: dict[str, Any]) -> float | None:
    """Seconds dbt spent on int_customer_lifetime_value in one transform stage (None: not in the build)."""
    seconds = [node["seconds"] for node in transform_result.get("nodes", []) if MODEL_PATH in node.get("path", "")]
    return sum(seconds) if seconds else None


def _rows(source: str, scores: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for target, forecasters in (("purchases", scores["purchases"]), ("spend (USD)", scores["spend"])):
        for forecaster, errors in forecasters.items():
            if errors is None:
                rows.append([source, target, forecaster, f"not fitted: {scores['fit_status']}", "", "", ""])
                continue
            actual = scores["actual_purchases"] if target == "purchases" else scores["actual_spend"]
            rows.append([source, target, forecaster, errors["mae"], errors["rmse"],
                         f"{errors['total_predicted']:,.0f} vs {actual:,.0f}", errors["total_relative_error"]])
    return rows


def _beats(scores: dict[str, Any]) -> str:
    model = scores["purchases"]["bg_nbd"]
    if model is None:
        return f"not fitted ({scores['fit_status']})"
    naive = scores["purchases"]["naive"]
    verdict = "beats" if model["mae"] < naive["mae"] else "does NOT beat"
    return f"BG/NBD {verdict} naive: purchase MAE {model['mae']:.3f} vs {naive['mae']:.3f}"


def measure(ctx: BenchContext) -> Section:
    require("evaluation.lifetime_value", "holdout_scores")
    section = Section(KEY, TITLE)
    figures: dict[str, Any] = {}
    for scale in ctx.scales:
        runs = built_runs(ctx, scale)
        child = scored_against_truth(runs[-1], "benchmarks.lifetime_value:score", cwd=ctx.repo_root)
        dbt_seconds = [s for s in (model_seconds(run.stages["transform"].result) for run in runs) if s is not None]
        result = child.result
        figures[scale] = {**result, "child_seconds": round(child.seconds, 3),
                          "dbt_model_s_median": round(statistics.median(dbt_seconds), 3) if dbt_seconds else None}
        warehouse = result["warehouse"]
        section.tables.append(Table(
            f"**{scale} world**: calibration to {warehouse['calibration_end']}, holdout "
            f"{warehouse['holdout_days']} days to {warehouse['holdout_end']}; "
            f"{warehouse['customers_in_calibration']:,} customers in calibration (warehouse); "
            + (f"dbt model {statistics.median(dbt_seconds):.2f} s (median of {len(dbt_seconds)} builds), "
               if dbt_seconds else "")
            + f"full prediction of {result['customers']:,} customers {result['predict_seconds']:.2f} s",
            ["data", "target", "forecaster", "MAE per customer", "RMSE", "total predicted vs actual",
             "total relative error"],
            _rows("truth", result["truth"]) + _rows(f"warehouse {WAREHOUSE_LABEL}", warehouse)))
    section.figures = {"scales": figures, "headline": [
        f"{scale}: {_beats(f['truth'])} (truth); {_beats(f['warehouse'])} {WAREHOUSE_LABEL}"
        for scale, f in figures.items()]}
    section.notes += [
        ("naive = each customer's repeat purchase days so far / days since the first purchase x 90 (spend: "
         "the same with the customer's repeat spend). A purchase is a day with orders, as in the model."),
        ("truth = fitted and scored on every purchase touchpoint with its true person (gross values); "
         f"warehouse {WAREHOUSE_LABEL} = fitted and scored on marts.fct_orders as the dbt model reads it "
         "(non-cancelled, net of refunds, resolved customers), identity errors included on both sides."),
    ]
    return section
