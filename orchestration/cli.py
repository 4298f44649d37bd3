"""The ``seamline`` console script (pyproject.toml: ``orchestration.cli:main``).

Heavy imports happen inside the commands, so ``seamline --help`` answers at once. Help texts are
written for users: no markup, the commands' own names (``seamline world``, not ``python -m ...``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from orchestration import serving
from orchestration.offline import switch_off_telemetry
from seamline_core import paths

DEFAULT_DEMO_SCALE = "small"
DEFAULT_SEED = 7
EXIT_NOT_CONFIGURED = 2  # like argparse's usage errors: the command cannot start as configured

DESCRIPTION = "Seamline: one customer view across your shop, stores, reviews and social posts."
EPILOG = """first steps:
  seamline demo     build a simulated shop and run the whole pipeline once (a few minutes)
  seamline ui       then open the dashboard and the Dagster UI in your browser

Each command has its own help, e.g. seamline demo --help."""


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a command; the passthrough commands parse their own options.

    The one place that writes the environment (issue 20 item 3): telemetry switches off for every tool
    this process or its children start, and a configured data dir becomes absolute, so dbt, Dagster's
    code server and Streamlit, started from other folders, see the same one.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    switch_off_telemetry()
    if "SEAMLINE_DATA_DIR" in os.environ:
        os.environ["SEAMLINE_DATA_DIR"] = str(paths.data_dir())
    if argv and argv[0] in ("docs", "metrics", "snapshot"):  # analyst access: orchestration/analysts/cli.py
        from orchestration.analysts.cli import main as analysts_main
        return analysts_main(argv)
    passthrough = {"world": _world, "sandbox": _sandbox, "bench": _bench, "reliability": _reliability,
                   "spark-build": _spark_build}
    if argv and argv[0] in passthrough:
        return passthrough[argv[0]](argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    return {"demo": _demo, "ui": _ui, "run": _run, "rollback": _rollback}[args.command](args)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser (the passthrough commands are listed for help only)."""
    parser = argparse.ArgumentParser(prog="seamline", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="build the demo world and run the whole pipeline once",
        description="Generate a simulated shop (if there is none yet), serve it through local copies of the "
                    "vendor APIs and run the whole pipeline once: load, transform, check, publish.")
    demo.add_argument("--scale", default=DEFAULT_DEMO_SCALE, help="world size: tiny, small (default), medium")
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed; the same seed gives the same world")
    ui = commands.add_parser(
        "ui", help="open the dashboard and the Dagster UI on this machine",
        description="Start the dashboard and the Dagster UI on 127.0.0.1 and print each address once it answers. "
                    "Each starts on its own: if one fails, the other keeps running. Ctrl-C stops both.")
    ui.add_argument("--dagster-port", type=int, default=3000, help="port of the Dagster UI (default 3000)")
    ui.add_argument("--dashboard-port", type=int, default=8501, help="port of the dashboard (default 8501)")
    run = commands.add_parser(
        "run", help="run the pipeline against your own accounts",
        description="Run a job against the sources configured in SOURCES__<SOURCE>__<SETTING> environment "
                    "variables (see .env.example). seamline_job loads every source; seamline_transform_job "
                    "rebuilds from the data already loaded; web_events_job loads new web-event files.")
    run.add_argument("--job", default="seamline_job",
                     choices=["seamline_job", "seamline_transform_job", "web_events_job"],
                     help="which job to run (default: seamline_job)")
    commands.add_parser("rollback", help="show the previously published data again",
                        description="Point the dashboard back to the snapshot published before the current one.")
    commands.add_parser("world", help="generate or advance the simulated demo world (seamline world --help)")
    commands.add_parser("sandbox", help="serve a demo world through local vendor APIs (seamline sandbox serve --help)")
    commands.add_parser("bench", help="measure speed and accuracy (seamline bench --help)")
    commands.add_parser("reliability", help="the fault suite, written to RELIABILITY.md (seamline reliability --help)")
    commands.add_parser("spark-build", help="build the warehouse from the loaded raw data on Spark (docs/SPARK.md)")
    return parser


