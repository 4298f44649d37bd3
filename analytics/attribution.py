"""Multi-touch attribution: which channels get credit for a purchase, under six models.

Why Python and not SQL: the data-driven model needs a linear solve (the absorbing Markov chain), and
keeping all six models in one function makes "credits of every model sum to the purchase value" a
property of one piece of code that is unit-tested against hand-computed figures.

Inputs are pandas frames so the dbt Python model (`int_attribution_credits`) can hand over its
relations directly:

- touches: one row per touchpoint of a purchase's journey, up to and including the purchase itself,
  columns `order_id, customer_id, order_value, converted_at, touch_index, channel, occurred_at`.
- paths: one row per journey (converting or not), columns `channel_path` (list of channels in
  order) and `is_converted`; the Markov chain is estimated from these.

Models (the `model` column of the output):
- `first_touch` / `last_touch`: all credit to the first / last touch (the last is the purchase itself,
  so the channel that closed the sale).
- `linear`: equal credit per touch.
- `time_decay`: a touch's weight halves every `half_life_days` before the purchase (default 7 days,
  the convention of the common ad platforms).
- `position_based`: 40 % first touch, 40 % last, 20 % shared by the touches in between (one touch:
  100 %; two touches: 50/50).
- `markov`: first-order Markov chain over channels with start, conversion and null states; a
  channel's removal effect is 1 - P(conversion without the channel) / P(conversion), solved exactly
  on the absorbing chain (no simulation, so it is deterministic). A purchase's value is split over the
  distinct channels on its path in proportion to their removal effects.

Credits are allocated in cents with the largest-remainder method, so the credits of every model sum
exactly to the purchase value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

DEFAULT_HALF_LIFE_DAYS = 7.0
MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based", "markov")
_START, _CONVERSION, _NULL = "(start)", "(conversion)", "(null)"
_TOUCH_COLUMNS = ("order_id", "customer_id", "order_value", "converted_at", "touch_index", "channel",
                  "occurred_at")
OUTPUT_COLUMNS = ["order_id", "customer_id", "channel", "model", "credit_share", "credit_amount"]


def _collapse_repeats(path: Sequence[str]) -> list[str]:
    """Drop consecutive repeats: self-loops do not change absorption probabilities."""
    return [channel for i, channel in enumerate(path) if i == 0 or channel != path[i - 1]]


def _conversion_probability(transitions: Counter[tuple[str, str]], states: list[str],
                            removed: str | None = None) -> float:
    """P(reaching conversion from start) on the absorbing chain; `removed` channel leads to null."""
    transient = [_START, *states]
    index = {state: i for i, state in enumerate(transient)}
    q = np.zeros((len(transient), len(transient)))
    r = np.zeros(len(transient))
    outgoing: Counter[str] = Counter()
    for (source, _), count in transitions.items():
        outgoing[source] += count
    for (source, target), count in transitions.items():
        if source == removed:
            continue  # the removed channel's row stays zero: it absorbs into null
        probability = count / outgoing[source]
        if target == _CONVERSION:
            r[index[source]] += probability
        elif target != _NULL and target != removed:
            q[index[source], index[target]] += probability
    absorbed = np.linalg.solve(np.eye(len(transient)) - q, r)
    return float(absorbed[index[_START]])


def markov_removal_effects(paths: Iterable[tuple[Sequence[str], bool]]) -> dict[str, float]:
    """Removal effect per channel from (channel path, converted?) pairs of all journeys.

    Returns {} when nothing converted (no credit to explain)."""
    transitions: Counter[tuple[str, str]] = Counter()
    for path, converted in paths:
        chain = [_START, *_collapse_repeats(list(path)), _CONVERSION if converted else _NULL]
        if len(chain) == 2:
            continue  # a journey without touches says nothing about channels
        transitions.update(pairwise(chain))
    states = sorted({s for pair in transitions for s in pair} - {_START, _CONVERSION, _NULL})
    baseline = _conversion_probability(transitions, states)
    if baseline == 0:
        return {}
    return {channel: 1.0 - _conversion_probability(transitions, states, removed=channel) / baseline
            for channel in states}


def _touch_weights(touches: pd.DataFrame, model: str, half_life_days: float,
                   removal_effects: dict[str, float]) -> pd.Series:
    """Unnormalised weight of each touch under one model (normalised per order afterwards)."""
    position = touches["touch_index"]
    count = touches.groupby("order_id")["touch_index"].transform("size")
    first = position == 0
    last = position == count - 1
    if model == "first_touch":
        return first.astype(float)
    if model == "last_touch":
        return last.astype(float)
    if model == "linear":
        return pd.Series(1.0, index=touches.index)
    if model == "time_decay":
        age_days = (touches["converted_at"] - touches["occurred_at"]).dt.total_seconds() / 86400.0
        return np.power(0.5, age_days.clip(lower=0) / half_life_days)
    if model == "position_based":
        middle_share = 0.2 / (count - 2).where(count > 2, 1)
        weights = np.where(first | last, np.where(count == 1, 1.0, np.where(count == 2, 0.5, 0.4)),
                           middle_share)
        return pd.Series(weights, index=touches.index)
    if model == "markov":
        # each distinct channel on the path gets its removal effect, spread over its touches
        per_channel = touches.groupby(["order_id", "channel"])["touch_index"].transform("size")
        effect = touches["channel"].map(removal_effects).fillna(0.0)
        weights = effect / per_channel
        # a path whose channels all have zero effect (cannot happen for a converting path in the
        # chain, but guard it) falls back to linear rather than losing its value
        no_signal = weights.groupby(touches["order_id"]).transform("sum") <= 0
        return weights.where(~no_signal, 1.0)
    raise ValueError(f"unknown attribution model {model!r}; expected one of {MODELS}")


def _allocate_cents(credits: pd.DataFrame) -> pd.Series:
    """Split each order's value in cents by share with largest remainders, so credits sum exactly."""
    order_cents = (credits["order_value"] * 100).round().astype("int64")
    exact = credits["credit_share"] * order_cents
    floored = np.floor(exact + 1e-9).astype("int64")
    keys = ["order_id", "model"]
    leftover = order_cents - floored.groupby([credits[k] for k in keys]).transform("sum")
    ranked = (credits.assign(_fraction=exact - floored)
              .sort_values([*keys, "_fraction", "channel"], ascending=[True, True, False, True])
              .groupby(keys).cumcount())
    extra = (ranked.reindex(credits.index) < leftover).astype("int64")
    return (floored + extra) / 100.0


