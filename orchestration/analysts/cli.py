"""The analysts' subcommands of `seamline` (docs, metrics, snapshot); orchestration/cli.py dispatches here."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import time
from collections.abc import Sequence

from seamline_core import snapshots

COMMANDS = ("docs", "metrics", "snapshot")


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="seamline", description="analyst access: docs, governed metrics, snapshot")
    commands = parser.add_subparsers(dest="command", required=True)
    docs = commands.add_parser("docs", help="generate the dbt docs site offline and serve it on 127.0.0.1")
    docs.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    docs.add_argument("--no-serve", action="store_true", help="only generate the site")
    metrics = commands.add_parser("metrics", help="governed metrics (MetricFlow) on the published snapshot")
    actions = metrics.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every metric, its description and the dimensions to group by")
    query = actions.add_parser("query", help="answer metrics from the published snapshot (read-only)")
    query.add_argument("--metrics", required=True, help="comma-separated metric names, e.g. revenue,orders,aov")
    query.add_argument("--group-by", default="", help="comma-separated, e.g. metric_time__month,touchpoint__channel")
    query.add_argument("--where", action="append", default=[],
                       help="a MetricFlow filter, e.g. \"{{ Dimension('touchpoint__currency') }} = 'USD'\"")
    query.add_argument("--start-time", type=dt.datetime.fromisoformat, help="first day (inclusive), YYYY-MM-DD")
    query.add_argument("--end-time", type=dt.datetime.fromisoformat, help="last day (inclusive), YYYY-MM-DD")
    query.add_argument("--order", default="", help="comma-separated; prefix - for descending (write --order=-name)")
    query.add_argument("--limit", type=int)
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    query.add_argument("--explain", action="store_true", help="print the SQL MetricFlow generates, do not run it")
    query.add_argument("--snapshot", help="a snapshot file (default: the current published one)")
    commands.add_parser("snapshot", help="the published snapshot's path and how to open it read-only")
    args = parser.parse_args(list(argv))
    return {"docs": _docs, "metrics": _metrics, "snapshot": _snapshot}[args.command](args)


def _docs(args: argparse.Namespace) -> int:
    from orchestration.analysts import docs_site
    from orchestration.analysts.metrics import MetricsError

    try:
        site = docs_site.generate()
        print(f"dbt docs generated in {site}")
        if args.no_serve:
            return 0
        server, url = docs_site.serve(site, port=args.port)
    except (MetricsError, OSError) as error:
        print(f"docs: {error}", file=sys.stderr)
        return 1
    print(f"dbt docs: {url}   (Ctrl-C stops)", flush=True)
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started in the background (SIGINT ignored)
        signal.signal(signum, _interrupt)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _metrics(args: argparse.Namespace) -> int:
    from pathlib import Path

    from orchestration.analysts.metrics import GovernedMetrics, MetricsError

    try:
        with GovernedMetrics(Path(args.snapshot) if getattr(args, "snapshot", None) else None) as governed:
            if args.action == "list":
                for name, description, dimensions in governed.metrics():
                    print(f"{name}: {description}\n    dimensions: {', '.join(dimensions)}")
                return 0
            result = governed.query(_split(args.metrics), group_by=_split(args.group_by), where=args.where,
                                    start=args.start_time, end=args.end_time, order_by=_split(args.order),
                                    limit=args.limit, explain=args.explain)
    except MetricsError as error:
        print(f"metrics: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - MetricFlow's own errors (unknown metric, bad filter) say what is wrong
        print(f"metrics: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    if args.explain:
        print(result.sql)
    elif args.csv:
        result.to_frame().to_csv(sys.stdout, index=False)
    else:
        print(result.to_frame().to_string(index=False))
    return 0


def _snapshot(_args: argparse.Namespace) -> int:
    snapshot = snapshots.current_snapshot()
    if snapshot is None:
        print("no published snapshot yet: run `make demo` first", file=sys.stderr)
        return 1
    print(snapshot)
    print(f"open it read-only: duckdb -readonly {snapshot}   (docs/analysts.md)")
    return 0
