"""Probabilistic edges: Google reviewers and Bluesky authors linked to the customers they are.

Reviewers and authors share no key with any customer record, so a Fellegi-Sunter model (Splink on
DuckDB inside this dbt Python model) weighs the evidence: first name (nickname-canonicalised), last name or its
initial, a visit to the reviewed store shortly before the review, and a handle that spells an email
local part. m probabilities are set from how the sources behave (how often a real match agrees on
each field); u probabilities are estimated from random pairs; the prior is one person among all.
A reviewer or author is one person at most, so the candidates compete: each candidate keeps its best
person when the best's share of the posterior odds of all its scored persons (2^match_weight each,
plus 1 for "none of them") clears `min_link_probability` and beats the runner-up's share by
`min_link_margin` (namesakes stay unlinked; a namesake who visited without buying the product the
review names no longer ties). The evidence of every scored best pair is kept on the edge.
"""

import json

import numpy as np
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

OUTPUT_COLUMNS = [
    "candidate_cluster_id", "person_cluster_id", "record_kind", "match_probability", "match_weight",
    "runner_up_probability", "candidate_pairs", "evidence", "is_accepted",
]


def _either_side(template: str) -> str:
    """A condition that holds whichever input table Splink put on the left."""
    return "(" + template.format(a="_l", b="_r") + ") or (" + template.format(a="_r", b="_l") + ")"


def _level(condition: str, label: str, m: float, u: float, is_null: bool = False) -> dict:
    level = {"sql_condition": condition, "label_for_charts": label}
    if is_null:
        return level | {"is_null_level": True}
    return level | {"m_probability": m, "u_probability": u}


def _name_comparisons() -> list:
    first_name = cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_name_key"),
            # term-frequency adjusted: agreeing on "Dmitri" says more than agreeing on "Michael"
            cll.ExactMatchLevel("first_name_key", term_frequency_adjustments=True).configure(
                m_probability=0.88, u_probability=0.02
            ),
            _level("jaro_winkler_similarity(first_name_key_l, first_name_key_r) >= 0.88", "typo apart", 0.08, 0.01),
            _level("ELSE", "different", 0.04, 0.97),
        ],
    )
    last_name = cl.CustomComparison(
        output_column_name="last_name",
        comparison_levels=[
            _level("last_initial_l is null or last_initial_r is null", "no last name", 0, 0, is_null=True),
            cll.ExactMatchLevel("last_name_key", term_frequency_adjustments=True).configure(
                m_probability=0.55, u_probability=0.005
            ),
            _level("jaro_winkler_similarity(last_name_key_l, last_name_key_r) >= 0.9", "typo apart", 0.04, 0.002),
            _level(
                "(last_name_key_l is null or last_name_key_r is null) and last_initial_l = last_initial_r",
                "initial agrees", 0.39, 0.06,
            ),
            _level("ELSE", "different", 0.02, 0.933),
        ],
    )
    return [first_name, last_name]


def _visit_comparison() -> cl.CustomComparison:
    """A visit to the reviewed store within the window before the review (store|day lists overlap), and
    whether that visit bought a product the review names (store|day|SKU lists overlap). m and u are
    joint shares measured on the demo worlds: about half the reviews name a product, 85 % of reviewers
    with a profile show a visit in the window (cash sales leave none), and a random person visited the
    reviewed store in that window in 0.2 % of pairs and at some time in 20 %."""
    names_a_product = _either_side("record_kind{a} = 'review' and len(visit_day_skus{a}) > 0")
    return cl.CustomComparison(
        output_column_name="store_visit",
        comparison_levels=[
            _level("location_id_l is null and location_id_r is null", "store unknown", 0, 0, is_null=True),
            _level("list_has_any(visit_day_skus_l, visit_day_skus_r)",
                   "bought the product the review names there shortly before", 0.42, 0.00005),
            _level(f"list_has_any(visit_days_l, visit_days_r) and ({names_a_product})",
                   "visited the store shortly before, not buying the product the review names", 0.02, 0.001),
            _level("list_has_any(visit_days_l, visit_days_r)", "visited the store shortly before", 0.43, 0.001),
            _level("list_has_any(visit_locations_l, visit_locations_r)", "visited the store another time",
                   0.04, 0.2),
            # cash sales without a profile leave no trace of the visit: absence is weak evidence
            _level("ELSE", "never seen at that store", 0.09, 0.8),
        ],
    )


def _purchase_comparison() -> cl.CustomComparison:
    """A purchase (web or store) in the days before the author's posts: people post about what they bought."""
    return cl.CustomComparison(
        output_column_name="purchase_before_post",
        comparison_levels=[
            _level("len(purchase_days_l) = 0 or len(purchase_days_r) = 0", "no purchases known", 0, 0,
                   is_null=True),
            _level("list_has_any(purchase_days_l, purchase_days_r)", "bought shortly before posting", 0.60, 0.03),
            _level("ELSE", "no purchase near the posts", 0.40, 0.97),
        ],
    )


def _handle_comparison() -> cl.CustomComparison:
    """The handle against the person's email local parts: digits included, a handle tells namesakes
    apart (mgarcia84 vs mgarcia61); letters only, it still matches a handle renumbered because its
    first choice was taken on the network, but says less."""
    handle_is_email = "list_contains(email_locals{a}, handle_local{b})"
    handle_spells_email = "list_contains(email_local_keys{a}, handle_key{b})"
    handle_has_last_name = "length(last_name_key{a}) > 2 and contains(handle_key{b}, last_name_key{a})"
    return cl.CustomComparison(
        output_column_name="handle",
        comparison_levels=[
            _level("handle_key_l is null and handle_key_r is null", "no handle", 0, 0, is_null=True),
            _level(_either_side(handle_is_email), "handle is an email local part", 0.29, 0.0002),
            _level(_either_side(handle_spells_email), "handle spells an email local part's letters", 0.01, 0.002),
            _level(_either_side(handle_has_last_name), "handle contains the last name", 0.15, 0.01),
            # most people pick a handle unrelated to their email: a mismatch is weak evidence
            _level("ELSE", "unrelated handle", 0.55, 0.9878),
        ],
    )


