"""Runs the whole pipeline once at a scale, stage by stage, each stage in a fresh child process.

Shared by the end-to-end and scaling measurements. A run leaves its world and data directory in
place; the last run of each scale is what later measurements (identity, dashboard) read.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import stages
from benchmarks.context import BenchContext, NotMeasured, require
from benchmarks.measure import ChildFailed, ChildRun, run_child

STAGES = ("generate", "ingest", "transform", "checks", "publish")
# Models and seeds without their tests: the tests are the checks stage.
TRANSFORM_ARGS = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


@dataclass
class PipelineRun:
    """One pass of generate -> ingest -> transform -> checks -> publish at one scale."""

    scale: str
    world_dir: Path
    data_dir: Path
    stages: dict[str, ChildRun] = field(default_factory=dict)
    marts: dict[str, int] = field(default_factory=dict)

    @property
    def pipeline_seconds(self) -> float:
        """Everything after generation: the part a production run repeats."""
        return sum(run.seconds for name, run in self.stages.items() if name != "generate")

    @property
    def touchpoints(self) -> int:
        return int(self.marts.get("fct_touchpoints", 0))


def child_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured step: the harness's, pointed at a scratch data directory."""
    env = dict(os.environ)
    env.setdefault("SEAMLINE_DBT_THREADS", str(os.cpu_count() or 1))  # as the pipeline runs dbt (resources.py)
    env["SEAMLINE_DATA_DIR"] = str(data_dir)
    env["DAGSTER_HOME"] = str(data_dir / "dagster_home")
    env.update(extra or {})
    return env


@contextmanager
def serving_world(world_dir: Path) -> Iterator[dict[str, str]]:
    """Start the vendor sandboxes on `world_dir` in this process; yield the connectors' env vars."""
    start_sandboxes = require("sandbox.servers", "start_sandboxes")
    sandbox_env = require("orchestration.runner", "sandbox_env")
    with start_sandboxes(world_dir) as sandboxes:
        yield sandbox_env(sandboxes.base_urls, sandboxes.token, world_dir)


def run_pipeline(ctx: BenchContext, scale: str, run_index: int, seed: int | None = None) -> PipelineRun:
    """Generate the world afresh (seed: the run's unless given) and run every stage on a fresh data directory."""
    seed = ctx.seed if seed is None else seed
    base = ctx.workdir / "pipeline" / (scale if seed == ctx.seed else f"{scale}-seed{seed}")
    world_dir, data_dir = base / "world", base / "data"
    for directory in (world_dir, data_dir):
        if directory.exists():
            shutil.rmtree(directory)
    data_dir.mkdir(parents=True)
    run = PipelineRun(scale, world_dir, data_dir)
    env = child_env(data_dir)
    target = str(data_dir / "dbt_target")
    run.stages["generate"] = _stage("generate", "generate", {"scale": scale, "seed": seed,
                                                             "out": str(world_dir)}, env)
    with serving_world(world_dir) as sources_env:
        run.stages["ingest"] = _stage("ingest", "ingest", {}, child_env(data_dir, sources_env))
    run.stages["transform"] = _stage("transform", "dbt", {"args": TRANSFORM_ARGS, "target_path": target}, env)
    run.stages["checks"] = _combined(_stage("checks", "dbt_tests", {"target_path": target}, env),
                                     _stage("checks", "gx_suites", {}, env))
    run.stages["publish"] = _stage("publish", "publish", {"run_id": f"bench-{scale}-{seed}-{run_index}"}, env)
    run.marts = stages.table_counts(str(data_dir / "warehouse.duckdb"), "marts")
    return run


def _stage(stage: str, function: str, kwargs: dict[str, Any], env: dict[str, str]) -> ChildRun:
    """Run one stage's function from `benchmarks.stages` in a child; a failure names the stage."""
    try:
        return run_child(f"benchmarks.stages:{function}", kwargs, env=env)
    except ChildFailed as error:
        raise ChildFailed(f"stage {stage} failed: {error}", error.output) from error


def _combined(first: ChildRun, second: ChildRun) -> ChildRun:
    """Two processes reported as one stage (dbt tests, then GX, which cannot share dbt's process: dbt-duckdb
    keeps its read-write connection open): times add, peaks take the max, results merge."""
    return ChildRun(first.seconds + second.seconds, first.wall_seconds + second.wall_seconds,
                    max(first.peak_rss_bytes, second.peak_rss_bytes),
                    {**first.result, **second.result,
                     "seconds": {"dbt_tests": round(first.seconds, 3), "gx": round(second.seconds, 3)}},
                    first.cpu_seconds + second.cpu_seconds)


def run_repeated(ctx: BenchContext, scale: str) -> list[PipelineRun]:
    """`ctx.pipeline_repeats` runs at a scale; cached in the context so scaling reuses the end-to-end runs."""
    cache = ctx.artifacts.setdefault("pipeline_runs", {})
    if scale not in cache:
        cache[scale] = [run_pipeline(ctx, scale, i) for i in range(ctx.pipeline_repeats)]
    return cache[scale]


def built_runs(ctx: BenchContext, scale: str) -> list[PipelineRun]:
    """The end-to-end runs of `scale`, whose warehouses the accuracy sections score against the truth."""
    runs = ctx.artifacts.get("pipeline_runs", {}).get(scale)
    if not runs:
        raise NotMeasured(f"no warehouse was built for the {scale} world (see the end-to-end section)")
    return runs


def scored_against_truth(run: PipelineRun, target: str, **kwargs: Any) -> ChildRun:
    """`target(warehouse, truth_dir)` in a fresh child process, on the warehouse and world of `run`."""
    return run_child(target, {"warehouse": str(run.data_dir / "warehouse.duckdb"),
                              "truth_dir": str(run.world_dir / "truth")}, **kwargs)


def world_for(ctx: BenchContext, scale: str) -> Path:
    """A world of `scale`: the last end-to-end run's if there is one, else generated once here."""
    runs = ctx.artifacts.get("pipeline_runs", {}).get(scale)
    if runs:
        return runs[-1].world_dir
    world_dir = ctx.workdir / "worlds" / f"{scale}-{ctx.seed}"
    if not (world_dir / "manifest.json").exists():
        if world_dir.exists():
            shutil.rmtree(world_dir)
        _stage("generate", "generate", {"scale": scale, "seed": ctx.seed, "out": str(world_dir)},
               child_env(ctx.workdir))
    return world_dir
