"""The Seamline code location: connectors -> dbt models -> quality checks -> publish, in one graph.

Load with ``dagster definitions validate -m orchestration.definitions`` (no network, no pre-built
manifest needed: the dbt project is parsed here when its manifest is missing). Project-wide rules
are applied in one place below: freshness on the raw sources and the public marts.

Importing this module reads nothing and builds nothing: ``defs`` is a ``@dg.definitions`` function that
Dagster calls when it loads the code location, so the data dir (where the dbt manifest is) and the
schedule's cron are read then, never at import.

The raw sources' freshness is a check, not a policy: a source whose load failed still materializes
(so dbt builds on its last good data) and a policy judges the materialization's time, so it looked fresh.
The check (``build_last_update_freshness_checks``) reads ``dagster/last_updated_timestamp``, which a
failed load sets to its last good load (orchestration/ingestion_assets.py): a failed source goes stale.
Both windows here are about the hourly schedule (was a load / a rebuild done lately?); how old a
source's newest record may be is another rule, declared once in the dbt sources' ``freshness:`` config
and judged by the GX freshness checks (orchestration/quality/freshness.py).
"""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from ingestion.pipelines import SOURCES
from orchestration.automation import (
    build_jobs,
    build_schedule,
    record_failed_run,
    record_unpublished_success,
    web_events_file_sensor,
)
from orchestration.dbt_assets import build_dbt_assets, build_exposure_specs
from orchestration.ingestion_assets import build_ingestion_assets
from orchestration.publish import SNAPSHOT_KEY, build_publish_asset
from orchestration.quality_checks import build_quality_checks
from orchestration.resources import dbt_cli, dlt_resource
from orchestration.run_healing import heal_dead_runs_sensor

# Materialization age before the UI warns / fails: the pipeline runs hourly, a day without a load
# means the schedule or a source is broken. The sources' warn window is their freshness check's bound.
SOURCE_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26), warn_window=timedelta(hours=2))
MART_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26), warn_window=timedelta(hours=3))



def build_definitions() -> dg.Definitions:
    """Assemble every module's definitions and apply the freshness policies."""
    dbt_models = build_dbt_assets()
    public_marts = [key for key in dbt_models.keys if key.path[0] == "marts"]
    ingestion = build_ingestion_assets()
    definitions = dg.Definitions(
        assets=[*ingestion, dbt_models, build_publish_asset(public_marts),
                *build_exposure_specs(also_reads=[SNAPSHOT_KEY])],
        asset_checks=[*build_quality_checks(), *source_freshness_checks(ingestion)],
        jobs=build_jobs(list(SOURCES), [key for assets in ingestion for key in assets.check_keys]),
        schedules=[build_schedule()],
        sensors=[web_events_file_sensor, record_unpublished_success, record_failed_run, heal_dead_runs_sensor],
        resources={"dbt": dbt_cli(), "dlt": dlt_resource()},
        executor=dg.in_process_executor,
    )
    return definitions.map_resolved_asset_specs(
        func=lambda spec: spec.replace_attributes(freshness_policy=MART_FRESHNESS),
        selection=public_marts,
    )


def source_freshness_checks(ingestion: list[dg.AssetsDefinition]) -> list[dg.AssetChecksDefinition]:
    """WARN when a raw table's data (its last good load) is older than SOURCE_FRESHNESS's warn window."""
    return list(dg.build_last_update_freshness_checks(
        assets=[key for assets in ingestion for key in assets.keys],
        lower_bound_delta=SOURCE_FRESHNESS.warn_window.to_timedelta(),
        severity=dg.AssetCheckSeverity.WARN,
    ))


@dg.definitions
def defs() -> dg.Definitions:
    """The code location Dagster loads (``dagster dev -m orchestration.definitions``)."""
    return build_definitions()
