"""Dagster freshness of the raw sources (issue 18): a source whose load failed goes stale.

A failed load still materializes its assets (dbt then builds on its last good data) with
``dagster/last_updated_timestamp`` = its last good load; the sources' freshness checks judge that time,
not the materialization's, against SOURCE_FRESHNESS's warn window.
"""

from __future__ import annotations

import time

import dagster as dg

from orchestration.definitions import SOURCE_FRESHNESS, source_freshness_checks
from orchestration.ingestion_assets import build_ingestion_assets

POSTS = dg.AssetKey(["bluesky", "posts"])
ORDERS = dg.AssetKey(["shopify", "orders"])


def _freshness(loads: dict[dg.AssetKey, dict]) -> dict[dg.AssetKey, dg.AssetCheckEvaluation]:
    ingestion = build_ingestion_assets()
    checks = source_freshness_checks(ingestion)
    specs = [dg.AssetSpec(key) for assets in ingestion for key in assets.keys]
    job = dg.define_asset_job("freshness", selection=dg.AssetSelection.checks_for_assets(*loads))
    definitions = dg.Definitions(assets=specs, asset_checks=checks, jobs=[job])
    with dg.DagsterInstance.ephemeral() as instance:
        for key, metadata in loads.items():  # what the load step reported
            instance.report_runless_asset_event(dg.AssetMaterialization(key, metadata=metadata))
        result = definitions.resolve_job_def("freshness").execute_in_process(instance=instance)
    return {evaluation.asset_key: evaluation for evaluation in result.get_asset_check_evaluations()}


def test_a_failed_load_whose_last_good_load_is_older_than_the_window_is_stale() -> None:
    window = SOURCE_FRESHNESS.warn_window.to_timedelta().total_seconds()
    last_good = time.time() - window - 3600
    evaluations = _freshness({
        POSTS: {"load_status": "failed", "dagster/last_updated_timestamp": dg.MetadataValue.timestamp(last_good)},
        ORDERS: {"load_status": "loaded"},
    })
    assert not evaluations[POSTS].passed and evaluations[POSTS].severity == dg.AssetCheckSeverity.WARN
    assert "The last update was 3 hours" in evaluations[POSTS].description  # the last good load, not this run
    assert evaluations[ORDERS].passed


def test_a_failed_load_with_a_recent_last_good_load_is_still_fresh() -> None:
    recent = time.time() - 60
    evaluations = _freshness({
        POSTS: {"load_status": "failed", "dagster/last_updated_timestamp": dg.MetadataValue.timestamp(recent)}})
    assert evaluations[POSTS].passed
