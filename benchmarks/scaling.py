"""Scaling: the same pipeline at three world scales and the exponent of time against data volume.

time ~ c * touchpoints^k, k fitted by least squares on log-log (k = 1 is linear; k < 1 means fixed
costs such as dbt's start-up still dominate the small worlds). The exponent between the two largest
scales is reported too: it is the one that predicts the next size up.
"""

from __future__ import annotations

import math

from benchmarks.context import BenchContext, NotMeasured, Section, Table
from benchmarks.end_to_end import summarise
from benchmarks.pipeline import STAGES, run_repeated

KEY = "scaling"
TITLE = "Scaling (same pipeline at three scales)"


def loglog_exponent(sizes: list[float], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) on log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        raise ValueError("the scales have the same size: no exponent can be fitted")
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def measure(ctx: BenchContext) -> Section:
    if len(ctx.scaling_scales) < 3:
        raise NotMeasured("--quick measures only one world; the full run (no --quick) adds the curve")
    summaries = {scale: summarise(run_repeated(ctx, scale)) for scale in ctx.scaling_scales}
    sizes = [summaries[s]["touchpoints"] for s in ctx.scaling_scales]
    if min(sizes) <= 0:
        raise RuntimeError(f"a world produced no touchpoints: {dict(zip(ctx.scaling_scales, sizes, strict=True))}")
    totals = [summaries[s]["pipeline_without_generate"]["median_s"] for s in ctx.scaling_scales]
    exponents = {"pipeline": loglog_exponent(sizes, totals)}
    for stage in STAGES:
        exponents[stage] = loglog_exponent(sizes, [summaries[s]["stages"][stage]["median_s"]
                                                   for s in ctx.scaling_scales])
    upper = loglog_exponent(sizes[-2:], totals[-2:])
    section = Section(KEY, TITLE)
    section.figures = {
        "scales": ctx.scaling_scales,
        "touchpoints": dict(zip(ctx.scaling_scales, sizes, strict=True)),
        "pipeline_seconds": dict(zip(ctx.scaling_scales, totals, strict=True)),
        "exponent": {k: round(v, 3) for k, v in exponents.items()},
        "exponent_two_largest": round(upper, 3),
        "headline": f"exponent {exponents['pipeline']:.2f} over {', '.join(ctx.scaling_scales)} "
                    f"({upper:.2f} between the two largest)",
    }
    rows = [[s, summaries[s]["touchpoints"], summaries[s]["pipeline_without_generate"]["median_s"],
             summaries[s]["touchpoints_per_s"], summaries[s]["peak_rss_mib"]] for s in ctx.scaling_scales]
    section.tables.append(Table("", ["world", "touchpoints", "pipeline s (median, without generate)",
                                     "touchpoints/s", "peak MiB"], rows))
    section.tables.append(Table("Exponent k of time ~ touchpoints^k per stage (1 = linear)",
                                ["stage", *exponents], [["k", *[round(v, 2) for v in exponents.values()]]]))
    section.notes.append("Each point is the median of the runs stated in the end-to-end section; the pipeline "
                         "time excludes world generation (generation is the simulator, not the warehouse).")
    return section
