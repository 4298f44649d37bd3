"""Predicted customer lifetime value with the classic BTYD pair: BG/NBD for how often, Gamma-Gamma for how much.

Library: `lifetimes` 0.11.3 (BetaGeoFitter = BG/NBD, Fader, Hardie & Lee 2005; GammaGammaFitter, Fader &
Hardie 2013). Its maintained successor, pymc-marketing, needs Python >= 3.12 and the project is on 3.11.
Only `lifetimes.fitters` and `lifetimes.utils` are imported: `lifetimes.datasets` needs pkg_resources.

What is predicted, per customer with at least one purchase (prospects get nothing: the models describe
buyers after their first purchase):
- a purchase is one calendar day (UTC) with at least one order; its value is the day's order value net
  of refunds (the caller supplies net values, never below 0);
- `predicted_purchases_12m`: expected purchases in the next 12 months of 30 days (360 days; lifetimes'
  month), from BG/NBD;
- `predicted_ltv_12m`: the sum over those 12 months of expected purchases x the Gamma-Gamma expected
  order value, each month discounted at `monthly_discount_rate` (default 1 % a month, about 12.7 % a
  year: a plain retail cost of capital). Revenue, not margin: the warehouse knows no costs.

The time axis ends at `observation_end`, which callers take from the data (the latest order date) so
that two runs on the same data give the same numbers; the fit itself is deterministic (fixed starting
point, no sampling). When the data cannot support a fit, nothing is made up: the predictions are null
and `fit_status` / `fit_detail` say why (also logged).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from lifetimes.fitters.beta_geo_fitter import BetaGeoFitter
from lifetimes.fitters.gamma_gamma_fitter import GammaGammaFitter
from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data
from scipy.special import hyp2f1

LOGGER = logging.getLogger(__name__)
DAYS_PER_MONTH = 30  # lifetimes' month when the time unit is days (its customer_lifetime_value)
TRANSACTION_COLUMNS = ("customer_id", "ordered_on", "order_value")
OUTPUT_COLUMNS = [
    "customer_id", "frequency", "recency_days", "age_days", "avg_repeat_order_value", "probability_alive",
    "predicted_purchases_12m", "expected_order_value", "predicted_ltv_12m", "observation_end",
    "fit_status", "fit_detail", "repeat_buyers", "model_params",
]
# fit_status values: the first two leave predictions, the others leave nulls where named
FITTED = "fitted"
NO_VALUE_MODEL = "purchases_only"  # BG/NBD fitted, Gamma-Gamma not: purchases predicted, value null
TOO_FEW_REPEAT_BUYERS = "too_few_repeat_buyers"
NOT_CONVERGED = "not_converged"
NO_TRANSACTIONS = "no_transactions"


@dataclass(frozen=True)
class LifetimeValueSettings:
    """The knobs, with the reasons for their defaults."""

    horizon_months: int = 12
    monthly_discount_rate: float = 0.01
    # lifetimes adds penalizer x (sum of squared parameters) to the mean negative log-likelihood: a
    # small one keeps the optimiser off the boundaries on thin data (lifetimes' docs suggest 0.001-0.1).
    # Gamma-Gamma's q grows as customers' average baskets differ less (about 10 on the demo worlds, 3.7
    # in lifetimes' CDNOW example) and the penalty with q squared, so Gamma-Gamma gets a tenth of it.
    penalizer: float = 0.001
    order_value_penalizer: float = 0.0001
    # BG/NBD has 4 parameters, Gamma-Gamma 3; below this many repeat buyers the estimates say more about
    # the optimiser's starting point than about the customers
    min_repeat_buyers: int = 20

    @property
    def horizon_days(self) -> int:
        return self.horizon_months * DAYS_PER_MONTH


DEFAULT_SETTINGS = LifetimeValueSettings()


@dataclass
class FittedModels:
    """The outcome of fitting both models on one RFM summary; a model is None when it could not be fitted."""

    purchases: BetaGeoFitter | None
    order_value: GammaGammaFitter | None
    status: str
    detail: str
    repeat_buyers: int

    def params(self) -> dict[str, dict[str, float]]:
        fitted = {"bg_nbd": self.purchases, "gamma_gamma": self.order_value}
        return {name: {key: round(float(value), 6) for key, value in model.params_.items()}
                for name, model in fitted.items() if model is not None}


def order_transactions(orders: duckdb.DuckDBPyRelation) -> tuple[pd.DataFrame, date | None]:
    """Transactions and the observation end from a relation shaped like marts.fct_orders.

    Every non-cancelled sale with a resolved customer; value = merchandise revenue net of refunds, never
    below 0 (a fully refunded order still counts as a visit). The observation end is the latest order
    date (UTC) of all non-cancelled sales, so it follows the data, not the wall clock. One definition
    for the dbt model and the holdout evaluation.
    """
    sales = orders.filter("not is_cancelled")
    latest_order_on = sales.aggregate("max(ordered_at)::date").fetchall()[0][0]  # ordered_at is UTC
    transactions = sales.filter("customer_id is not null").project(
        "customer_id, ordered_at as ordered_on, greatest(revenue_amount - refunded_amount, 0)::double as order_value"
    ).df()
    return transactions, latest_order_on


def validated_transactions(transactions: pd.DataFrame) -> pd.DataFrame:
    """The three transaction columns checked (errors name the bad row), ordered_on cut to the UTC day."""
    missing = [column for column in TRANSACTION_COLUMNS if column not in transactions.columns]
    if missing:
        raise ValueError(f"lifetime value: transactions lack column(s) {missing}; got {list(transactions.columns)}")
    frame = transactions.loc[:, list(TRANSACTION_COLUMNS)].copy()
    # the purchase day in UTC (naive timestamps are taken as UTC, as the warehouse stores them)
    frame["ordered_on"] = pd.to_datetime(frame["ordered_on"], utc=True).dt.tz_localize(None).dt.normalize()
    frame["order_value"] = pd.to_numeric(frame["order_value"], errors="raise").astype(float)
    bad = frame[frame["customer_id"].isna() | frame["ordered_on"].isna() | frame["order_value"].isna()
                | (frame["order_value"] < 0)]
    if not bad.empty:
        first = bad.iloc[0].to_dict()
        raise ValueError(f"lifetime value: {len(bad)} transaction(s) with a null id/date/value or a negative "
                         f"value (net of refunds must be >= 0), e.g. {first}")
    return frame.sort_values(["customer_id", "ordered_on", "order_value"], kind="stable")


def rfm_summary(transactions: pd.DataFrame, observation_end: date) -> pd.DataFrame:
    """BTYD summary per customer, in days: frequency (repeat purchase days), recency, T, monetary_value.

    `transactions` has customer_id, ordered_on (date or timestamp) and order_value (net, >= 0); purchases
    after `observation_end` are ignored. Sorted by customer_id (lifetimes keeps input order otherwise).
    """
    frame = validated_transactions(transactions)
    end = pd.Timestamp(observation_end)
    frame = frame[frame["ordered_on"] <= end]
    if frame.empty:
        return pd.DataFrame(columns=["frequency", "recency", "T", "monetary_value"],
                            index=pd.Index([], name="customer_id"))
    summary = summary_data_from_transaction_data(
        frame, "customer_id", "ordered_on", monetary_value_col="order_value", observation_period_end=end, freq="D")
    return summary.sort_index()


@contextlib.contextmanager
def _quiet_optimiser():
    """lifetimes prints scipy's result on a failed fit; keep that out of dbt's and the caller's stdout."""
    with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
        yield


