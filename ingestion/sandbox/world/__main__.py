"""`python -m ingestion.sandbox.world generate|advance ...`: the simulator's command line."""

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from ingestion.sandbox.world import PRESETS, SCALES, advance_world, generate_world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingestion.sandbox.world", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="write a fresh world")
    generate.add_argument("--scale", choices=list(SCALES), default="small")
    generate.add_argument("--seed", type=int, default=7)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (exclusive)")
    generate.add_argument("--dialect", default=None,
                          help=f"merchant dialect: {', '.join(PRESETS)} or seed-<N> (default: the seed's own)")
    advance = commands.add_parser("advance", help="move an existing world forward")
    advance.add_argument("--days", type=int, required=True)
    advance.add_argument("--world", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.command == "generate":
            path = generate_world(args.scale, args.seed, args.out, as_of=args.as_of, dialect=args.dialect)
            dialect = json.loads((path / "manifest.json").read_text())["dialect"]["name"]
            print(f"generated {args.scale} world (seed {args.seed}, dialect {dialect}) in {path} in "
                  f"{time.perf_counter() - started:.1f} s")
        else:
            advance_world(args.world, args.days)
            print(f"advanced {args.world} by {args.days} days in {time.perf_counter() - started:.1f} s")
    except (FileNotFoundError, ValueError) as error:  # a wrong argument or directory: say so, no traceback
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
