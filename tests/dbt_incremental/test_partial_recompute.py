"""The properties the incremental Python models rely on, checked without dbt (fast).

- Attribution: an order's rule-based credits computed with only the changed orders equal those of a
  run over every order, so int_attribution_credits may re-credit a subset.
- Sentiment: only new texts and texts edited since they were scored are scored again.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import pytest

from analytics.attribution import MODELS, attribute
from analytics.incremental_sentiment import TEXT_FINGERPRINT, score_unscored_texts

RULE_BASED = tuple(model for model in MODELS if model != "markov")


def _touches() -> pd.DataFrame:
    rows = [
        ("o1", "c1", 100.00, "2026-01-10", 0, "social", "2026-01-01"),
        ("o1", "c1", 100.00, "2026-01-10", 1, "web", "2026-01-05"),
        ("o1", "c1", 100.00, "2026-01-10", 2, "store", "2026-01-10"),
        ("o2", "c2", 33.33, "2026-02-03", 0, "web", "2026-02-01"),
        ("o2", "c2", 33.33, "2026-02-03", 1, "web", "2026-02-02"),
        ("o2", "c2", 33.33, "2026-02-03", 2, "web", "2026-02-03"),
        ("o3", None, 12.50, "2026-03-01", 0, "store", "2026-03-01"),
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_value", "converted_at", "touch_index",
                                        "channel", "occurred_at"])
    return frame.astype({"converted_at": "datetime64[ns]", "occurred_at": "datetime64[ns]"})


def _paths() -> pd.DataFrame:
    return pd.DataFrame({"channel_path": [["social", "web", "store"], ["web"], ["store"], ["social"]],
                         "is_converted": [True, True, True, False]})


def test_rule_based_credits_of_a_subset_equal_those_of_a_run_over_every_order():
    touches = _touches()
    every_order = attribute(touches, _paths())
    subset = attribute(touches[touches["order_id"] == "o2"], _paths().iloc[0:0], models=RULE_BASED)
    expected = every_order[(every_order["order_id"] == "o2") & (every_order["model"] != "markov")]
    pd.testing.assert_frame_equal(subset.reset_index(drop=True), expected.reset_index(drop=True))
    assert sorted(subset["model"].unique()) == sorted(RULE_BASED)
    # o2 has one channel: every rule gives web the whole 33.33
    assert subset["credit_amount"].tolist() == [33.33] * len(RULE_BASED)


def test_markov_alone_equals_markov_of_the_full_run():
    touches = _touches()
    every_order = attribute(touches, _paths())
    markov = attribute(touches, _paths(), models=("markov",))
    pd.testing.assert_frame_equal(markov.reset_index(drop=True),
                                  every_order[every_order["model"] == "markov"].reset_index(drop=True))


def test_an_unknown_model_is_named_in_the_error():
    with pytest.raises(ValueError, match="last_click"):
        attribute(_touches(), _paths(), models=("last_click",))


@dataclass
class _Dbt:
    """The two attributes of dbt's Python-model object that the helper reads."""

    is_incremental: bool
    this: str = "scored"


def test_only_new_and_edited_texts_are_scored_again():
    session = duckdb.connect()
    session.execute("create table reviews as select * from (values ('r1', 'Great shop, lovely staff'), "
                    "('r2', 'Terrible, never again'), ('r3', 'It was fine'), ('r4', null)) as t(review_id, comment)")
    first = score_unscored_texts(_Dbt(False), session, session.table("reviews"), "review_id", "comment")
    assert first["review_id"].tolist() == ["r1", "r2", "r3", "r4"]
    session.execute("create table scored as select * from first")
    session.execute("update reviews set comment = 'Awful service' where review_id = 'r1'")
    session.execute("insert into reviews values ('r5', 'Wonderful')")

    second = score_unscored_texts(_Dbt(True), session, session.table("reviews"), "review_id", "comment")

    assert sorted(second["review_id"]) == ["r1", "r5"]
    edited = second.set_index("review_id").loc["r1"]
    assert edited["sentiment_label"] == "negative"
    assert edited[TEXT_FINGERPRINT] != first.set_index("review_id").loc["r1", TEXT_FINGERPRINT]


def test_a_table_without_fingerprints_is_scored_afresh():
    """A warehouse built before the models were incremental has no fingerprint column: score everything."""
    session = duckdb.connect()
    session.execute("create table reviews as select 'r1' as review_id, 'Nice' as comment")
    session.execute("create table scored as select 'r1' as review_id, 0.5 as sentiment_compound, "
                    "'positive' as sentiment_label")
    scored = score_unscored_texts(_Dbt(True), session, session.table("reviews"), "review_id", "comment")
    assert scored["review_id"].tolist() == ["r1"]
