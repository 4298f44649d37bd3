"""Holdout check of the lifetime-value model: does BG/NBD predict next-quarter purchases better than naive?

The transactions are cut at `holdout_days` (90) before the latest purchase date: the models are fitted
on the calibration period only (`analytics.lifetime_value.fit_models`, the same code and settings as the
dbt model) and each calibration customer's purchases in the holdout are predicted and compared with what
happened. The baseline is the naive forecast "each customer keeps the repeat-purchase rate seen so far"
(repeat purchase days / days since the first purchase). A purchase is a purchase day, as in the model.

Two sources of transactions: the warehouse's fct_orders (what the product fits on, identity errors
included; values net of refunds) and the world's truth touchpoints (the model alone, every purchase
with its true person; values gross, as the truth has no refund-to-order link).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.lifetime_value import (
    DEFAULT_SETTINGS,
    LifetimeValueSettings,
    expected_purchases,
    fit_models,
    order_transactions,
    rfm_summary,
    validated_transactions,
)

HOLDOUT_DAYS = 90


def transactions_from_warehouse(warehouse: Path | str) -> pd.DataFrame:
    """customer_id, ordered_on, order_value from a built warehouse's marts.fct_orders (read-only)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        transactions, _ = order_transactions(connection.table("marts.fct_orders"))
    return transactions


def transactions_from_truth(truth_dir: Path | str) -> pd.DataFrame:
    """The same shape from the world's ground truth: every purchase touchpoint with its true person."""
    path = Path(truth_dir) / "touchpoints.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"lifetime value evaluation: truth file not found: {path}")
    return duckdb.sql(
        "select person_id as customer_id, timezone('UTC', occurred_at) as ordered_on, value as order_value "
        f"from read_parquet('{path.as_posix()}') where touchpoint_type = 'purchase' and person_id is not null"
    ).df()


def _errors(predicted: pd.Series, actual: pd.Series) -> dict[str, float]:
    """Per-customer MAE / RMSE and the error of the total (predicted minus actual, and relative)."""
    difference = predicted - actual
    total_actual, total_predicted = float(actual.sum()), float(predicted.sum())
    return {
        "mae": round(float(difference.abs().mean()), 4),
        "rmse": round(float(np.sqrt((difference ** 2).mean())), 4),
        "total_predicted": round(total_predicted, 2),
        "total_error": round(total_predicted - total_actual, 2),
        "total_relative_error": round((total_predicted - total_actual) / total_actual, 4) if total_actual else None,
    }


def holdout_scores(
    transactions: pd.DataFrame,
    holdout_days: int = HOLDOUT_DAYS,
    settings: LifetimeValueSettings = DEFAULT_SETTINGS,
) -> dict[str, Any]:
    """Fit on all but the last `holdout_days` and score the holdout's purchases (and spend) per customer.

    Returns the calibration/holdout dates, customer and purchase counts, the fit status, and for
    purchases and spend the errors of the model and of the naive baseline. Model figures are None when
    the calibration data could not support a fit (the status says why), never a stand-in.
    """
    transactions = validated_transactions(transactions)
    if transactions.empty:
        raise ValueError("lifetime value evaluation: no transactions to split into calibration and holdout")
    end = transactions["ordered_on"].max()
    calibration_end = end - pd.Timedelta(days=holdout_days)
    calibration = rfm_summary(transactions, calibration_end)
    fitted = fit_models(calibration, settings)

    in_holdout = transactions[transactions["ordered_on"] > calibration_end]
    per_day = in_holdout.groupby(["customer_id", "ordered_on"])["order_value"].sum().reset_index()
    actual = per_day.groupby("customer_id").agg(purchases=("ordered_on", "size"), spend=("order_value", "sum"))
    actual = actual.reindex(calibration.index, fill_value=0)

    age = calibration["T"].clip(lower=1)
    naive_purchases = calibration["frequency"] / age * holdout_days
    naive_spend = calibration["frequency"] * calibration["monetary_value"] / age * holdout_days
    scores: dict[str, Any] = {
        "calibration_end": calibration_end.date().isoformat(),
        "holdout_end": end.date().isoformat(),
        "holdout_days": holdout_days,
        "customers_in_calibration": len(calibration),
        "customers_in_data": int(transactions["customer_id"].nunique()),
        "repeat_buyers_in_calibration": fitted.repeat_buyers,
        "fit_status": fitted.status,
        "fit_detail": fitted.detail,
        "model_params": fitted.params(),
        "actual_purchases": int(actual["purchases"].sum()),
        "actual_spend": round(float(actual["spend"].sum()), 2),
        "customers_buying_in_holdout": int((actual["purchases"] > 0).sum()),
        "purchases": {"naive": _errors(naive_purchases, actual["purchases"]), "bg_nbd": None},
        "spend": {"naive": _errors(naive_spend, actual["spend"]), "bg_nbd_gamma_gamma": None},
    }
    if fitted.purchases is not None:
        predicted = pd.Series(expected_purchases(fitted.purchases, holdout_days, calibration), index=calibration.index)
        scores["purchases"]["bg_nbd"] = _errors(predicted, actual["purchases"])
        # a customer whose formula is not finite is left out of the means: say how many
        scores["customers_without_prediction"] = int(predicted.isna().sum())
        if fitted.order_value is not None:
            order_value = fitted.order_value.conditional_expected_average_profit(
                calibration["frequency"], calibration["monetary_value"]).to_numpy()
            scores["spend"]["bg_nbd_gamma_gamma"] = _errors(predicted * order_value, actual["spend"])
    return scores
