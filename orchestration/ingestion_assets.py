"""One Dagster asset per dlt resource (dagster-dlt), grouped per source, keyed ``[dataset, table]``.

The dlt source is built twice on purpose: with placeholder settings when the definitions load (only
to enumerate its resources; nothing is fetched), and with the real configuration
(``SOURCES__<NAME>__*``) when the asset runs. So loading the code location needs no credentials.

A source whose load fails does not fail the step (that would make Dagster skip dbt and the publish for
every source): its assets report ``load_status="failed"`` with the error and its ``loaded_this_run``
check fails (WARN); see orchestration/source_loads.py.
"""

import inspect
from collections.abc import Iterator
from typing import Any

import dagster as dg
import dlt
import duckdb
from dagster_dlt import DagsterDltResource, DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.extract.source import DltSource

from ingestion.common.private_files import restrict_data_dir
from ingestion.common.settings import check_settings
from ingestion.pipelines import SOURCES, make_pipeline
from orchestration.progress import quiet_library_noise
from orchestration.quality.facts import quarantine_counts
from orchestration.quality.quarantine_watch import (
    RECENT_LOADS,
    quarantine_check_result,
    volume_check_result,
    volume_collapses,
)
from orchestration.source_loads import FAILED, LOADED, LOADED_CHECK, describe_failure, last_successful_load
from seamline_core import paths

PLACEHOLDER = "configured-at-run-time"
QUARANTINE_CHECK = "quarantine_within_baseline"
VOLUME_CHECK = "loaded_volume_within_baseline"


