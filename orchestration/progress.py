"""What a person at the terminal sees while ``seamline demo``/``run`` execute the job in-process.

One line when a step starts and one when it ends, with its counts and elapsed time, instead of
dbt's START/PASS line per node and Dagster's engine events (those stay in the Dagster UI). Library
warnings that ask nothing of the user are dropped (``quiet_library_noise``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections import defaultdict
from typing import Any, TextIO

import dagster as dg

# dlt warns once per table and load about columns that were null in every row of that load (sparse
# vendor fields); the columns appear when a load carries a value. Nothing to act on.
DLT_NULL_COLUMNS_WARNING = "did not receive any data during this load"


class _DropMessages(logging.Filter):
    def __init__(self, *fragments: str) -> None:
        super().__init__()
        self.fragments = fragments

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(fragment in message for fragment in self.fragments)


def quiet_library_noise() -> None:
    """Drop the library warnings listed above (idempotent), and Dagster's notes that an API the project
    chose on purpose is in beta or preview (they say nothing a person running the pipeline can act on)."""
    import warnings

    import dagster as dg

    for category in (dg.BetaWarning, dg.PreviewWarning):
        warnings.filterwarnings("ignore", category=category)
    dlt_logger = logging.getLogger("dlt")
    if not any(isinstance(existing, _DropMessages) for existing in dlt_logger.filters):
        dlt_logger.addFilter(_DropMessages(DLT_NULL_COLUMNS_WARNING))


class StepProgress(logging.Handler):
    """Turns Dagster step and asset events into one line per step start and end."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(level=logging.DEBUG)
        self.out = out
        self.started: dict[str, float] = {}
        self.assets: dict[str, int] = defaultdict(int)
        self.rows: dict[str, int] = defaultdict(int)
        self.checks: dict[str, list[bool]] = defaultdict(list)

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None or event.step_key is None:
            return
        step, kind = event.step_key, event.event_type_value
        if kind == "STEP_START":
            self.started[step] = time.perf_counter()
            self._print(f"  {step}: running ...")
        elif kind == "ASSET_MATERIALIZATION":
            self.assets[step] += 1
            self.rows[step] += _row_count(event.event_specific_data.materialization.metadata)
        elif kind == "ASSET_CHECK_EVALUATION":
            self.checks[step].append(event.event_specific_data.passed)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            self._print(f"  {step}: {self._outcome(step, kind)}")

    def _outcome(self, step: str, kind: str) -> str:
        if kind == "STEP_SKIPPED":
            return "skipped (an upstream step failed or a blocking check failed)"
        seconds = time.perf_counter() - self.started.get(step, time.perf_counter())
        parts = []
        if self.assets[step]:
            parts.append(f"{self.assets[step]} table(s)")
        if self.rows[step]:
            parts.append(f"{self.rows[step]:,} rows")
        if self.checks[step]:
            failed = self.checks[step].count(False)
            parts.append(f"{len(self.checks[step])} checks" + (f", {failed} failed" if failed else ""))
        verdict = "done" if kind == "STEP_SUCCESS" else "FAILED (see below and the Dagster UI run log)"
        return f"{verdict} in {seconds:.0f} s" + (f" ({', '.join(parts)})" if parts else "")

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def _row_count(metadata: dict[str, Any]) -> int:
    value = metadata.get("dagster/row_count") or metadata.get("rows_loaded")
    value = getattr(value, "value", value)
    return int(value) if isinstance(value, int | float) else 0


def progress_logger(out: TextIO = sys.stdout) -> dg.LoggerDefinition:
    """A Dagster logger printing step progress to ``out`` (add it to a job with ``with_logger_defs``)."""

    def create(_init_context: dg.InitLoggerContext) -> logging.Logger:
        logger = logging.Logger("seamline.progress", level=logging.DEBUG)
        logger.addHandler(StepProgress(out))
        return logger

    return dg.LoggerDefinition(create, description="one line per step with counts and elapsed time")
