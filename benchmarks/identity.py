"""Identity resolution on the demo worlds: pairwise precision / recall / F1 against the ground truth,
and the time the identity models take inside the dbt build.

Scores come from `evaluation.identity.score_identity` (the identity engineer's scorer, also used by
the dbt tests) on the warehouse each end-to-end run built; the time is the sum of the execution times
dbt reported for the models under models/intermediate/identity/, median over the end-to-end runs.
Targets from the identity issue: keyed records precision >= 0.99 and recall >= 0.97; linked review
and social authors precision >= 0.90 (recall reported).
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks.context import BenchContext, Section, Table, require
from benchmarks.pipeline import built_runs, scored_against_truth

KEY = "identity"
TITLE = "Identity resolution on the demo worlds (vs ground truth)"
IDENTITY_MODELS = "models/intermediate/identity/"
TARGETS = {"keyed": {"precision": 0.99, "recall": 0.97}, "reviews": {"precision": 0.90},
           "social": {"precision": 0.90}}


def score(warehouse: str, truth_dir: str) -> dict[str, Any]:
    """Child-process body: the project's identity scores for one warehouse."""
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


def measure(ctx: BenchContext) -> Section:
    require("evaluation.identity", "score_identity")
    section = Section(KEY, TITLE)
    figures: dict[str, Any] = {}
    for scale in ctx.scales:
        runs = built_runs(ctx, scale)
        scores = scored_against_truth(runs[-1], "benchmarks.identity:score").result
        for group in scores.values():
            group["f1"] = f1(group["precision"], group["recall"])
        seconds = [identity_seconds(run.stages["transform"].result) for run in runs]
        figures[scale] = {"scores": scores, "identity_models_s_median": round(statistics.median(seconds), 3),
                          "identity_models_s_runs": [round(s, 3) for s in seconds]}
        section.tables.append(Table(
            f"**{scale} world**: identity models took {statistics.median(seconds):.2f} s in dbt "
            f"(median of {len(runs)} builds)",
            ["records", "records scored", "precision", "recall", "F1", "meets target?"],
            [[group, s.get("records", s.get("candidates")), s["precision"], s["recall"], s["f1"],
              _meets(group, s)] for group, s in scores.items()]))
    section.figures = {"scales": figures, "targets": TARGETS, "headline": [
        f"{scale}: keyed P {f['scores']['keyed']['precision']:.3f} R {f['scores']['keyed']['recall']:.3f}; "
        f"reviews P {f['scores']['reviews']['precision']:.3f} R {f['scores']['reviews']['recall']:.3f}"
        for scale, f in figures.items()]}
    section.notes += [
        ("keyed = records carrying an email, a phone or a loyalty id; all_records = every identity node the "
        "truth knows; reviews / social = reviews and posts attached to a person's other records (precision "
        "over those linked, recall over those whose author has other records)."),
        f"Targets: {TARGETS}.",
    ]
    return section