class SeamlineDltTranslator(DagsterDltTranslator):
    """``[dataset, table]`` keys (= dbt source keys), one group per source, no phantom upstream."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        source = data.resource.source_name
        return spec.replace_attributes(
            key=dg.AssetKey([source, str(data.resource.table_name)]),
            deps=[],
            group_name=source,
            description=f"Raw `{source}.{data.resource.table_name}` landed by dlt (ingestion/{source}).",
            kinds={"dlt", "duckdb"},
        )


def _placeholder_source(name: str) -> DltSource:
    """The source with placeholders for every setting dlt would inject (config and secrets)."""
    function = SOURCES[name]
    injected = (type(dlt.config.value), type(dlt.secrets.value))
    placeholders = {
        parameter.name: PLACEHOLDER
        for parameter in inspect.signature(function).parameters.values()
        if isinstance(parameter.default, injected)
    }
    return function(**placeholders)


def build_source_assets(name: str) -> dg.AssetsDefinition:
    """The multi-asset for one source: every resource of ``SOURCES[name]``."""
    translator = SeamlineDltTranslator()
    specs = [
        translator.get_asset_spec(DltResourceTranslatorData(resource=resource, pipeline=None))
        for resource in _placeholder_source(name).selected_resources.values()
    ]

    check_key = dg.AssetCheckKey(specs[0].key, LOADED_CHECK)
    check_spec = dg.AssetCheckSpec(
        LOADED_CHECK, asset=specs[0].key,
        description=f"[WARN] {name}: the load of this run succeeded. When it fails, the run still publishes "
                    f"the other sources with {name}'s last good data, marked stale; this check names the error.",
    )

    quarantine_key = dg.AssetCheckKey(specs[0].key, QUARANTINE_CHECK)
    quarantine_spec = dg.AssetCheckSpec(
        QUARANTINE_CHECK, asset=specs[0].key,
        description=f"[WARN] {name}: records quarantined by this run's load stay within 3x their recent "
                    f"baseline (median of the 5 loads before); a jump names the resource, field and sample records.",
    )

    volume_key = dg.AssetCheckKey(specs[0].key, VOLUME_CHECK)
    volume_spec = dg.AssetCheckSpec(
        VOLUME_CHECK, asset=specs[0].key, blocking=True,
        description=f"[ERROR, blocks publish] {name}: the share of this load's records that reached raw (not "
                    f"quarantine) stays above half its recent median, per resource; a collapse names the "
                    f"resource, field and sample records.",
    )

    @dg.multi_asset(specs=specs, check_specs=[check_spec, quarantine_spec, volume_spec], name=f"dlt_{name}",
                    can_subset=True, op_tags={"seamline/writer": "raw"})
    def load(context: dg.AssetExecutionContext, dlt: DagsterDltResource) -> Iterator[Any]:
        quiet_library_noise()
        pipeline = make_pipeline(name)
        try:
            check_settings(name)  # every bad or missing setting named before any request
            results = list(dlt.run(
                context=context,
                dlt_source=SOURCES[name](),
                dlt_pipeline=pipeline,
                dagster_dlt_translator=translator,
                loader_file_format="parquet",
            ))
        except Exception as error:  # noqa: BLE001 (reported in the check, metadata, ops table and summary)
            yield from _failed_load(context, name, error, check_key)
            for key, severity in ((quarantine_key, dg.AssetCheckSeverity.WARN),
                                  (volume_key, dg.AssetCheckSeverity.ERROR)):
                if key in context.selected_asset_check_keys:
                    yield dg.AssetCheckResult(asset_key=key.asset_key, check_name=key.name, passed=True,
                                              severity=severity,
                                              description=f"{name}: nothing loaded this run, nothing quarantined")
            return
        finally:
            restrict_data_dir()  # raw PII at rest: raw.duckdb and dlt's folders owner-only
        load_ids = list(pipeline.last_trace.last_load_info.loads_ids) if pipeline.last_trace else []
        rows_loaded = {result.asset_key.path[-1]: _rows_loaded(result.metadata) for result in results}
        history = _load_history(context.instance, [spec.key for spec in specs])  # before this run's events
        with duckdb.connect(str(paths.raw_db()), read_only=True) as con:
            quarantined = quarantine_counts(con, schemas=[name], load_ids=load_ids)
            watch = quarantine_check_result(con, name) if quarantine_key in context.selected_asset_check_keys else None
            volume = (volume_check_result(volume_collapses(con, name, load_ids, rows_loaded, history), name)
                      if volume_key in context.selected_asset_check_keys else None)
        total = 0
        for result in results:
            metadata = dict(result.metadata or {})
            table = result.asset_key.path[-1]
            per_reason = {row["reason"]: row["records"] for row in quarantined if row["table"] == table}
            rows = rows_loaded[table]
            total += rows
            metadata["load_status"] = LOADED
            metadata["rows_loaded"] = dg.MetadataValue.int(rows)
            metadata["rows_quarantined"] = dg.MetadataValue.int(sum(per_reason.values()))
            metadata["quarantined_by_reason"] = dg.MetadataValue.json(per_reason)
            yield dg.MaterializeResult(asset_key=result.asset_key, metadata=metadata)
        if check_key in context.selected_asset_check_keys:
            yield dg.AssetCheckResult(asset_key=check_key.asset_key, check_name=LOADED_CHECK, passed=True,
                                      severity=dg.AssetCheckSeverity.WARN,
                                      description=f"{name}: loaded {total} rows this run",
                                      metadata={"rows_loaded": total, "load_status": LOADED})
        for key, outcome in ((quarantine_key, watch), (volume_key, volume)):
            if outcome is not None:
                yield dg.AssetCheckResult(asset_key=key.asset_key, check_name=key.name, passed=outcome.passed,
                                          severity=outcome.severity, description=outcome.description,
                                          metadata=outcome.metadata)

    return load


def _rows_loaded(metadata: Any) -> int:
    loaded = (metadata or {}).get("rows_loaded")  # dagster-dlt omits it when zero
    return int(getattr(loaded, "value", loaded) or 0)


def _load_history(instance: dg.DagsterInstance, keys: list[dg.AssetKey]) -> dict[str, list[tuple[int, int]]]:
    """(rows loaded, rows quarantined) per table of its recent successful loads, from the assets' own
    materializations (raw tables cannot say: a merge load re-stamps the rows it updates)."""
    history: dict[str, list[tuple[int, int]]] = {}
    for key in keys:
        records = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=key), limit=RECENT_LOADS).records
        for record in records:
            metadata = record.asset_materialization.metadata if record.asset_materialization else {}
            status = metadata.get("load_status")
            if getattr(status, "value", status) == LOADED and "rows_quarantined" in metadata:
                history.setdefault(key.path[-1], []).append(
                    (_rows_loaded(metadata), int(metadata["rows_quarantined"].value)))
    return history


def _failed_load(context: dg.AssetExecutionContext, name: str, error: Exception,
                 check_key: dg.AssetCheckKey) -> Iterator[Any]:
    """Report a failed load without failing the step, so dbt builds on the source's last good raw data.

    Each selected asset still yields a materialization (Dagster skips the downstream dbt step when an
    output is missing), but it says what happened: ``load_status="failed"``, 0 rows, the error, and
    ``dagster/last_updated_timestamp`` = the last successful load (when the data readers get was loaded).
    """
    failure = describe_failure(name, error)
    last_good = last_successful_load(paths.raw_db(), name)
    since = last_good.isoformat() if last_good else "never (no raw data of this source yet)"
    context.log.error(f"{name}: load FAILED, {failure.text}; publishing its last good data from {since}, marked stale")
    metadata: dict[str, Any] = {
        "load_status": FAILED,
        "rows_loaded": dg.MetadataValue.int(0),
        "error": failure.text,
        "error_class": failure.error_class,
        "last_successful_load_at": since,
    }
    if last_good is not None:
        metadata["dagster/last_updated_timestamp"] = dg.MetadataValue.timestamp(last_good)
    for key in context.selected_asset_keys:
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
    if check_key in context.selected_asset_check_keys:
        yield dg.AssetCheckResult(
            asset_key=check_key.asset_key, check_name=LOADED_CHECK, passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{name}: load failed: {failure.text}. Its data is stale, last good load: {since}",
            metadata={"error": failure.text, "error_class": failure.error_class, "load_status": FAILED,
                      "last_successful_load_at": since},
        )


def build_ingestion_assets() -> list[dg.AssetsDefinition]:
    """Every registered source, in registry order."""
    return [build_source_assets(name) for name in SOURCES]