def attribute(touches: pd.DataFrame, paths: pd.DataFrame,
              half_life_days: float = DEFAULT_HALF_LIFE_DAYS, models: Sequence[str] = MODELS) -> pd.DataFrame:
    """Credit per (order, channel, model); see the module docstring for the models and inputs.

    `models` picks a subset (an incremental caller re-credits every order under `markov`, whose chain
    moves with every new journey, but only changed orders under the others); `paths` is only read
    for `markov`. An order's credits depend on its own touches only (and the chain), whatever else
    is in `touches`.
    """
    missing = [c for c in _TOUCH_COLUMNS if c not in touches.columns]
    if missing:
        raise ValueError(f"attribution touches are missing columns {missing}")
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown attribution models {unknown}; expected some of {MODELS}")
    if touches.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    touches = touches.reset_index(drop=True)
    touches["converted_at"] = pd.to_datetime(touches["converted_at"])
    touches["occurred_at"] = pd.to_datetime(touches["occurred_at"])
    removal_effects = markov_removal_effects(
        (list(path), bool(converted)) for path, converted in zip(paths["channel_path"], paths["is_converted"],
                                                                  strict=True)) if "markov" in models else {}
    frames = []
    for model in models:
        weighted = touches.assign(weight=_touch_weights(touches, model, half_life_days, removal_effects))
        per_channel = (weighted.groupby(["order_id", "customer_id", "order_value", "channel"], dropna=False)
                       ["weight"].sum().reset_index())
        total = per_channel.groupby("order_id")["weight"].transform("sum")
        per_channel["credit_share"] = per_channel["weight"] / total
        per_channel["model"] = model
        frames.append(per_channel[per_channel["credit_share"] > 0])
    credits = pd.concat(frames, ignore_index=True)
    credits["credit_amount"] = _allocate_cents(credits)
    return credits[OUTPUT_COLUMNS].sort_values(["order_id", "model", "channel"]).reset_index(drop=True)
