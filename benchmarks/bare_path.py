"""End to end vs the bare path: the pipeline's stages beside the same work done by hand, same run.

The pipeline side is the end-to-end measurement's runs of this harness invocation (each stage the
project's entry point in a fresh process: dlt connectors, `dbt build`, dbt data tests + the GX suites,
the serving-snapshot publish). The bare side, written for the benchmark only, does the same work with
nothing else, `pipeline_repeats` times on the same world:

- ingest: plain HTTP + Arrow into DuckDB (benchmarks/baseline.py, every source in one process);
- transform: the SQL dbt compiled, run in one DuckDB connection on the pipeline's raw.duckdb
  (benchmarks/direct_sql.py; dbt-shaped raw tables are what that SQL reads);
- checks: every data test and GX rule as one SQL pass per table (benchmarks/bare_checks.py);
- publish: the marts copied into a new DuckDB file.

Reported per stage and in total (generation excluded: both sides start from the same world), with
the checks / transform ratio of each side. Targets (issue 24): checks <= 0.25x transform, the pipeline
<= 1.5x the bare path.
"""

from __future__ import annotations

import shutil
from typing import Any

from benchmarks.context import BenchContext, Section, Table
from benchmarks.measure import Timing, run_child
from benchmarks.pipeline import PipelineRun, child_env, run_repeated, serving_world

KEY = "bare_path"
TITLE = "End to end vs the bare path (HTTP + Arrow, compiled SQL, one SQL pass per table)"
STAGES = ("ingest", "transform", "checks", "publish")
CHECKS_TARGET = 0.25
PIPELINE_TARGET = 1.5


def bare_run(ctx: BenchContext, run: PipelineRun, index: int) -> dict[str, float]:
    """The bare path once on the world (and raw tables) of a pipeline run; seconds per stage."""
    scratch = ctx.scratch(f"bare_path/{run.scale}-{index}")
    data_dir, target = scratch / "data", scratch / "data" / "dbt_target"
    data_dir.mkdir()
    env = child_env(data_dir)
    with serving_world(run.world_dir) as sources_env:
        base_urls = {key.split("__")[1].lower(): value for key, value in sources_env.items()
                     if key.startswith("SOURCES__") and key.endswith("__BASE_URL")}
        base_urls["web_events"] = ""
        ingest = run_child("benchmarks.baseline:fetch_and_load_all", {
            "base_urls": base_urls, "token": sources_env.get("SOURCES__SHOPIFY__ACCESS_TOKEN", ""),
            "world_dir": str(run.world_dir), "database": str(scratch / "baseline.duckdb")})
    shutil.copy2(run.data_dir / "raw.duckdb", data_dir / "raw.duckdb")  # dlt-shaped: what the compiled SQL reads
    run_child("benchmarks.stages:dbt", {"args": ["compile"], "target_path": str(target)}, env=env)  # not timed
    warehouse, raw, manifest = data_dir / "warehouse.duckdb", data_dir / "raw.duckdb", target / "manifest.json"
    transform = run_child("benchmarks.direct_sql:execute_compiled", {
        "manifest_path": str(manifest), "warehouse": str(warehouse), "raw": str(raw),
        "project_dir": str(ctx.repo_root / "dbt_project"), "include_tests": False}, env=env)
    checks = run_child("benchmarks.bare_checks:run_checks",
                       {"manifest_path": str(manifest), "warehouse": str(warehouse), "raw": str(raw)}, env=env)
    publish = run_child("benchmarks.bare_checks:publish",
                        {"warehouse": str(warehouse), "snapshot": str(scratch / "snapshot.duckdb")}, env=env)
    stages = {"ingest": ingest, "transform": transform, "checks": checks, "publish": publish}
    return {**{stage: child.seconds for stage, child in stages.items()},
            "cpu": {stage: child.cpu_seconds for stage, child in stages.items()},
            "checks_result": checks.result,
            "records": {source: sum(tables.values()) for source, tables in ingest.result.items()}}


