"""The benchmark harness: parses the command line, runs each measurement, writes the results.

`main(argv)` is what `seamline bench` and `python -m benchmarks` call. Measurements are modules with
`KEY`, `TITLE` and `measure(ctx) -> Section`; the harness turns `NotMeasured` into a "not measured"
entry and any other exception into a "failed" one (with its traceback in the results file), so one
broken layer never hides the figures of the others, and never gets a made-up figure either.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

from benchmarks import (
    bare_path,
    brand_mentions,
    dashboard,
    dialects,
    end_to_end,
    identity,
    identity_febrl,
    ingestion,
    journeys,
    lifetime_value,
    scaling,
    sentiment,
    transformation,
    validation,
)
from benchmarks.context import SCALE_LADDER, BenchContext, NotMeasured, Section
from benchmarks.machine import describe
from benchmarks.report import write_results
from orchestration.offline import TELEMETRY_OFF

REPO_ROOT = Path(__file__).resolve().parent.parent

# Order matters: end_to_end leaves worlds and warehouses behind that later measurements read.
MEASUREMENTS: tuple[ModuleType, ...] = (
    end_to_end,
    bare_path,
    scaling,
    identity,
    lifetime_value,
    journeys,
    dialects,
    brand_mentions,
    dashboard,
    ingestion,
    transformation,
    identity_febrl,
    sentiment,
    validation,
)

def parse_args(argv: list[str] | None, prog: str = "python -m benchmarks") -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Measure Seamline end to end and per layer; write BENCHMARKS.md and a JSON results file.",
    )
    parser.add_argument(
        "--scale", choices=SCALE_LADDER, default=None,
        help="largest world measured end to end (default: small with --quick, medium otherwise; "
             "tiny is for smoke tests)",
    )
    parser.add_argument("--quick", action="store_true",
                        help="small world only, no scaling curve (target: under 10 minutes)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "BENCHMARKS.md",
                        help="report path; the JSON results go beside it with a .json suffix")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing (the median is reported)")
    parser.add_argument("--pipeline-repeats", type=int, default=None,
                        help="runs of whole-pipeline and dbt-level timings (default: 2 with --quick, else --repeats)")
    parser.add_argument("--seed", type=int, default=7, help="world seed")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/seamline-bench"),
                        help="scratch space for worlds and databases (never the project's data/)")
    parser.add_argument("--only", default="",
                        help="comma-separated measurement keys to run: "
                             + ", ".join(m.KEY for m in MEASUREMENTS))
    args = parser.parse_args(argv)
    if args.repeats < 1 or (args.pipeline_repeats is not None and args.pipeline_repeats < 1):
        parser.error("--repeats and --pipeline-repeats must be at least 1")
    known = {m.KEY for m in MEASUREMENTS}
    unknown = {k for k in args.only.split(",") if k} - known
    if unknown:
        parser.error(f"unknown measurement(s) {sorted(unknown)}; known: {sorted(known)}")
    return args


def build_context(args: argparse.Namespace) -> BenchContext:
    """Which worlds to measure: quick = the one --scale world; full = every rung from small up."""
    top = args.scale or ("small" if args.quick else "medium")
    top_index = SCALE_LADDER.index(top)
    if args.quick or top_index <= 1:
        scales = [top]
    else:
        scales = list(SCALE_LADDER[1 : top_index + 1])
    scaling_scales = [] if args.quick else list(SCALE_LADDER[max(0, top_index - 2) : top_index + 1])
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    return BenchContext(
        scales=scales, scaling_scales=scaling_scales, quick=args.quick, repeats=args.repeats,
        pipeline_repeats=args.pipeline_repeats or (min(2, args.repeats) if args.quick else args.repeats),
        seed=args.seed, workdir=workdir, repo_root=REPO_ROOT,
    )


def run_measurement(module: ModuleType, ctx: BenchContext) -> Section:
    """Run one measurement, converting 'not there yet' and crashes into honest entries."""
    started = time.perf_counter()
    try:
        section = module.measure(ctx)
    except NotMeasured as missing:
        section = Section(module.KEY, module.TITLE, status="not measured", reason=str(missing))
    except Exception as error:  # noqa: BLE001 - a failed measurement is reported, not raised
        last_line = (str(error).strip().splitlines() or [""])[-1][:300]
        section = Section(module.KEY, module.TITLE, status="failed",
                          reason=f"{type(error).__name__}: {last_line}")
        section.figures["traceback"] = traceback.format_exc()[-6000:]
        if getattr(error, "output", ""):
            section.figures["output_tail"] = error.output[-4000:]
    section.seconds = time.perf_counter() - started
    print(f"[bench] {module.KEY}: {section.status} in {section.seconds:.0f} s"
          + (f" ({section.reason})" if section.reason else ""), flush=True)
    return section


def main(argv: list[str] | None = None, prog: str = "python -m benchmarks") -> int:
    """Run the benchmarks; 0 when every selected measurement ran or was honestly skipped, 1 if any failed."""
    args = parse_args(argv, prog)
    os.environ.update(TELEMETRY_OFF)
    ctx = build_context(args)
    started = time.perf_counter()
    conditions = describe(list(argv) if argv is not None else sys.argv[1:], REPO_ROOT)
    selected = [m for m in MEASUREMENTS if not args.only or m.KEY in args.only.split(",")]
    sections = [run_measurement(module, ctx) for module in selected]
    run = {
        **conditions,
        "quick": ctx.quick,
        "scales": ctx.scales,
        "scaling_scales": ctx.scaling_scales,
        "seed": ctx.seed,
        "repeats": ctx.repeats,
        "pipeline_repeats": ctx.pipeline_repeats,
        "harness_seconds": round(time.perf_counter() - started, 1),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    out = args.out.resolve()
    results = write_results(out, run, sections)
    print(f"[bench] wrote {out} and {results}", flush=True)
    return 1 if any(s.status == "failed" for s in sections) else 0
