"""`python -m sandbox.world generate|advance ...`: the simulator's command line."""

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from sandbox.world import PRESETS, SCALES, advance_world, generate_world

DESCRIPTION = "Generate the simulated demo world (customers, orders, reviews, posts, web events) or move it forward."


def main(argv: list[str] | None = None, prog: str = "python -m sandbox.world") -> int:
    """Parse ``argv`` (``prog`` is the name help shows: ``seamline world`` from the CLI) and run it."""
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="write a fresh world",
                                   description="Write a fresh demo world into a directory.")
    generate.add_argument("--scale", choices=list(SCALES), default="small", help="world size (default: small)")
    generate.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same world")
    generate.add_argument("--out", type=Path, required=True, help="directory to write the world into")
    generate.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (exclusive)")
    generate.add_argument("--dialect", default=None,
                          help=f"merchant dialect: {', '.join(PRESETS)} or seed-<N> (default: the seed's own)")
    advance = commands.add_parser("advance", help="move an existing world forward",
                                  description="Simulate more days in an existing world (new orders, reviews, ...).")
    advance.add_argument("--days", type=int, required=True, help="number of days to simulate")
    advance.add_argument("--world", type=Path, required=True, help="directory of an existing world")
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