def _best_matches(predictions: pd.DataFrame, kind: str, min_probability: float, min_margin: float):
    """One row per candidate: its best person, the runner-up's probability and the evidence."""
    if predictions.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    candidate_on_left = predictions["source_dataset_l"] == "candidates"
    predictions = predictions.assign(
        candidate_cluster_id=predictions["unique_id_l"].where(candidate_on_left, predictions["unique_id_r"]),
        person_cluster_id=predictions["unique_id_r"].where(candidate_on_left, predictions["unique_id_l"]),
    ).sort_values(["candidate_cluster_id", "match_probability", "person_cluster_id"], ascending=[True, False, True])
    gamma_columns = [column for column in predictions.columns if column.startswith(("gamma_", "mw_", "bf_"))]
    rows = []
    for candidate, pairs in predictions.groupby("candidate_cluster_id", sort=False):
        best = pairs.iloc[0]
        runner_up = float(pairs.iloc[1]["match_probability"]) if len(pairs) > 1 else 0.0
        probability = float(best["match_probability"])
        shares = _shares_of_posterior_odds(pairs["match_weight"].to_numpy(float))
        rows.append({
            "candidate_cluster_id": candidate,
            "person_cluster_id": best["person_cluster_id"],
            "record_kind": kind,
            "match_probability": probability,
            "match_weight": float(best["match_weight"]),
            "runner_up_probability": runner_up,
            "candidate_pairs": len(pairs),
            "evidence": json.dumps({column: _plain(best[column]) for column in gamma_columns}, sort_keys=True),
            "is_accepted": bool(shares[0] >= min_probability and shares[0] - shares[1] >= min_margin),
        })
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


def _shares_of_posterior_odds(match_weights: np.ndarray) -> np.ndarray:
    """Each scored person's probability of being the one, given that at most one is (weights sorted
    best first; Splink's match_weight is log2 of the posterior odds). Padded with a 0 runner-up."""
    shifted = np.exp2(match_weights - match_weights.max())
    none_of_them = np.exp2(-match_weights.max())
    return np.append(shifted / (shifted.sum() + none_of_them), 0.0)


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def _link(records, kind: str, comparisons: list, blocking_rules: list, settings: dict, frozen=None):
    """Score `kind` records against persons. `frozen`: the parameters of int_identity_link_parameters;
    None learns them from these records (what a full refresh stores), as the rule tests do."""
    persons = records.filter("record_kind = 'person'")
    candidates = records.filter(f"record_kind = '{kind}'")
    if persons.count("*").fetchall()[0][0] == 0 or candidates.count("*").fetchall()[0][0] == 0:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    frozen = frozen.filter(f"record_kind = '{kind}'") if frozen is not None else None
    frozen_count = frozen.filter("parameter = 'person_count'").select("value").fetchall() if frozen is not None else []
    person_count = frozen_count[0][0] if frozen_count and frozen_count[0][0] else persons.count("*").fetchall()[0][0]
    # Splink gets its own in-memory DuckDB: dbt-duckdb's session is a wrapper Splink does not accept,
    # and the scoring tables are scratch work that must not land in the warehouse.
    db_api = DuckDBAPI(connection=":memory:")
    linker = Linker(
        [
            db_api.register(persons.to_arrow_table(), dataset_display_name="persons", table_name=f"__identity_{kind}_persons"),
            db_api.register(candidates.to_arrow_table(), dataset_display_name="candidates",
                            table_name=f"__identity_{kind}_candidates"),
        ],
        SettingsCreator(
            link_type="link_only",
            unique_id_column_name="unique_id",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=blocking_rules,
            probability_two_random_records_match=settings["expected_match_share"] / person_count,
            retain_intermediate_calculation_columns=True,
        ),
        log_level="WARNING",
    )
    for column in ("first_name_key", "last_name_key") if frozen is not None else ():  # frozen term frequencies
        lookup = frozen.filter(f"parameter = '{column}'").select(f"term as {column}, value as tf_{column}")
        if lookup.count("*").fetchall()[0][0]:
            linker.table_management.register_term_frequency_lookup(
                db_api.register(lookup.to_arrow_table(), table_name=f"__identity_{kind}_tf_{column}"), column)
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    return _best_matches(predictions, kind, settings["min_probability"], settings["min_margin"])


def model(dbt, session):
    dbt.config(materialized="table")
    settings = {
        "min_probability": float(dbt.config.get("min_link_probability")),
        "min_margin": float(dbt.config.get("min_link_margin")),
        "expected_match_share": 0.9,
    }
    records = dbt.ref("int_identity_link_records")
    frozen = dbt.ref("int_identity_link_parameters")
    # first-name typos ("Dainel") are caught by the last-initial rule, kept tight by the store reviewed
    by_name = [
        block_on("first_name_key"),
        block_on("last_name_key"),
        "l.last_initial = r.last_initial and list_has_any(l.visit_locations, r.visit_locations)",
    ]
    reviews = _link(
        records, "review",
        [*_name_comparisons(), _visit_comparison()], by_name, settings, frozen,
    )
    authors = _link(
        records, "author", [*_name_comparisons(), _handle_comparison(), _purchase_comparison()],
        [*by_name, "list_contains(l.email_local_keys, r.handle_key) or list_contains(r.email_local_keys, l.handle_key)"],
        settings, frozen,
    )
    return pd.concat([reviews, authors], ignore_index=True)
