"""Jobs, the schedule and the sensors.

- ``seamline_job``: everything (ingest -> dbt -> checks -> publish), in-process: only one process
  may write a DuckDB file at a time, and in-process steps never overlap.
- ``seamline_transform_job``: rebuild from the raw tables already loaded (dbt, every check, publish),
  e.g. after fixing a model, or to re-audit without calling the APIs.
- ``web_events_job``: the web-event load and everything downstream; the file sensor starts it.
The schedule's cron is ``SEAMLINE_SCHEDULE_CRON`` (hourly by default), read when Dagster loads the
code location (``orchestration.definitions.defs``), not at import: Dagster needs a schedule's cron when it
loads the definitions (the daemon ticks on it, the UI shows it), so it cannot be a run-time resource.
"""

import json
import os
from collections.abc import Sequence
from typing import Any

import dagster as dg
from dlt.common.configuration.exceptions import ConfigFieldMissingException

from ingestion.web_events import dropped_files
from orchestration.publish import record_run_outcome

DEFAULT_CRON = "0 * * * *"
WEB_EVENTS_GROUP = "web_events"


def build_jobs(ingestion_groups: list[str], load_checks: Sequence[dg.AssetCheckKey] = ()) -> list[Any]:
    """The three jobs (see module docstring); all in-process.

    ``load_checks`` are the checks the load steps report themselves (``loaded_this_run``): a job that
    does not load must not select them, or it would run the loads.
    """
    everything = dg.AssetSelection.all(include_sources=False)
    ingestion = dg.AssetSelection.groups(*ingestion_groups)
    return [
        dg.define_asset_job("seamline_job", selection=everything, executor_def=dg.in_process_executor,
                            description="Ingest every source, build dbt, run every check, publish."),
        dg.define_asset_job(
            "seamline_transform_job",
            # not the sources' own loaded_this_run checks: they run inside the load step
            selection=(everything - ingestion)
            | (dg.AssetSelection.all_asset_checks() - dg.AssetSelection.checks(*load_checks)),
            executor_def=dg.in_process_executor,
            description="dbt + every check + publish over the raw tables already loaded.",
        ),
        dg.define_asset_job("web_events_job",
                            selection=dg.AssetSelection.groups(WEB_EVENTS_GROUP).downstream() & everything,
                            executor_def=dg.in_process_executor,
                            description="Load new web-event files and refresh everything downstream."),
    ]


def job_sources(job_name: str) -> list[str]:
    """The sources a job loads from (and therefore needs settings for)."""
    from ingestion.pipelines import SOURCES

    return {"seamline_job": list(SOURCES), "web_events_job": [WEB_EVENTS_GROUP]}.get(job_name, [])


def build_schedule() -> dg.ScheduleDefinition:
    """The whole pipeline on ``SEAMLINE_SCHEDULE_CRON`` (stopped until switched on in the UI)."""
    return dg.ScheduleDefinition(
        name="seamline_schedule",
        job_name="seamline_job",
        cron_schedule=os.environ.get("SEAMLINE_SCHEDULE_CRON", DEFAULT_CRON),
        execution_timezone="UTC",
    )


@dg.sensor(job_name="web_events_job", minimum_interval_seconds=60,
           description="Starts web_events_job when files arrive or are re-delivered in the event drop folder.")
def web_events_file_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """Compare the drop the connector reads (a folder or an fsspec URL, through dlt's config) with the cursor."""
    try:
        drop, files = dropped_files()
    except ConfigFieldMissingException:
        return dg.SensorResult(skip_reason="no web-event drop configured (SOURCES__WEB_EVENTS__BUCKET_URL)")
    seen = json.loads(context.cursor) if context.cursor else {}
    new = sorted(name for name, modified in files.items() if seen.get(name) != modified)
    if not new:
        return dg.SensorResult(skip_reason=f"no new event files in {drop}")
    run_key = f"web-events-{max(files[name] for name in new)}-{len(files)}"
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"seamline/new_files": str(len(new))})],
        cursor=json.dumps(files),
    )


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, default_status=dg.DefaultSensorStatus.RUNNING,
                      description="Records runs that finished without publishing in serving/last_run.json.")
def record_unpublished_success(context: dg.RunStatusSensorContext) -> None:
    """A run can succeed and still not publish (Dagster skipped the publish): say so to the dashboard."""
    record_run_outcome(context.instance, context.dagster_run.run_id, run_failed=False)


@dg.run_failure_sensor(default_status=dg.DefaultSensorStatus.RUNNING,
                       description="Records failed runs in serving/last_run.json for the dashboard notice.")
def record_failed_run(context: dg.RunFailureSensorContext) -> None:
    """A failed run publishes nothing; the dashboard keeps the last good snapshot and shows why."""
    record_run_outcome(context.instance, context.dagster_run.run_id, run_failed=True)