def _fit_purchases(summary: pd.DataFrame, penalizer: float) -> BetaGeoFitter:
    model = BetaGeoFitter(penalizer_coef=penalizer)
    with _quiet_optimiser():
        model.fit(summary["frequency"], summary["recency"], summary["T"])
    if not all(np.isfinite(value) and value > 0 for value in model.params_.values):
        raise ConvergenceError(f"BG/NBD parameters not finite and positive: {dict(model.params_)}")
    return model


def _fit_order_value(repeaters: pd.DataFrame, penalizer: float) -> GammaGammaFitter:
    """Gamma-Gamma fitted on order values in units of the repeaters' median, then expressed in currency.

    The model is scale-equivariant (p and q do not change with the currency unit, v scales with it), but
    lifetimes' penalty on the squared parameters is not: fitted in dollars, v is in the hundreds and the
    penalty drags the fit (on the small demo world the population mean order value came out at 260
    against 123 observed). In units of the median every parameter is of order one.
    """
    unit = float(repeaters["monetary_value"].median())
    model = GammaGammaFitter(penalizer_coef=penalizer)
    with _quiet_optimiser():
        model.fit(repeaters["frequency"], repeaters["monetary_value"] / unit)
    model.params_["v"] = model.params_["v"] * unit
    if not all(np.isfinite(value) and value > 0 for value in model.params_.values):
        raise ConvergenceError(f"Gamma-Gamma parameters not finite and positive: {dict(model.params_)}")
    if not model.params_["q"] > 1:
        # the expected order value p*v/(q-1) has no finite mean for q <= 1
        raise ConvergenceError(f"Gamma-Gamma q = {model.params_['q']:.4g} <= 1 (no finite expected order value)")
    return model


