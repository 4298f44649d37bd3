"""The Seamline code location: connectors -> dbt models -> quality checks -> publish, in one graph.

Load with ``dagster definitions validate -m orchestration.definitions`` (no network, no pre-built
manifest needed: the dbt project is parsed here when its manifest is missing). Project-wide rules
are applied in one place below: freshness policies on the raw sources and the public marts.

Importing this module reads nothing and builds nothing: ``defs`` is a ``@dg.definitions`` function that
Dagster calls when it loads the code location, so the data dir (where the dbt manifest is) and the
schedule's cron are read then, never at import.
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
from orchestration.quality.freshness import declared_freshness
from orchestration.quality.suites import FRESHNESS_COLUMNS
from orchestration.quality_checks import build_quality_checks
from orchestration.resources import dbt_cli, dlt_resource
from orchestration.run_healing import heal_dead_runs_sensor

# Materialization age of the public marts before the UI warns / fails: the pipeline runs hourly, a day
# without a rebuild means the schedule is broken. The sources' windows are their dbt freshness
# declarations (source_freshness_policy), the same thresholds the GX freshness checks judge.
MART_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26), warn_window=timedelta(hours=3))


def source_freshness_policy(source: str) -> dg.FreshnessPolicy:
    """Dagster's window for a source's assets, from the one declaration (orchestration/quality/freshness.py).

    Dagster's policy has no warn-only form: a source that only warns (``warn_after``) fails the UI's
    freshness after that long; only the GX check decides whether the publish waits.
    """
    declared = declared_freshness(*FRESHNESS_COLUMNS[source][0].split("."))
    warn = declared.warn_after if declared.error_after and declared.warn_after else None
    return dg.FreshnessPolicy.time_window(fail_window=declared.max_lag, warn_window=warn)


def build_definitions() -> dg.Definitions:
    """Assemble every module's definitions and apply the freshness policies."""
    dbt_models = build_dbt_assets()
    public_marts = [key for key in dbt_models.keys if key.path[0] == "marts"]
    ingestion = build_ingestion_assets()
    definitions = dg.Definitions(
        assets=[*ingestion, dbt_models, build_publish_asset(public_marts),
                *build_exposure_specs(also_reads=[SNAPSHOT_KEY])],
        asset_checks=build_quality_checks(),
        jobs=build_jobs(list(SOURCES), [key for assets in ingestion for key in assets.check_keys]),
        schedules=[build_schedule()],
        sensors=[web_events_file_sensor, record_unpublished_success, record_failed_run, heal_dead_runs_sensor],
        resources={"dbt": dbt_cli(), "dlt": dlt_resource()},
        executor=dg.in_process_executor,
    )
    for source in SOURCES:
        policy = source_freshness_policy(source)
        definitions = definitions.map_resolved_asset_specs(
            func=lambda spec, policy=policy: spec.replace_attributes(freshness_policy=policy),
            selection=[key for key in _all_keys(definitions) if key.path[0] == source],
        )
    return definitions.map_resolved_asset_specs(
        func=lambda spec: spec.replace_attributes(freshness_policy=MART_FRESHNESS),
        selection=public_marts,
    )


def _all_keys(definitions: dg.Definitions) -> list[dg.AssetKey]:
    return [key for assets in definitions.assets or [] if isinstance(assets, dg.AssetsDefinition)
            for key in assets.keys]


@dg.definitions
def defs() -> dg.Definitions:
    """The code location Dagster loads (``dagster dev -m orchestration.definitions``)."""
    return build_definitions()
