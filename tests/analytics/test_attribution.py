"""Attribution models against figures computed by hand (see the comments for the arithmetic)."""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from analytics.attribution import MODELS, attribute, markov_removal_effects

PURCHASE_AT = datetime(2026, 3, 20, 12, 0)


def _touches(order_id: str, value: float, channels_days_before: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([
        {"order_id": order_id, "customer_id": "c1", "order_value": value, "converted_at": PURCHASE_AT,
         "touch_index": i, "channel": channel, "occurred_at": PURCHASE_AT - timedelta(days=days)}
        for i, (channel, days) in enumerate(channels_days_before)
    ])


# The classic three-path example: social>web>store converts, social alone and web>store do not.
# start->social 2/3, start->web 1/3; social->web 1/2, social->null 1/2; web->store 1; store->conv 1/2.
# P(conv) = 2/3*1/2*1*1/2 + 1/3*1*1/2 = 1/3. Without social: 1/3*1/2 = 1/6 -> effect 0.5;
# without web or store nothing converts -> effect 1. Normalised: social 0.2, web 0.4, store 0.4.
CLASSIC_PATHS = [(["social", "web", "store"], True), (["social"], False), (["web", "store"], False)]


def test_markov_removal_effects_classic_example():
    effects = markov_removal_effects(CLASSIC_PATHS)
    assert effects == pytest.approx({"social": 0.5, "web": 1.0, "store": 1.0})


def test_markov_removal_effects_with_a_loop():
    # A>B converts, B>A drops, A drops. start->A 2/3, ->B 1/3; A->B 1/3, A->null 2/3; B->conv 1/2, B->A 1/2.
    # x_A = x_B/3, x_B = 1/2 + x_A/2 -> x_B = 3/5, x_A = 1/5; P = 2/3*1/5 + 1/3*3/5 = 1/3.
    # Without A: x_B = 1/2, P = 1/6 -> 0.5; without B: 0 -> 1.
    effects = markov_removal_effects([(["A", "B"], True), (["B", "A"], False), (["A"], False)])
    assert effects == pytest.approx({"A": 0.5, "B": 1.0})


def test_markov_ignores_consecutive_repeats_and_handles_no_conversion():
    repeated = [(["social", "social", "web", "web", "store"], True), (["social"], False),
                (["web", "store", "store"], False)]
    assert markov_removal_effects(repeated) == pytest.approx(markov_removal_effects(CLASSIC_PATHS))
    assert markov_removal_effects([(["web"], False)]) == {}


def _credits(touches: pd.DataFrame, paths: list[tuple[list[str], bool]]) -> dict[tuple[str, str], float]:
    frame = attribute(touches, pd.DataFrame(paths, columns=["channel_path", "is_converted"]))
    return {(row.model, row.channel): row.credit_amount for row in frame.itertuples()}


def test_each_model_credits_a_hand_computed_purchase():
    # $100 purchase in store; touches social 10 days before, web 3 days, web 1 day, store purchase.
    touches = _touches("o1", 100.0, [("social", 10), ("web", 3), ("web", 1), ("store", 0)])
    credits = _credits(touches, CLASSIC_PATHS)
    # time decay, half-life 7 days: weights 2^-(10/7)=0.371499, 2^-(3/7)=0.742997, 2^-(1/7)=0.905724, 1;
    # sum 3.020220 -> social 12.30 %, web 54.59 %, store 33.11 % (cents by largest remainder)
    expected = {
        ("first_touch", "social"): 100.0,
        ("last_touch", "store"): 100.0,
        ("linear", "social"): 25.0, ("linear", "web"): 50.0, ("linear", "store"): 25.0,
        ("time_decay", "social"): 12.30, ("time_decay", "web"): 54.59, ("time_decay", "store"): 33.11,
        ("position_based", "social"): 40.0, ("position_based", "web"): 20.0,
        ("position_based", "store"): 40.0,
        ("markov", "social"): 20.0, ("markov", "web"): 40.0, ("markov", "store"): 40.0,
    }
    assert credits == pytest.approx(expected, abs=0.005)


def test_position_based_with_one_and_two_touches():
    touches = pd.concat([_touches("single", 30.0, [("store", 0)]),
                         _touches("pair", 50.0, [("web", 2), ("store", 0)])])
    frame = attribute(touches, pd.DataFrame({"channel_path": [["web", "store"]], "is_converted": [True]}))
    position = frame[frame.model == "position_based"].set_index(["order_id", "channel"])["credit_amount"]
    assert position.to_dict() == {("pair", "store"): 25.0, ("pair", "web"): 25.0, ("single", "store"): 30.0}


def test_credits_sum_to_purchase_value_for_every_model():
    rng = np.random.default_rng(3)
    channels = ["web", "store", "social", "review"]
    frames, paths = [], []
    for n in range(200):
        length = int(rng.integers(1, 7))
        path = [(str(rng.choice(channels)), float(rng.uniform(0, 40))) for _ in range(length)]
        path.sort(key=lambda item: -item[1])
        value = round(float(rng.uniform(0.01, 500)), 2)
        frames.append(_touches(f"o{n}", value, path))
        paths.append(([c for c, _ in path], bool(rng.random() < 0.4)))
    touches = pd.concat(frames, ignore_index=True)
    frame = attribute(touches, pd.DataFrame(paths, columns=["channel_path", "is_converted"]))
    assert set(frame["model"]) == set(MODELS)
    values = touches.groupby("order_id")["order_value"].first()
    sums = frame.groupby(["order_id", "model"])["credit_amount"].sum().unstack()
    assert len(sums) == 200
    for model in MODELS:
        assert np.abs(sums[model] - values.loc[sums.index]).max() < 1e-6, model
    shares = frame.groupby(["order_id", "model"])["credit_share"].sum()
    assert np.allclose(shares, 1.0)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="missing columns \\['customer_id', 'order_value'"):
        attribute(pd.DataFrame({"order_id": ["o1"]}), pd.DataFrame(columns=["channel_path", "is_converted"]))
