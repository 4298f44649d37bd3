"""What every measurement module shares: the run's settings, the shape of a result, and how a
measurement says that its subject does not exist yet.

A measurement is a function `measure(ctx) -> Section`. It raises `NotMeasured` when the thing it
measures is missing (a layer not built yet, a world scale not requested); any other exception is
reported by the harness as a failure. Nothing is ever filled in with a guess.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCALE_LADDER = ("tiny", "small", "medium", "large")


class NotMeasured(Exception):
    """The subject of a measurement does not exist (yet) or was not requested; the message says why."""


def require(module: str, attribute: str | None = None) -> Any:
    """Import a project module (and an attribute of it) or raise `NotMeasured` naming what is missing.

    The layers are built in parallel with the benchmark, so a missing module is an expected state,
    reported as "not measured", not a crash.
    """
    try:
        imported = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name and (module == error.name or module.startswith(error.name + ".")):
            raise NotMeasured(f"`{module}` does not exist yet") from error
        raise
    if attribute is None:
        return imported
    if not hasattr(imported, attribute):
        raise NotMeasured(f"`{module}.{attribute}` does not exist yet")
    return getattr(imported, attribute)


@dataclass
class Table:
    """A table for BENCHMARKS.md; the same rows go to the results file."""

    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Section:
    """The outcome of one measurement: figures for machines, tables and notes for people."""

    key: str
    title: str
    status: str = "measured"  # measured | partial | not measured | failed
    reason: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "figures": self.figures,
            "tables": [{"title": t.title, "columns": t.columns, "rows": t.rows} for t in self.tables],
            "notes": self.notes,
            "harness_seconds": round(self.seconds, 3),
        }


@dataclass
class BenchContext:
    """Settings of one benchmark run plus the artefacts measurements hand to each other.

    `scales` are the worlds measured end to end (smallest first); `scaling_scales` the worlds of the
    scaling curve. `pipeline_repeats` applies to the expensive timings (a whole pipeline, a dbt
    build); `repeats` to everything else. `artifacts` holds, per scale, the world and data directories the end-to-end run
    left behind, so later measurements (identity, dashboard) read the same warehouse instead of
    rebuilding it.
    """

    scales: list[str]
    scaling_scales: list[str]
    quick: bool
    repeats: int  # runs per timing of a single step
    pipeline_repeats: int  # runs of whole-pipeline and dbt-level timings (fewer in --quick)
    seed: int
    workdir: Path
    repo_root: Path
    artifacts: dict[str, Any] = field(default_factory=dict)

    def scratch(self, name: str) -> Path:
        """A fresh directory under the run's work directory (emptied if it exists)."""
        import shutil

        path = self.workdir / name
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        return path
