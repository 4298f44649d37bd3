"""Identity resolution on the demo worlds: pairwise and B-cubed precision / recall against the ground
truth, per scope and per source pair, and the time the identity models take inside the dbt build.

Scores come from `evaluation.identity.score_identity` on the warehouse each end-to-end run built. Its
scopes are cut from the truth and the world's raw files only (a record the pipeline failed to key or
never resolved counts as a miss, not as a record out of scope); the warehouse supplies only each
record's customer_id. The time is the sum of the execution times dbt reported for the models under
models/intermediate/identity/, median over the end-to-end runs. Targets from issue #16.
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks.context import BenchContext, Section, Table, require
from benchmarks.pipeline import built_runs, scored_against_truth

KEY = "identity"
TITLE = "Identity resolution on the demo worlds (vs ground truth)"
IDENTITY_MODELS = "models/intermediate/identity/"
SCOPES = ("keyed", "keyed_reviews_social", "all_records")
LINKS = ("reviews", "social")
TARGETS = {
    "keyed": {"precision": 0.99, "recall": 0.97},
    "keyed_reviews_social": {"precision": 0.97, "recall": 0.80},
    "review author x customer (web or store)": {"precision": 0.95, "recall": 0.60},
}


def score(warehouse: str, truth_dir: str) -> dict[str, Any]:
    """Child-process body: the project's identity scores for one warehouse (raw files beside the truth)."""
    from evaluation.identity import score_identity

    return score_identity(warehouse, truth_dir)


def f1(precision: float, recall: float) -> float:
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def identity_seconds(transform_result: dict[str, Any]) -> float:
    """Seconds dbt spent on the identity models in one transform stage."""
    return sum(node["seconds"] for node in transform_result.get("nodes", [])
               if IDENTITY_MODELS in node.get("path", ""))


def _meets(group: str, scores: dict[str, float]) -> str:
    targets = TARGETS.get(group, {})
    if not targets:
        return "–"
    return "yes" if all(scores[metric] >= bound for metric, bound in targets.items()) else "NO"


def _row(name: str, s: dict[str, Any]) -> list[Any]:
    return [name, s["records"], s["precision"], s["recall"], f1(s["precision"], s["recall"]),
            s["bcubed_precision"], s["bcubed_recall"], s["splits"], s["merges"], _meets(name, s)]


COLUMNS = ["records", "pairwise P", "pairwise R", "F1", "B-cubed P", "B-cubed R", "splits", "merges",
           "meets target?"]


def measure(ctx: BenchContext) -> Section:
    require("evaluation.identity", "score_identity")
    section = Section(KEY, TITLE)
    figures: dict[str, Any] = {}
    for scale in ctx.scales:
        runs = built_runs(ctx, scale)
        scores = scored_against_truth(runs[-1], "benchmarks.identity:score").result
        seconds = [identity_seconds(run.stages["transform"].result) for run in runs]
        figures[scale] = {"scores": scores, "identity_models_s_median": round(statistics.median(seconds), 3),
                          "identity_models_s_runs": [round(s, 3) for s in seconds]}
        section.tables.append(Table(
            f"**{scale} world (seed {ctx.seed})**, per scope: identity models took "
            f"{statistics.median(seconds):.2f} s in dbt (median of {len(runs)} builds)",
            ["scope", *COLUMNS], [_row(name, scores[name]) for name in SCOPES]))
        section.tables.append(Table(
            f"**{scale} world (seed {ctx.seed})**, per source pair (pairwise: pairs across the two sides only)",
            ["source pair", *COLUMNS], [_row(name, s) for name, s in scores["pairs"].items()]))
        section.tables.append(Table(
            f"**{scale} world (seed {ctx.seed})**, reviews and posts attached to a person's other records",
            ["kind", "candidates", "linkable", "linked", "correct", "precision", "recall"],
            [[kind, *(scores[kind][k] for k in ("candidates", "linkable", "linked", "correct", "precision",
                                                  "recall"))] for kind in LINKS]))
    pair = "review author x customer (web or store)"
    section.figures = {"scales": figures, "targets": TARGETS, "headline": [
        f"{scale}: keyed P {f['scores']['keyed']['precision']:.3f} R {f['scores']['keyed']['recall']:.3f}; "
        f"keyed + review/social authors P {f['scores']['keyed_reviews_social']['precision']:.3f} "
        f"R {f['scores']['keyed_reviews_social']['recall']:.3f}; review author x customer "
        f"P {f['scores']['pairs'][pair]['precision']:.3f} R {f['scores']['pairs'][pair]['recall']:.3f}"
        for scale, f in figures.items()]}
    section.notes += [
        ("Scopes come from the truth and the world's raw files, never from a column the pipeline computes: "
         "keyed = records whose raw payload carries an email, a phone, a loyalty id or a login; "
         "keyed_reviews_social = keyed plus every review and post the truth gives to a person; all_records = "
         "every customer, order, checkout, loyalty account, web session, review and post the truth knows "
         "(strangers' posts excepted). A record the warehouse never resolved counts as a cluster of its own, "
         "i.e. a miss."),
        ("Pairwise: pairs sharing a customer_id vs pairs sharing a person. B-cubed: per record, the overlap "
         "of its cluster and its person, averaged. Splits: true persons over more than one cluster; merges: "
         "clusters holding more than one true person."),
        ("Link rows: a review / post is linked when its customer_id holds records of other kinds, correct "
         "when their majority person is its author; recall over those whose author has other records."),
        f"Targets (issue #16): {TARGETS}.",
    ]
    return section
