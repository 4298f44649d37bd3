"""Predicted lifetime value (analytics.lifetime_value, evaluation.lifetime_value, dim_customers.predicted_ltv).

The unit tests use a synthetic shop with groups of known behaviour, observed for one year; the slow test
reads the tiny world's published dim_customers from the shared pipeline run.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
from lifetimes.fitters.beta_geo_fitter import BetaGeoFitter
from lifetimes.utils import ConvergenceError

from analytics.lifetime_value import (
    FITTED,
    NO_VALUE_MODEL,
    NOT_CONVERGED,
    TOO_FEW_REPEAT_BUYERS,
    order_transactions,
    predict_lifetime_value,
)
from evaluation.lifetime_value import holdout_scores

START = date(2025, 1, 1)
END = date(2025, 12, 31)  # the latest purchase in the synthetic shop (a "steady" buyer buys that day)


def _buyer(group: str, number: int, days: list[int], value: float) -> list[dict]:
    return [{"customer_id": f"{group}-{number:02d}", "ordered_on": START + timedelta(days=day),
             "order_value": value} for day in days]


def synthetic_shop(group_size: int = 25) -> pd.DataFrame:
    """Five groups (offsets keep members apart, so ties are not an artefact):

    steady: every 14 days all year; lapsed: every 14 days until day 120, silent since;
    occasional: every 60 days all year, big baskets; one_time_old: one purchase in the first 30 days;
    one_time_new: one purchase in the last 20 days.
    """
    rows = []
    for n in range(group_size):
        rows += _buyer("steady", n, list(range(n % 14, 365, 14)) + ([364] if n == 0 else []), 40.0 + n)
        rows += _buyer("lapsed", n, list(range(n % 14, 121, 14)), 40.0 + n)
        rows += _buyer("occasional", n, list(range(n % 60, 365, 60)), 200.0 + n)
        rows += _buyer("one_time_old", n, [n % 30], 60.0)
        rows += _buyer("one_time_new", n, [345 + n % 20], 60.0)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def predictions() -> pd.DataFrame:
    frame = predict_lifetime_value(synthetic_shop())
    return frame.assign(group=frame["customer_id"].str.rsplit("-", n=1).str[0])


def _group_mean(predictions: pd.DataFrame, column: str) -> pd.Series:
    return predictions.groupby("group")[column].mean()


def test_fit_covers_every_buyer_with_the_data_end_as_now(predictions):
    assert len(predictions) == 125
    assert set(predictions["fit_status"]) == {FITTED}
    assert predictions["observation_end"].unique().tolist() == [END]
    for column in ("predicted_purchases_12m", "predicted_ltv_12m", "probability_alive", "expected_order_value"):
        assert predictions[column].notna().all(), column
        assert (predictions[column] >= 0).all(), column
    assert set(predictions["repeat_buyers"]) == {75}


def test_recent_frequent_buyers_are_predicted_to_buy_most(predictions):
    purchases = _group_mean(predictions, "predicted_purchases_12m")
    # a steady buyer purchased ~26 times a year and is still buying: expect many purchases, lapsed ones few
    assert purchases["steady"] > 15
    assert purchases["steady"] > 3 * purchases["lapsed"]
    assert purchases["steady"] > purchases["occasional"] > purchases["one_time_old"]
    assert purchases["one_time_new"] > purchases["one_time_old"]
    assert purchases["one_time_old"] < 1.0
    alive = _group_mean(predictions, "probability_alive")
    assert alive["steady"] > 0.9 and alive["lapsed"] < 0.2


def test_value_follows_basket_size_and_one_time_buyers_get_the_average_basket(predictions):
    order_value = _group_mean(predictions, "expected_order_value")
    assert order_value["occasional"] > 150 and 35 < order_value["steady"] < 60
    # no repeat purchase: the Gamma-Gamma population mean, the same for everyone
    one_timers = predictions[predictions["frequency"] == 0]
    assert one_timers["expected_order_value"].nunique() == 1
    assert one_timers["avg_repeat_order_value"].isna().all()
    ltv = _group_mean(predictions, "predicted_ltv_12m")
    assert ltv["steady"] > ltv["lapsed"] and ltv["steady"] > ltv["one_time_old"]


def test_output_is_deterministic_whatever_the_input_order():
    shop = synthetic_shop()
    first = predict_lifetime_value(shop)
    shuffled = predict_lifetime_value(shop.sample(frac=1.0, random_state=3).reset_index(drop=True))
    pd.testing.assert_frame_equal(first, shuffled)


def test_too_few_repeat_buyers_gives_nulls_and_a_logged_reason(caplog):
    shop = synthetic_shop()
    few = shop[~shop["customer_id"].str.startswith(("steady", "lapsed"))]
    few = few[~few["customer_id"].isin([f"occasional-{n:02d}" for n in range(10, 25)])]
    with caplog.at_level(logging.WARNING, logger="analytics.lifetime_value"):
        frame = predict_lifetime_value(few)
    assert len(frame) == 60
    assert set(frame["fit_status"]) == {TOO_FEW_REPEAT_BUYERS}
    assert frame["predicted_purchases_12m"].isna().all() and frame["predicted_ltv_12m"].isna().all()
    assert "10 repeat buyers among 60 customers" in frame["fit_detail"].iloc[0]
    assert "10 repeat buyers among 60 customers" in caplog.text
    assert frame["model_params"].iloc[0] == "{}"


def test_no_value_model_when_repeat_purchases_were_all_refunded():
    shop = synthetic_shop()
    first_days = shop.groupby("customer_id")["ordered_on"].transform("min")
    refunded = shop.assign(order_value=np.where(shop["ordered_on"] > first_days, 0.0, shop["order_value"]))
    frame = predict_lifetime_value(refunded)
    assert set(frame["fit_status"]) == {NO_VALUE_MODEL}
    assert frame["predicted_purchases_12m"].notna().all()
    assert frame["predicted_ltv_12m"].isna().all()
    assert "0 repeat buyers with a positive net order value" in frame["fit_detail"].iloc[0]


def test_a_fit_that_does_not_converge_gives_nulls_and_a_warning(monkeypatch, caplog):
    def no_convergence(*args, **kwargs):
        raise ConvergenceError("\nThe model did not converge.\n")

    monkeypatch.setattr(BetaGeoFitter, "fit", no_convergence)
    with caplog.at_level(logging.WARNING, logger="analytics.lifetime_value"):
        frame = predict_lifetime_value(synthetic_shop())
    assert set(frame["fit_status"]) == {NOT_CONVERGED}
    assert frame["predicted_purchases_12m"].isna().all() and frame["predicted_ltv_12m"].isna().all()
    assert frame["fit_detail"].iloc[0] == "BG/NBD fit failed: The model did not converge."
    assert "BG/NBD fit failed" in caplog.text


def test_purchases_after_the_observation_end_are_ignored():
    shop = synthetic_shop()
    cut = date(2025, 6, 30)
    frame = predict_lifetime_value(shop, cut)
    assert frame["observation_end"].unique().tolist() == [cut]
    assert not frame["customer_id"].str.startswith("one_time_new").any()
    steady = frame[frame["customer_id"] == "steady-00"].iloc[0]
    assert steady["frequency"] == len(range(0, 181, 14)) - 1 and steady["age_days"] == 180


def test_bad_transactions_are_named():
    shop = synthetic_shop().head(3).assign(order_value=[10.0, -5.0, 3.0])
    with pytest.raises(ValueError, match="negative value") as error:
        predict_lifetime_value(shop)
    assert "steady-00" in str(error.value)
    with pytest.raises(ValueError, match=r"lack column\(s\) \['order_value'\]"):
        predict_lifetime_value(shop.drop(columns="order_value"))


def test_order_transactions_count_non_cancelled_sales_net_of_refunds():
    orders = duckdb.sql("""
        select * from (values
            ('a', timestamp '2025-03-01 23:30', 100.00, 30.00, false),
            ('a', timestamp '2025-03-04 08:00', 50.00, 80.00, false),
            ('b', timestamp '2025-03-09 10:00', 20.00, 0.00, true),
            (null, timestamp '2025-03-08 10:00', 70.00, 0.00, false)
        ) as t(customer_id, ordered_at, revenue_amount, refunded_amount, is_cancelled)""")
    transactions, latest = order_transactions(orders)
    assert latest == date(2025, 3, 8)  # the anonymous sale counts for "now", the cancelled one does not
    assert transactions.sort_values("ordered_on")["order_value"].tolist() == [70.0, 0.0]


def test_holdout_counts_purchase_days_and_scores_both_forecasters():
    shop = synthetic_shop()
    scores = holdout_scores(shop, holdout_days=90)
    assert scores["calibration_end"] == "2025-10-02" and scores["holdout_end"] == "2025-12-31"
    assert scores["customers_in_calibration"] == 100  # one_time_new bought after the cut
    days = pd.to_datetime(shop["ordered_on"])
    late = shop[(days > "2025-10-02") & ~shop["customer_id"].str.startswith("one_time_new")]
    assert scores["actual_purchases"] == len(late.drop_duplicates(["customer_id", "ordered_on"]))
    assert scores["fit_status"] == FITTED and scores["customers_without_prediction"] == 0
    model, naive = scores["purchases"]["bg_nbd"], scores["purchases"]["naive"]
    # lapsed buyers stopped long ago: BG/NBD knows they are probably gone, the naive rate does not
    assert model["mae"] < naive["mae"]
    assert scores["spend"]["bg_nbd_gamma_gamma"]["mae"] < scores["spend"]["naive"]["mae"]


@pytest.mark.slow
def test_dim_customers_predicted_ltv_on_the_tiny_world(tiny_pipeline):
    """Every buyer gets the value the model computes from the published fct_orders; prospects get null."""
    with duckdb.connect(str(tiny_pipeline.snapshot), read_only=True) as snapshot:
        customers = snapshot.sql(
            "select customer_id, orders_count, predicted_ltv::double as predicted_ltv from marts.dim_customers").df()
        expected = predict_lifetime_value(*order_transactions(snapshot.table("marts.fct_orders")))
    assert set(expected["fit_status"]) == {FITTED}, expected["fit_detail"].iloc[0]
    buyers = customers[customers["orders_count"] > 0]
    assert len(buyers) > 100
    assert buyers["predicted_ltv"].notna().all() and (buyers["predicted_ltv"] >= 0).all()
    assert customers.loc[customers["orders_count"] == 0, "predicted_ltv"].isna().all()
    joined = buyers.merge(expected, on="customer_id", how="outer", validate="one_to_one", indicator=True)
    assert (joined["_merge"] == "both").all()
    assert np.allclose(joined["predicted_ltv"], joined["predicted_ltv_12m"].round(2), atol=0.006)
