"""A family of retailers: the pipeline on several merchant dialects, each KPI's error against the truth.

Each seed draws its own merchant dialect (docs/DIALECTS.md): pickup lines titled in other words or
languages, store names that differ between systems, SKUs only in the Square catalog, tax-inclusive or
additive store prices, directory-only profiles, a brand that is also an ordinary word, a store abroad.
For each, the whole pipeline runs through the connectors and the sandboxes (as in the end-to-end
section) and `evaluation.retailer_kpis` compares the marts with the truth. "Would publish" means no
blocking check failed (dbt tests at severity error and blocking GX rules), the rule the publish gate
applies.
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.context import BenchContext, Section, Table

KEY = "dialects"
TITLE = "Merchant dialects: cross-channel KPIs vs ground truth"
DIALECT_SEEDS = (7, 11, 23)
TOLERANCE = 0.02  # the bar for pickup, ship-from-store, cross-channel returns and price gaps


def _scale(ctx: BenchContext) -> str:
    """Tiny worlds in --quick (three whole pipelines must fit its 10 minutes), small ones otherwise."""
    return "tiny" if ctx.quick else "small"


def measure(ctx: BenchContext) -> Section:
    from benchmarks.pipeline import run_pipeline, scored_against_truth

    section = Section(KEY, TITLE)
    scale = _scale(ctx)
    figures: dict[str, Any] = {"scale": scale, "seeds": {}}
    headline = []
    for seed in DIALECT_SEEDS:
        run = run_pipeline(ctx, scale, 0, seed=seed)
        manifest = json.loads((run.world_dir / "manifest.json").read_text())
        dialect = manifest.get("dialect", {})
        checks = run.stages["checks"].result
        blocking = list(checks.get("dbt_failed", [])) + list(checks.get("gx", {}).get("failed_blocking", []))
        kpis = scored_against_truth(run, "evaluation.retailer_kpis:score_kpis").result
        brand = _brand_scores(run)
        name = dialect.get("name", f"seed {seed}") if isinstance(dialect, dict) else str(dialect)
        figures["seeds"][seed] = {"dialect": dialect, "would_publish": not blocking, "blocking_failures": blocking,
                                  "kpis": kpis, "brand_mentions": brand}
        rows = [[kpi, v["mart"], v["truth"], v["relative_error"],
                 "yes" if v["relative_error"] is not None and v["relative_error"] <= TOLERANCE else "no"]
                for kpi, v in kpis.items()]
        if brand:
            rows.append(["brand mentions precision / recall", brand.get("precision"), brand.get("recall"), None,
                         "yes" if brand.get("precision", 0) >= 0.95 and brand.get("recall", 0) >= 0.90 else "no"])
        section.tables.append(Table(
            f"**seed {seed}, dialect `{name}`** ({scale} world): would publish: "
            f"{'yes' if not blocking else 'no (' + ', '.join(blocking[:5]) + ')'}",
            ["KPI", "mart", "truth", "relative error", f"within {TOLERANCE:.0%}"], rows))
        worst = max((v["relative_error"] for v in kpis.values() if v["relative_error"] is not None), default=None)
        headline.append(f"seed {seed} ({name}): {'publishes' if not blocking else 'BLOCKED'}, "
                        f"worst KPI error {worst:.3f}" if worst is not None else f"seed {seed}: no KPI scored")
    figures["headline"] = headline
    section.figures = figures
    section.notes.append("Revenue is net merchandise sales (after discounts; before tax, shipping, tips and "
                         "service charges) per channel and currency (docs/DIALECTS.md section 6).")
    section.notes.append("Dialect knobs per seed are in the JSON results (`figures.seeds.<seed>.dialect`).")
    return section


def _brand_scores(run: Any) -> dict[str, Any]:
    """Brand-mention precision and recall when the classifier and its truth labels exist, else {}."""
    from benchmarks.context import NotMeasured, require
    from benchmarks.pipeline import scored_against_truth

    if not (run.world_dir / "truth" / "brand_mentions.parquet").exists():
        return {}
    try:
        require("evaluation.brand_mentions", "score_brand_mentions")
    except NotMeasured:
        return {}
    return scored_against_truth(run, "evaluation.brand_mentions:score_brand_mentions").result