def compare(runs: list[PipelineRun], bare: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians per stage and in total for both sides, their ratios, and checks / transform per side."""
    pipeline = {stage: Timing([run.stages[stage].seconds for run in runs]) for stage in STAGES}
    by_hand = {stage: Timing([b[stage] for b in bare]) for stage in STAGES}
    pipeline["total"] = Timing([sum(run.stages[s].seconds for s in STAGES) for run in runs])
    by_hand["total"] = Timing([sum(b[s] for s in STAGES) for b in bare])
    checks_split = runs[-1].stages["checks"].result.get("seconds", {})
    cpu = {"pipeline": {stage: Timing([run.stages[stage].cpu_seconds for run in runs]) for stage in STAGES},
           "bare": {stage: Timing([b["cpu"][stage] for b in bare]) for stage in STAGES}}
    for side in cpu.values():
        side["total"] = Timing([sum(values) for values in zip(*(side[s].runs for s in STAGES), strict=True)])
    return {
        "cpu_s": {side: {stage: round(t.median, 3) for stage, t in timings.items()} for side, timings in cpu.items()},
        "cpu_ratio": {stage: round(cpu["pipeline"][stage].median / cpu["bare"][stage].median, 2)
                      for stage in cpu["pipeline"]},
        "cpu_checks_vs_transform": {side: round(cpu[side]["checks"].median / cpu[side]["transform"].median, 3)
                                    for side in cpu},
        "pipeline": {stage: t.to_dict() for stage, t in pipeline.items()},
        "bare": {stage: t.to_dict() for stage, t in by_hand.items()},
        "ratio": {stage: round(pipeline[stage].median / by_hand[stage].median, 2) for stage in pipeline},
        "checks_vs_transform": {"pipeline": round(pipeline["checks"].median / pipeline["transform"].median, 3),
                                "bare": round(by_hand["checks"].median / by_hand["transform"].median, 3)},
        "pipeline_checks_split_s": checks_split,
        "bare_checks": bare[-1]["checks_result"],
        "bare_records": bare[-1]["records"],
        "runs": {"pipeline": len(runs), "bare": len(bare)},
    }


def measure(ctx: BenchContext) -> Section:
    section = Section(KEY, TITLE)
    per_scale = {}
    for scale in (s for s in ctx.scales if s != "large"):
        runs = run_repeated(ctx, scale)
        bare = [bare_run(ctx, runs[-1], i) for i in range(ctx.pipeline_repeats)]
        per_scale[scale] = figures = compare(runs, bare)
        rows = [[stage, figures["pipeline"][stage]["median_s"], figures["bare"][stage]["median_s"],
                 figures["ratio"][stage], figures["cpu_s"]["pipeline"][stage], figures["cpu_s"]["bare"][stage],
                 figures["cpu_ratio"][stage]] for stage in (*STAGES, "total")]
        rows.append(["checks / transform", figures["checks_vs_transform"]["pipeline"],
                     figures["checks_vs_transform"]["bare"], None, figures["cpu_checks_vs_transform"]["pipeline"],
                     figures["cpu_checks_vs_transform"]["bare"], None])
        section.tables.append(Table(
            f"**{scale} world** (medians; pipeline {figures['runs']['pipeline']} runs, bare path "
            f"{figures['runs']['bare']} runs)",
            ["stage", "pipeline s", "bare path s", "pipeline / bare", "pipeline CPU s", "bare CPU s",
             "CPU pipeline / bare"], rows))
        section.notes.append(
            f"{scale}: pipeline checks split {figures['pipeline_checks_split_s']} s; bare checks "
            f"{figures['bare_checks']['tests']} data tests + GX rules in {figures['bare_checks']['sql_passes']} SQL "
            f"passes ({figures['bare_checks']['tables']} tables fused), {figures['bare_checks']['failing_tests']} "
            f"failing; bare records per source {figures['bare_records']}")
    section.figures = {"scales": per_scale, "targets": {"checks_vs_transform": CHECKS_TARGET,
                                                        "pipeline_vs_bare": PIPELINE_TARGET}}
    section.figures["headline"] = [
        f"{scale}: pipeline {f['ratio']['total']:.2f}x the bare path, CPU {f['cpu_ratio']['total']:.2f}x "
        f"({'meets' if f['ratio']['total'] <= PIPELINE_TARGET else 'MISSES'} <= {PIPELINE_TARGET}); checks "
        f"{f['checks_vs_transform']['pipeline']:.2f}x transform, CPU {f['cpu_checks_vs_transform']['pipeline']:.2f}x "
        f"({'meets' if f['checks_vs_transform']['pipeline'] <= CHECKS_TARGET else 'MISSES'} <= {CHECKS_TARGET})"
        for scale, f in per_scale.items()]
    section.notes += [
        ("Pipeline = the end-to-end section's runs of this invocation (stage functions in fresh processes; "
         "Dagster's own step overhead is not in them). Bare = this section's runs on the same world, after them."),
        ("Stage time = the function's own time in its process (layer imports included, interpreter start-up "
         "excluded), on both sides; CPU = the process's user + system time (interpreter start-up included), "
         "which a machine shared with other work inflates far less than wall time. The bare transform reads the pipeline's raw.duckdb (the compiled SQL expects "
         "dlt's tables); its `dbt compile` is not timed."),
    ]
    return section