def _spark_build(argv: Sequence[str]) -> int:
    """The dbt project on Spark from the raw data already loaded (needs `make spark-install`)."""
    parser = argparse.ArgumentParser(prog="seamline spark-build", description=(
        "Export the loaded raw tables to Parquet and build every model on Spark (docs/SPARK.md)."))
    parser.parse_args(argv)
    from orchestration.spark.engine import build_on_spark

    build_on_spark(paths.data_dir())
    print(f"built on Spark: {paths.data_dir() / 'spark' / 'warehouse'}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from orchestration.runner import run_job, sandbox_env, summary
    from sandbox.servers import start_sandboxes
    from sandbox.world import generate_world

    world = paths.world_dir()
    if not (world / "manifest.json").exists():
        print(f"generating the {args.scale} demo world (seed {args.seed}) in {world} ...", flush=True)
        started = time.perf_counter()
        generate_world(args.scale, args.seed, world)
        print(f"  world generated in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"starting the sandboxes for {world} and running seamline_job ...", flush=True)
    with start_sandboxes(world) as sandboxes, environment(sandbox_env(sandboxes.base_urls, sandboxes.token, world)):
        outcome = run_job("seamline_job")
    print(summary(outcome))
    return 0 if outcome.published else 1


def _run(args: argparse.Namespace) -> int:
    from ingestion.common.settings import validate_settings
    from orchestration.automation import job_sources
    from orchestration.runner import missing_settings, run_job, summary

    missing = missing_settings(job_sources(args.job))
    if missing:
        print(f"seamline run: {len(missing)} source(s) not configured for {args.job}:", file=sys.stderr)
        for source, variables in missing.items():
            print(f"  {source}: set {', '.join(variables)}", file=sys.stderr)
        print("Export them and run again (.env.example lists every setting); seamline demo needs none.",
              file=sys.stderr)
        return EXIT_NOT_CONFIGURED
    invalid = [problem for source in job_sources(args.job) for problem in validate_settings(source)]
    if invalid:
        print(f"seamline run: {len(invalid)} setting(s) not usable for {args.job}:", file=sys.stderr)
        for problem in invalid:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_NOT_CONFIGURED
    outcome = run_job(args.job)
    print(summary(outcome))
    return 0 if outcome.published else 1


@contextmanager
def environment(overrides: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them.

    For the entry points only (this CLI, test fixtures): the connectors read their settings
    (``SOURCES__*``) from the environment through dlt, as they would for real accounts.
    """
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _rollback(_args: argparse.Namespace) -> int:
    try:
        restored = serving.rollback()
    except serving.ServingError as error:
        print(f"rollback: {error}", file=sys.stderr)
        return 1
    print(f"serving snapshot is now {restored}")
    return 0


def _ui(args: argparse.Namespace) -> int:
    """Start both UIs (and the sandboxes, when a demo world exists); each is reported on its own."""
    from dashboards import streamlit_command
    from orchestration import services
    from orchestration.runner import CODE_LOCATION, prepare_dagster_home, prepare_dbt_manifest, sandbox_env

    env = {**os.environ, "SEAMLINE_DATA_DIR": str(paths.data_dir()), "DAGSTER_HOME": str(prepare_dagster_home())}
    bin_dir = Path(sys.executable).parent
    logs = paths.data_dir() / "logs"
    dashboard = services.Service(
        "dashboard", streamlit_command(args.dashboard_port, "127.0.0.1"),
        url=f"http://127.0.0.1:{args.dashboard_port}", health_url=f"http://127.0.0.1:{args.dashboard_port}/_stcore/health",
        log=logs / "dashboard.log")
    dagster = services.Service(
        "Dagster UI", ["env", "--default-signal=INT", str(bin_dir / "dagster"), "dev", "-m", CODE_LOCATION,
                       "-h", "127.0.0.1", "-p", str(args.dagster_port)],
        url=f"http://127.0.0.1:{args.dagster_port}", health_url=f"http://127.0.0.1:{args.dagster_port}/server_info",
        log=logs / "dagster.log")
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started in the background (SIGINT ignored)
        signal.signal(signum, _interrupt)
    with ExitStack() as stack:
        world = paths.world_dir()
        if (world / "manifest.json").exists() and "SOURCES__SHOPIFY__BASE_URL" not in os.environ:
            from sandbox.servers import start_sandboxes

            sandboxes = stack.enter_context(start_sandboxes(world))
            env.update(sandbox_env(sandboxes.base_urls, sandboxes.token, world))
            print(f"sandboxes serving the demo world in {world}", flush=True)
        services.start(dashboard, env)  # first: it does not need the dbt manifest
        print(f"starting the dashboard and the Dagster UI (logs in {logs}; Ctrl-C stops both) ...", flush=True)
        try:
            problem = prepare_dbt_manifest()
        except KeyboardInterrupt:
            services.stop([dashboard])
            return 130
        if problem:
            print(f"Dagster UI not started: {problem}\nThe dashboard keeps running.", flush=True)
            return services.supervise([dashboard])
        services.start(dagster, env)
        return services.supervise([dashboard, dagster])


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _world(argv: list[str]) -> int:
    from sandbox.world.__main__ import main as world_main

    return world_main(argv, prog="seamline world")


def _sandbox(argv: list[str]) -> int:
    if not argv or argv[0] != "serve":
        print("usage: seamline sandbox serve --world DIR [options]\n"
              "Serve a demo world through local copies of the vendor APIs until Ctrl-C.", file=sys.stderr)
        return 2
    from sandbox.servers.__main__ import main as sandbox_main

    return sandbox_main(argv[1:], prog="seamline sandbox serve")


def _bench(argv: list[str]) -> int:
    from benchmarks import main as bench_main

    return bench_main(argv, prog="seamline bench")


def _reliability(argv: list[str]) -> int:
    from benchmarks.reliability import main as reliability_main

    return reliability_main(argv, prog="seamline reliability")


if __name__ == "__main__":
    sys.exit(main())
