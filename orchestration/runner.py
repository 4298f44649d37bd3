"""Run the pipeline in-process through Dagster, and describe the outcome (used by the CLI and tests).

Also builds the connector environment for a sandboxed world, so ``seamline demo``, the test fixtures
and ``seamline sandbox serve`` point the connectors at the sandboxes the same way.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration.offline import switch_off_telemetry
from seamline_core import paths, snapshots

# Telemetry off; one run at a time, because every run writes raw.duckdb or warehouse.duckdb and
# DuckDB allows one writing process per file (a sensor-started run queues behind a scheduled one).
# The code server gets 10 minutes to load (default 180 s): loading takes seconds from a prepared
# manifest, but a machine busy with a pipeline run once needed 100 s. Run monitoring fails a run stuck
# STARTING; one whose process died while STARTED is healed by orchestration/run_healing.py.
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 1
code_servers:
  local_startup_timeout: 600
run_monitoring:
  enabled: true
  start_timeout_seconds: 600
"""


def sandbox_env(base_urls: Mapping[str, str], token: str, world_dir: Path) -> dict[str, str]:
    """``SOURCES__*`` settings that point every connector at the sandboxes serving ``world_dir``.

    Exactly the settings a user types for real accounts (``connector_settings``: base URLs, tokens,
    the Google account id, the brand's Bluesky handle and app password, the web events folder);
    everything else (locations, the brand's search term) the connectors find themselves.
    """
    from sandbox.servers import connector_settings

    return connector_settings(dict(base_urls), token, world_dir)


def prepare_dagster_home() -> Path:
    """``$DAGSTER_HOME`` with telemetry disabled (created when missing); sets the env var."""
    home = paths.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    switch_off_telemetry()
    return home


def prepare_dbt_manifest() -> str | None:
    """Parse the dbt project once, before anything loads the definitions; None, or what went wrong."""
    from orchestration.resources import dbt_project, ensure_dbt_manifest

    try:
        ensure_dbt_manifest(dbt_project(), force=True)
    except Exception as error:  # noqa: BLE001 (any parse failure is reported, with dbt's own message)
        return f"dbt parse failed: {str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}"
    return None


def missing_settings(sources: Sequence[str]) -> dict[str, list[str]]:
    """Per source, the ``SOURCES__<SOURCE>__<SETTING>`` variables it still needs (none: left out).

    Builds each dlt source the way a run does (building fetches nothing), so the answer is dlt's own.
    """
    from dlt.common.configuration.exceptions import ConfigFieldMissingException

    from ingestion.pipelines import SOURCES

    missing = {}
    for name in sources:
        try:
            SOURCES[name]()
        except ConfigFieldMissingException as error:
            missing[name] = [f"SOURCES__{name.upper()}__{field.upper()}" for field in error.fields]
    return missing


@contextmanager
def environment(overrides: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# The terminal shows one line per step (orchestration/progress.py) and warnings; every engine event
# and dbt's per-node lines stay in the Dagster UI's run log.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}, "progress": {}}}

# The code location `seamline ui` serves (`dagster dev -m orchestration.definitions`). The UI lists a
# job's runs by job name AND this repository label, so in-process runs carry it to show up there.
CODE_LOCATION = "orchestration.definitions"
REPOSITORY_LABEL_TAG = ".dagster/repository"
REPOSITORY_LABEL = f"__repository__@{CODE_LOCATION}"


@dataclass(frozen=True)
class PipelineOutcome:
    """What one run did: its id, whether it published, and what the summary prints."""

    run_id: str
    success: bool
    published: bool
    status: snapshots.RunStatus | None
    rows_per_mart: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)
    failing_checks: list[dict[str, Any]] = field(default_factory=list)
    snapshot: Path | None = None
    seconds: float = 0.0
    step_failures: list[str] = field(default_factory=list)
    # sources whose load failed: source, error, last_successful_load_at (their data is stale)
    source_failures: list[dict[str, Any]] = field(default_factory=list)


