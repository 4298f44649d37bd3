"""`python -m sandbox.servers --world DIR`: serve a world until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from sandbox.servers.faults import Faults
from sandbox.servers.ratelimit import RateLimits
from sandbox.servers.runner import VENDORS, start_sandboxes

DESCRIPTION = ("Serve a demo world through local copies of the vendor APIs (Shopify, Square, Google, Bluesky) "
               "until Ctrl-C, and print the settings that point the connectors at them.")


def parse_args(argv: list[str] | None = None, prog: str = "python -m sandbox.servers") -> argparse.Namespace:
    """The options; ``prog`` is the name help shows (``seamline sandbox serve`` from the CLI)."""
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
    parser.add_argument(
        "--world", type=Path, required=True, help="world directory written by 'seamline world generate'"
    )
    for vendor in VENDORS:
        parser.add_argument(
            f"--{vendor.replace('_', '-')}-port", type=int, default=0, help=f"{vendor} port (0 = ephemeral)"
        )
    parser.add_argument(
        "--vendor-rate-limits",
        action="store_true",
        help="use the vendors' real rate limits (Shopify 40 @ 2/s, ...)",
    )
    parser.add_argument("--rate-limit-every", type=int, default=0, help="answer every Nth request with a 429")
    parser.add_argument(
        "--server-error-every", type=int, default=0, help="start a burst of 5xx every N requests"
    )
    parser.add_argument("--server-error-burst", type=int, default=1, help="length of each 5xx burst")
    parser.add_argument("--slow-every", type=int, default=0, help="delay every Nth request by --slow-seconds")
    parser.add_argument("--slow-seconds", type=float, default=0.0)
    parser.add_argument("--malformed-rate", type=float, default=0.0, help="share of records served malformed")
    parser.add_argument("--seed", type=int, default=0, help="seed choosing the malformed records")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, prog: str = "python -m sandbox.servers") -> int:
    args = parse_args(argv, prog)
    faults = Faults(
        seed=args.seed,
        rate_limit_every=args.rate_limit_every,
        server_error_every=args.server_error_every,
        server_error_burst=args.server_error_burst,
        slow_every=args.slow_every,
        slow_seconds=args.slow_seconds,
        malformed_rate=args.malformed_rate,
    )
    ports = {vendor: getattr(args, f"{vendor}_port") for vendor in VENDORS}
    limits = RateLimits.vendor_defaults() if args.vendor_rate_limits else RateLimits()
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with start_sandboxes(args.world, faults=faults, ports=ports, rate_limits=limits) as sandboxes:
        for vendor, url in sandboxes.base_urls.items():
            print(f"# {vendor}: {url}")
        for line in sandboxes.env_lines():
            print(f"export {line}")
        print("# serving; Ctrl-C to stop", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
