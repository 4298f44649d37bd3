"""The conditions of a benchmark run: machine, load, software versions, date, command, commit.

Figures mean little without them: the same pipeline on a busier or smaller machine is slower.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

VERSIONED_PACKAGES = (
    "duckdb",
    "dlt",
    "dbt-core",
    "dbt-duckdb",
    "dagster",
    "dagster-dbt",
    "dagster-dlt",
    "great-expectations",
    "streamlit",
    "splink",
    "pandas",
    "pyarrow",
    "vaderSentiment",
    "requests",
    "playwright",
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _git_commit(repo_root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(repo_root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def versions() -> dict[str, str]:
    """Installed versions of the packages whose speed is measured, plus Python."""
    found = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    chromium = Path("/usr/bin/chromium")
    if chromium.exists():
        try:
            out = subprocess.run([str(chromium), "--version"], check=False, capture_output=True, text=True, timeout=20)
            found["chromium"] = out.stdout.strip().removeprefix("Chromium ").split()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            found["chromium"] = "unknown"
    return found


def command_line(argv: list[str]) -> str:
    """The command as typed: `seamline bench ...` when the console script ran, else `python -m benchmarks ...`."""
    import shlex

    program = Path(sys.argv[0]).name if sys.argv else ""
    prefix = "python -m benchmarks"
    if program == "seamline" and sys.argv[1:2] == ["bench"] and sys.argv[2:] == argv:
        prefix = "seamline bench"
    return " ".join([prefix, *(shlex.quote(arg) for arg in argv)])


def describe(argv: list[str], repo_root: Path) -> dict[str, Any]:
    """Everything BENCHMARKS.md states about the conditions of the run."""
    load = os.getloadavg()
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "command": command_line(argv),
        "interpreter": sys.executable,
        "git_commit": _git_commit(repo_root),
        "machine": {
            "cpus": os.cpu_count(),
            "cpu_model": _cpu_model(),
            "memory_gib": _memory_gib(),
            "os": f"{platform.system()} {platform.release()}",
            "load_average_at_start": [round(x, 2) for x in load],
        },
        "versions": versions(),
    }