def run_job(job_name: str = "seamline_job", reparse_dbt: bool = True) -> PipelineOutcome:
    """Load the definitions and execute ``job_name`` in-process on a persistent instance.

    ``reparse_dbt`` re-parses the dbt project first, so model changes since the last parse are run.
    """
    import dagster as dg

    from orchestration.progress import progress_logger, quiet_library_noise
    from orchestration.publish import (
        SNAPSHOT_KEY,
        audit_run,
        mart_row_counts,
        record_run_outcome,
        source_loads,
    )
    from orchestration.resources import dbt_project, ensure_dbt_manifest
    from orchestration.run_healing import heal_dead_runs
    from orchestration.source_loads import stale_sources

    started = time.perf_counter()
    prepare_dagster_home()
    quiet_library_noise()
    if reparse_dbt:
        stage = time.perf_counter()
        ensure_dbt_manifest(dbt_project(), force=True)
        print(f"  dbt project parsed in {time.perf_counter() - stage:.0f} s", flush=True)
    from orchestration.definitions import build_definitions

    job = build_definitions().resolve_job_def(job_name)
    job = job.with_logger_defs({**job.loggers, "progress": progress_logger(sys.stdout)})
    output_log = pipeline_log()
    output_log.parent.mkdir(parents=True, exist_ok=True)
    with dg.DagsterInstance.get() as instance:
        for run_id in heal_dead_runs(instance):  # a killed earlier run would hold the one run slot forever
            print(f"  run {run_id} had died (its process is gone): marked failed", flush=True)
        # dagster-dbt echoes every dbt line to stdout (for the UI's compute logs): here it goes to a file.
        with output_log.open("w") as log, redirect_stdout(log):
            result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=RUN_CONFIG,
                                            tags={REPOSITORY_LABEL_TAG: REPOSITORY_LABEL})
        published = any(
            event.asset_key == SNAPSHOT_KEY for event in result.get_asset_materialization_events()
            if event.asset_key is not None
        )
        if not published:
            record_run_outcome(instance, result.run_id, run_failed=not result.success)
        audit = audit_run(instance, result.run_id)
        step_failures = [f"{event.step_key}: {step_error(event.event_specific_data.error)}"
                         for event in result.all_events if event.is_step_failure]
        source_failures = stale_sources(source_loads(instance, result.run_id))
    snapshot = snapshots.current_snapshot()
    checks = {
        "passed": sum(row["status"] == "passed" for row in audit.evaluations),
        "failed_blocking": sum(row["status"] == "failed" and row["severity"] == "ERROR" for row in audit.evaluations),
        "failed_warning": sum(row["status"] == "failed" and row["severity"] != "ERROR" for row in audit.evaluations),
    }
    return PipelineOutcome(
        run_id=result.run_id,
        success=result.success,
        published=published,
        status=snapshots.read_run_status(),
        rows_per_mart=mart_row_counts(snapshot) if snapshot and snapshot.exists() else {},
        checks=checks,
        failing_checks=audit.failing,
        snapshot=snapshot,
        seconds=round(time.perf_counter() - started, 1),
        step_failures=step_failures,
        source_failures=source_failures,
    )


def step_error(error: Any) -> str:
    """A step failure's own message: Dagster wraps user errors in "Error occurred while executing op"."""
    while error is not None and error.message.startswith("Error occurred while executing") and error.cause:
        error = error.cause
    text = error.message.strip() if error is not None else ""
    return text.splitlines()[0] if text else "(no message)"


# Marts that are empty for a reason, said where the summary shows their zero.
EMPTY_NOTES = {
    "customer_id_history": "  (expected after one run: it records customer ids merged or split between runs)",
}


def pipeline_log() -> Path:
    """Where the last in-process run's raw output (dbt's per-node lines) goes."""
    return paths.data_dir() / "logs" / "pipeline.log"


def summary(outcome: PipelineOutcome) -> str:
    """The short text ``seamline demo`` / ``seamline run`` print."""
    lines = [(f"run {outcome.run_id}: {'published' if outcome.published else 'NOT published'} "
             f"in {outcome.seconds} s")]
    lines.append(f"checks: {outcome.checks.get('passed', 0)} passed, "
                 f"{outcome.checks.get('failed_blocking', 0)} blocking failed, "
                 f"{outcome.checks.get('failed_warning', 0)} warnings")
    for failure in outcome.source_failures:
        if failure["last_successful_load_at"]:
            fate = (f"its last good data, loaded {failure['last_successful_load_at']}, is "
                    f"{'published' if outcome.published else 'kept'}, marked stale")
        else:
            fate = ("it has never loaded: there is no last good data to publish it from, so its raw checks "
                    "block the publish until it loads once")
        if failure.get("run_id") not in (None, outcome.run_id):  # not loaded by this run; an earlier load failed
            fate += f"; the failed load was run {failure['run_id']}, this run did not load it"
        lines.append(f"  SOURCE FAILED {failure['source']}: {failure['error']} ({fate})")
    lines += [f"  STEP FAILED {failure}" for failure in outcome.step_failures]
    failed = [check for check in outcome.failing_checks if check["status"] == "failed"]
    for check in failed[:15]:
        lines.append(f"  FAILED {check['asset']} {check['check_name']}: {check.get('description') or ''}")
    not_run = len(outcome.failing_checks) - len(failed)
    if not_run:
        lines.append(f"  {not_run} planned check(s) never reported (their step failed or was skipped; see the run log)")
    if outcome.rows_per_mart:
        lines.append("rows per mart (current snapshot):")
        lines += [f"  {name:<32} {rows:>10,}{EMPTY_NOTES.get(name, '') if not rows else ''}"
                  for name, rows in outcome.rows_per_mart.items()]
    lines.append(f"serving snapshot: {outcome.snapshot or 'none published yet'}")
    lines.append(f"quality data docs: {paths.quality_docs_dir() / 'index.html'}")
    lines.append(f"full output of the run (every dbt model and test): {pipeline_log()}")
    lines.append("next: make ui (the dashboard and the Dagster UI; their addresses are printed when they answer)")
    return "\n".join(lines)
