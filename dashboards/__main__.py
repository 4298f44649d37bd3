"""`python -m dashboards [--port P] [--address A]`: run the dashboard (127.0.0.1:8501 by default)."""

from __future__ import annotations

import argparse

from dashboards import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=__doc__)
    parser.add_argument("--port", type=int, default=None, help="TCP port (default 8501)")
    parser.add_argument("--address", default=None, help="address to bind (default 127.0.0.1)")
    arguments = parser.parse_args(argv)
    return serve(arguments.port, arguments.address)


if __name__ == "__main__":
    raise SystemExit(main())
