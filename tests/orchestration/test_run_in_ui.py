"""What the shared tiny run (tests/conftest.py ``tiny_pipeline``) leaves for the Dagster UI and the terminal.

Issue 17: the job's Runs tab said "No runs found" after a successful demo run, dbt assets showed no
row counts, and the terminal got ~540 dbt lines instead of a line per step.
"""

from __future__ import annotations

import io
import logging
import os

import dagster as dg
import pytest

from orchestration.cli import environment
from orchestration.progress import StepProgress
from orchestration.runner import REPOSITORY_LABEL, REPOSITORY_LABEL_TAG

pytestmark = pytest.mark.slow


def _instance(tiny_pipeline) -> dg.DagsterInstance:
    with environment({"DAGSTER_HOME": str(tiny_pipeline.data_dir / "dagster_home")}):
        return dg.DagsterInstance.get()


def test_the_run_is_listed_under_its_job_in_the_ui(tiny_pipeline) -> None:
    """The UI's job Runs tab filters on the job name and the repository label of the code location."""
    instance = _instance(tiny_pipeline)
    runs = instance.get_runs(dg.RunsFilter(job_name="seamline_job", tags={REPOSITORY_LABEL_TAG: REPOSITORY_LABEL}))
    assert tiny_pipeline.outcome.run_id in {run.run_id for run in runs}


def test_dbt_tables_carry_row_counts(tiny_pipeline) -> None:
    instance = _instance(tiny_pipeline)
    event = instance.get_latest_materialization_event(dg.AssetKey(["marts", "dim_customers"]))
    assert event is not None
    row_count = event.asset_materialization.metadata["dagster/row_count"].value
    assert row_count == tiny_pipeline.outcome.rows_per_mart["dim_customers"]


def test_progress_is_a_line_per_step_with_counts_and_time(tiny_pipeline) -> None:
    """The run's own events, fed to the terminal progress handler: few lines, each step with its counts."""
    instance = _instance(tiny_pipeline)
    out = io.StringIO()
    handler = StepProgress(out)
    for entry in instance.all_logs(tiny_pipeline.outcome.run_id):
        record = logging.LogRecord("dagster", logging.INFO, "", 0, entry.message, None, None)
        record.dagster_meta = {"dagster_event": entry.dagster_event}
        handler.emit(record)
    lines = out.getvalue().splitlines()
    steps = {line.split(":")[0].strip() for line in lines}
    assert len(lines) == 2 * len(steps) < 40, lines
    assert any(line.startswith("  dlt_shopify: done in") and " rows" in line for line in lines), lines
    assert any(line.startswith("  dbt_models: done in") and "checks" in line for line in lines), lines


def test_dbt_output_goes_to_the_log_file_not_the_terminal(tiny_pipeline) -> None:
    """dbt's per-node lines land in logs/pipeline.log, which also shows dbt ran one thread per core."""
    log = (tiny_pipeline.data_dir / "logs" / "pipeline.log").read_text()
    assert f"Concurrency: {os.cpu_count() or 1} threads" in log
    assert " START " in log and " PASS " in log


def test_the_summary_says_why_customer_id_history_is_empty_after_one_run(tiny_pipeline) -> None:
    from orchestration.runner import summary

    assert tiny_pipeline.outcome.rows_per_mart["customer_id_history"] == 0
    line = next(line for line in summary(tiny_pipeline.outcome).splitlines() if "customer_id_history" in line)
    assert "merged or split between runs" in line