def fit_models(summary: pd.DataFrame, settings: LifetimeValueSettings = DEFAULT_SETTINGS) -> FittedModels:
    """Fit BG/NBD on every customer and Gamma-Gamma on repeat buyers with a positive value.

    Never raises for data that cannot support a fit: the status says what is missing, and a warning
    is logged with the reason.
    """
    repeat_buyers = int((summary["frequency"] > 0).sum()) if len(summary) else 0
    if summary.empty:
        return _unfitted(NO_TRANSACTIONS, "no purchases up to the observation end", repeat_buyers)
    if repeat_buyers < settings.min_repeat_buyers:
        return _unfitted(TOO_FEW_REPEAT_BUYERS, f"{repeat_buyers} repeat buyers among {len(summary)} customers; "
                         f"the fit needs at least {settings.min_repeat_buyers}", repeat_buyers)
    try:
        purchases = _fit_purchases(summary, settings.penalizer)
    except (ConvergenceError, ValueError, FloatingPointError, np.linalg.LinAlgError) as error:
        return _unfitted(NOT_CONVERGED, f"BG/NBD fit failed: {_one_line(error)}", repeat_buyers)
    valued = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    if len(valued) < settings.min_repeat_buyers:
        detail = (f"{len(valued)} repeat buyers with a positive net order value; the Gamma-Gamma fit needs at "
                  f"least {settings.min_repeat_buyers}")
        return _partly_fitted(purchases, detail, repeat_buyers)
    try:
        order_value = _fit_order_value(valued, settings.order_value_penalizer)
    except (ConvergenceError, ValueError, FloatingPointError, np.linalg.LinAlgError) as error:
        return _partly_fitted(purchases, f"Gamma-Gamma fit failed: {_one_line(error)}", repeat_buyers)
    # Gamma-Gamma assumes order value independent of purchase frequency: the correlation shows how far off
    correlation = valued["frequency"].corr(valued["monetary_value"])
    return FittedModels(purchases, order_value, FITTED,
                        f"BG/NBD on {len(summary)} customers, Gamma-Gamma on {len(valued)} repeat buyers "
                        f"(frequency-value correlation {correlation:.3f})", repeat_buyers)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__


def _unfitted(status: str, detail: str, repeat_buyers: int) -> FittedModels:
    LOGGER.warning("lifetime value not predicted (%s): %s", status, detail)
    return FittedModels(None, None, status, detail, repeat_buyers)


def _partly_fitted(purchases: BetaGeoFitter, detail: str, repeat_buyers: int) -> FittedModels:
    LOGGER.warning("lifetime value not predicted, purchases only: %s", detail)
    return FittedModels(purchases, None, NO_VALUE_MODEL, detail, repeat_buyers)


def _finite_or_nan(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, np.nan)


def _closed_form_purchases(params: pd.Series, days: float, frequency, recency, age) -> np.ndarray:
    """E[purchases in the next `days` | x, t_x, T] under BG/NBD (Fader, Hardie & Lee 2005, eq. 10), evaluated
    directly.

    lifetimes evaluates it through log(2F1), which is undefined when the hypergeometric term is negative:
    that happens for a + b + x - 1 < 0, i.e. one-time buyers whenever a + b < 1 (short histories fit
    such values; the tiny demo world does). The expression itself stays finite and correct there
    (checked against a Monte Carlo of the BG/NBD process to within 0.5 %).
    """
    r, alpha, a, b = (float(params[name]) for name in ("r", "alpha", "a", "b"))
    x, t_x, t_age = (np.asarray(v, dtype=float) for v in (frequency, recency, age))
    z = days / (alpha + t_age + days)
    c = a + b + x - 1
    still_buying = 1 - ((alpha + t_age) / (alpha + t_age + days)) ** (r + x) * hyp2f1(r + x, b + x, c, z)
    dropout_odds = np.where(x > 0, a / (b + x - 1) * ((alpha + t_age) / (alpha + t_x)) ** (r + x), 0)
    return c / (a - 1) * still_buying / (1 + dropout_odds)


def expected_purchases(model: BetaGeoFitter, days: float, summary: pd.DataFrame) -> np.ndarray:
    """Expected purchase days in the next `days` per summary row: lifetimes' evaluation, and the same closed
    form evaluated directly where lifetimes' log-space evaluation is not finite; NaN where neither is."""
    frequency, recency, age = summary["frequency"], summary["recency"], summary["T"]
    with np.errstate(all="ignore"):
        predicted = _finite_or_nan(model.conditional_expected_number_of_purchases_up_to_time(
            days, frequency, recency, age))
        if np.isnan(predicted).any():
            direct = _finite_or_nan(_closed_form_purchases(model.params_, days, frequency, recency, age))
            predicted = np.where(np.isnan(predicted), direct, predicted)
    return predicted


