"""``seamline``: the project's command line (declared in pyproject.toml as ``orchestration.cli:main``).

    seamline demo [--scale tiny|small] [--seed N]   world (if missing) -> sandboxes -> pipeline -> summary
    seamline ui [--dagster-port P] [--dashboard-port P]   Dagster UI + dashboard on 127.0.0.1, Ctrl-C stops both
    seamline run [--job NAME]                      the pipeline against the configured (real) sources
    seamline rollback                              point readers back to the previous serving snapshot
    seamline world generate|advance ...            the demo-world simulator
    seamline sandbox serve --world DIR             the vendor sandboxes, until Ctrl-C
    seamline bench ...                             the benchmark harness
Heavy imports happen inside the commands, so ``seamline --help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from orchestration import paths, serving

DEFAULT_DEMO_SCALE = "small"
DEFAULT_SEED = 7


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a command; unknown-command help comes from argparse."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("docs", "metrics", "snapshot"):  # analyst access: orchestration/analysts/cli.py
        from orchestration.analysts.cli import main as analysts_main
        return analysts_main(argv)
    passthrough = {"world": _world, "sandbox": _sandbox, "bench": _bench}
    if argv and argv[0] in passthrough:
        return passthrough[argv[0]](argv[1:])
    parser = argparse.ArgumentParser(prog="seamline", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="build the demo world and run the whole pipeline once")
    demo.add_argument("--scale", default=DEFAULT_DEMO_SCALE, help="world scale (tiny, small, ...)")
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ui = commands.add_parser("ui", help="Dagster UI and the dashboard on 127.0.0.1")
    ui.add_argument("--dagster-port", type=int, default=3000)
    ui.add_argument("--dashboard-port", type=int, default=8501)
    run = commands.add_parser("run", help="run a job against the configured sources")
    run.add_argument("--job", default="seamline_job",
                     choices=["seamline_job", "seamline_transform_job", "web_events_job"])
    commands.add_parser("rollback", help="serve the previous snapshot again")
    for name in passthrough:
        commands.add_parser(name, help=f"see `seamline {name} --help`")
    args = parser.parse_args(argv)
    return {"demo": _demo, "ui": _ui, "run": _run, "rollback": _rollback}[args.command](args)


def _demo(args: argparse.Namespace) -> int:
    from ingestion.sandbox.servers import start_sandboxes
    from ingestion.sandbox.world import generate_world
    from orchestration.runner import environment, run_job, sandbox_env, summary

    world = paths.world_dir()
    if not (world / "manifest.json").exists():
        print(f"generating the {args.scale} demo world (seed {args.seed}) in {world} ...", flush=True)
        generate_world(args.scale, args.seed, world)
    print(f"starting the sandboxes for {world} and running seamline_job in-process ...", flush=True)
    with start_sandboxes(world) as sandboxes, environment(sandbox_env(sandboxes.base_urls, sandboxes.token, world)):
        outcome = run_job("seamline_job")
    print(summary(outcome))
    return 0 if outcome.published else 1


def _run(args: argparse.Namespace) -> int:
    from orchestration.runner import run_job, summary

    outcome = run_job(args.job)
    print(summary(outcome))
    return 0 if outcome.published else 1


def _rollback(_args: argparse.Namespace) -> int:
    try:
        restored = serving.rollback()
    except serving.ServingError as error:
        print(f"rollback: {error}", file=sys.stderr)
        return 1
    print(f"serving snapshot is now {restored}")
    return 0


def _ui(args: argparse.Namespace) -> int:
    """Start both UIs (and the sandboxes, when a demo world exists) and stop them all on Ctrl-C."""
    from dashboards import streamlit_command
    from orchestration.runner import prepare_dagster_home, sandbox_env

    prepare_dagster_home()
    env = {**os.environ, "SEAMLINE_DATA_DIR": str(paths.data_dir())}
    bin_dir = Path(sys.executable).parent
    with ExitStack() as stack:
        world = paths.world_dir()
        if (world / "manifest.json").exists() and "SOURCES__SHOPIFY__BASE_URL" not in os.environ:
            from ingestion.sandbox.servers import start_sandboxes

            sandboxes = stack.enter_context(start_sandboxes(world))
            env.update(sandbox_env(sandboxes.base_urls, sandboxes.token, world))
            print(f"sandboxes serving {world}: {', '.join(sandboxes.base_urls.values())}")
        commands = {
            "Dagster UI": ["env", "--default-signal=INT", str(bin_dir / "dagster"), "dev", "-m",
                           "orchestration.definitions", "-h", "127.0.0.1", "-p", str(args.dagster_port)],
            "dashboard": streamlit_command(args.dashboard_port, "127.0.0.1"),
        }
        for signum in (signal.SIGINT, signal.SIGTERM):  # also when started in the background (SIGINT ignored)
            signal.signal(signum, _interrupt)
        processes = {name: subprocess.Popen(command, env=env, start_new_session=True)
                     for name, command in commands.items()}
        print(f"Dagster UI: http://127.0.0.1:{args.dagster_port}   "
              f"dashboard: http://127.0.0.1:{args.dashboard_port}   (Ctrl-C stops both)", flush=True)
        try:
            while all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(processes)
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM each process group, then SIGKILL what is still alive after 20 s."""
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            print(f"{name} did not stop within 20 s: killed", file=sys.stderr)


def _world(argv: list[str]) -> int:
    from ingestion.sandbox.world.__main__ import main as world_main

    return world_main(argv)


def _sandbox(argv: list[str]) -> int:
    if not argv or argv[0] != "serve":
        print("usage: seamline sandbox serve --world DIR [options]", file=sys.stderr)
        return 2
    from ingestion.sandbox.servers.__main__ import main as sandbox_main

    return sandbox_main(argv[1:])


def _bench(argv: list[str]) -> int:
    from benchmarks import main as bench_main

    return bench_main(argv)


if __name__ == "__main__":
    sys.exit(main())
