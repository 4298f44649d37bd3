"""Seamline's benchmark harness: `main(argv)` measures the pipeline and writes BENCHMARKS.md.

Run as `python -m benchmarks [--scale small|medium|large] [--quick] [--out BENCHMARKS.md]` or through
`seamline bench` / `make bench ARGS=...`. See benchmarks/harness.py for the options.
"""

from __future__ import annotations


def main(argv: list[str] | None = None, prog: str = "python -m benchmarks") -> int:
    """Run the benchmarks (imported lazily so `import benchmarks` stays cheap)."""
    from benchmarks.harness import main as run

    return run(argv, prog)


__all__ = ["main"]
