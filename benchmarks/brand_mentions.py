"""Brand mentions on the demo worlds: precision / recall of the about-the-brand classifier vs the truth.

Scores come from `evaluation.brand_mentions.score_brand_mentions` on the warehouse each end-to-end
run built (int_social_posts_classified against truth/brand_mentions.parquet; the brand's own posts
left out). Target from the brand-mentions issue: precision >= 0.95 at recall >= 0.90 on every dialect.
A world whose brand name is not an ordinary word has no off-topic posts; its figures are still shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.context import BenchContext, NotMeasured, Section, Table
from benchmarks.pipeline import built_runs, scored_against_truth

KEY = "brand_mentions"
TITLE = "Brand mentions: posts about the brand vs ground truth"
TARGET = {"precision": 0.95, "recall": 0.90}


def score(warehouse: str, truth_dir: str) -> dict[str, Any]:
    """Child-process body: the classifier's scores for one warehouse, or why there are none."""
    from evaluation.brand_mentions import TRUTH_FILE, score_brand_mentions

    if not (Path(truth_dir) / TRUTH_FILE).is_file():
        return {"missing": f"the world has no truth/{TRUTH_FILE}"}
    return score_brand_mentions(warehouse, truth_dir)


def _dialect(world_dir: Path) -> str:
    manifest = json.loads((world_dir / "manifest.json").read_text())
    dialect = manifest.get("dialect") or {}
    return str(dialect.get("name", "?")) if isinstance(dialect, dict) else str(dialect)


def measure(ctx: BenchContext) -> Section:
    section = Section(KEY, TITLE)
    figures: dict[str, Any] = {}
    rows = []
    for scale in ctx.scales:
        run = built_runs(ctx, scale)[-1]
        result = scored_against_truth(run, "benchmarks.brand_mentions:score").result
        result["dialect"] = _dialect(run.world_dir)
        figures[scale] = result
        if "missing" not in result:
            meets = (result["precision"] or 0) >= TARGET["precision"] and (result["recall"] or 0) >= TARGET["recall"]
            rows.append([scale, result["dialect"], result["posts"], result["about_brand"], result["off_topic"],
                         result["precision"], result["recall"], "yes" if meets else "NO"])
    if not rows:
        raise NotMeasured("; ".join(f"{scale}: {r['missing']}" for scale, r in figures.items()))
    section.tables.append(Table("Search hits classified", ["world", "dialect", "posts", "about the brand",
                                                          "off topic", "precision", "recall", "meets target"], rows))
    section.figures = {"scales": figures, "target": TARGET,
                       "headline": [f"{r[0]} ({r[1]}): precision {r[5]}, recall {r[6]}" for r in rows]}
    section.notes.append("Per-method counts (which rule or the model claimed each post, and how many were right) "
                         "are in the JSON results.")
    return section