def discounted_value(model: BetaGeoFitter, order_value: np.ndarray, summary: pd.DataFrame,
                     settings: LifetimeValueSettings) -> np.ndarray:
    """Sum over the horizon's months of (expected purchases in that month x order value) / (1 + rate)^month.

    The same sum as lifetimes' GammaGammaFitter.customer_lifetime_value (30-day months), built on
    `expected_purchases` so that it has its fallback.
    """
    month_ends = [expected_purchases(model, month * DAYS_PER_MONTH, summary)
                  for month in range(settings.horizon_months + 1)]
    return sum((month_ends[month] - month_ends[month - 1]) * order_value
               / (1 + settings.monthly_discount_rate) ** month
               for month in range(1, settings.horizon_months + 1))


def predict_lifetime_value(
    transactions: pd.DataFrame,
    observation_end: date | None = None,
    settings: LifetimeValueSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """One row per customer who bought up to `observation_end` (default: the latest purchase date).

    Columns: OUTPUT_COLUMNS. Predictions are null where a model could not be fitted (fit_status says
    which) and, row by row, where the model's formula is not finite for that customer's history.
    """
    frame = validated_transactions(transactions)
    if observation_end is None and frame.empty:
        LOGGER.warning("lifetime value not predicted (%s): no transactions", NO_TRANSACTIONS)
        return _typed(pd.DataFrame(columns=OUTPUT_COLUMNS))
    end = pd.Timestamp(observation_end) if observation_end is not None else frame["ordered_on"].max()
    summary = rfm_summary(frame, end)
    fitted = fit_models(summary, settings)
    result = pd.DataFrame({
        "customer_id": summary.index.to_numpy(),
        "frequency": summary["frequency"].astype("int64").to_numpy(),
        "recency_days": summary["recency"].astype("int64").to_numpy(),
        "age_days": summary["T"].astype("int64").to_numpy(),
        # lifetimes writes 0 for customers without a repeat purchase: they have no repeat value at all
        "avg_repeat_order_value": summary["monetary_value"].astype(float).where(summary["frequency"] > 0).to_numpy(),
    })
    for column in ("probability_alive", "predicted_purchases_12m", "expected_order_value", "predicted_ltv_12m"):
        result[column] = np.nan
    if fitted.purchases is not None:
        with np.errstate(all="ignore"):
            result["probability_alive"] = _finite_or_nan(fitted.purchases.conditional_probability_alive(
                summary["frequency"], summary["recency"], summary["T"]))
        result["predicted_purchases_12m"] = expected_purchases(fitted.purchases, settings.horizon_days, summary)
    if fitted.order_value is not None:
        order_value = _finite_or_nan(fitted.order_value.conditional_expected_average_profit(
            summary["frequency"], summary["monetary_value"]))
        result["expected_order_value"] = order_value
        result["predicted_ltv_12m"] = discounted_value(fitted.purchases, order_value, summary, settings)
    result["observation_end"] = end.date()
    result["fit_status"] = fitted.status
    result["fit_detail"] = _with_row_gaps(fitted, result)
    result["repeat_buyers"] = fitted.repeat_buyers
    result["model_params"] = json.dumps(fitted.params(), sort_keys=True)
    return _typed(result[OUTPUT_COLUMNS])


def _typed(result: pd.DataFrame) -> pd.DataFrame:
    """Fixed column types, so an empty or all-null result still lands in the warehouse with the right types."""
    return result.astype({
        "customer_id": "string", "frequency": "int64", "recency_days": "int64", "age_days": "int64",
        **{column: "float64" for column in ("avg_repeat_order_value", "probability_alive",
                                            "predicted_purchases_12m", "expected_order_value", "predicted_ltv_12m")},
        "observation_end": pd.ArrowDtype(pa.date32()), "fit_status": "string", "fit_detail": "string",
        "repeat_buyers": "int64", "model_params": "string",
    })


def _with_row_gaps(fitted: FittedModels, result: pd.DataFrame) -> str:
    """The fit detail, plus how many customers got a null because their formula was not finite."""
    gaps = []
    if fitted.purchases is not None and (missing := int(result["predicted_purchases_12m"].isna().sum())):
        gaps.append(f"{missing} customers without a finite purchase prediction")
    if fitted.order_value is not None and (missing := int(result["predicted_ltv_12m"].isna().sum())):
        gaps.append(f"{missing} customers without a finite value prediction")
    if gaps:
        LOGGER.warning("lifetime value: %s", "; ".join(gaps))
    return "; ".join([fitted.detail, *gaps])
