"""Timing and memory primitives: medians of repeated runs, percentiles, and child processes whose
peak memory is read from the kernel.

Every measured step runs in a fresh child process (`python -m benchmarks.child`), so its peak
resident memory is its own (the child's VmHWM, or the largest process it waited for: a maximum, not
a sum) and one step's imports or caches do not flatter the next. The child times the function
itself; the parent also records the process wall time including interpreter start-up.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of a non-empty list, as numpy's default."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Timing:
    """Seconds of several runs of the same thing; the median is the reported figure."""

    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 4),
            "min_s": round(min(self.runs), 4),
            "max_s": round(max(self.runs), 4),
            "runs": len(self.runs),
            "all_s": [round(r, 4) for r in self.runs],
        }


@dataclass
class ChildRun:
    """One run of a function in a child process."""

    seconds: float  # the function's own time, measured inside the child
    wall_seconds: float  # the child process from spawn to exit
    peak_rss_bytes: int
    result: Any
    cpu_seconds: float = 0.0  # user + system CPU of the child process tree (less sensitive to other load)


class ChildFailed(RuntimeError):
    """A measured step exited non-zero; the message is its last output line, `.output` the tail."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


def _peak_rss_bytes(rusage: Any) -> int:
    # Linux reports ru_maxrss in KiB.
    return int(rusage.ru_maxrss) * 1024


def run_command(
    argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, log: Path | None = None
) -> tuple[float, int, int, str, float]:
    """Run a command, returning (wall seconds, peak RSS bytes, exit code, output tail, CPU seconds)."""
    import time

    log_path = log or Path(tempfile.mkstemp(prefix="seamline-bench-", suffix=".log")[1])
    with open(log_path, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, rusage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    tail = log_path.read_text(errors="replace")[-3000:]
    if log is None:
        log_path.unlink(missing_ok=True)
    return wall, _peak_rss_bytes(rusage), process.returncode, tail, rusage.ru_utime + rusage.ru_stime


def run_child(
    target: str,
    kwargs: dict[str, Any],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    preload: tuple[str, ...] = (),
) -> ChildRun:
    """Run `module:function(**kwargs)` in a fresh interpreter and return its time, memory and result.

    `preload` modules are imported before the clock starts (for throughput figures that should not
    include library import time); without it the layer's imports inside the function are timed.

    The function's return value must be JSON-serialisable; it comes back through a file so that
    whatever the step prints (dlt progress, dbt logs) cannot corrupt it.
    """
    with tempfile.TemporaryDirectory(prefix="seamline-bench-") as tmp:
        result_file = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", "benchmarks.child", target, json.dumps(kwargs), str(result_file),
                json.dumps(list(preload))]
        # Peak memory comes from the child's own reading: wait4's ru_maxrss carries this process's
        # high-water mark too (see child.py).
        wall, _, code, tail, cpu = run_command(argv, env=env, cwd=cwd)
        if code != 0 or not result_file.exists():
            last = next((line for line in reversed(tail.splitlines()) if line.strip()), "")
            raise ChildFailed(f"{target} exited with code {code}: {last.strip()[:600]}", tail)
        payload = json.loads(result_file.read_text())
    return ChildRun(payload["seconds"], wall, payload["peak_rss_bytes"], payload["result"], cpu)


def mib(n_bytes: int) -> float:
    """Bytes to MiB, rounded for reports."""
    return round(n_bytes / 2**20, 1)
