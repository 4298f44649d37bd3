"""One Dagster asset per dlt resource (dagster-dlt), grouped per source, keyed ``[dataset, table]``.

The dlt source is built twice on purpose: with placeholder settings when the definitions load (only
to enumerate its resources; nothing is fetched), and with the real configuration
(``SOURCES__<NAME>__*``) when the asset runs. So loading the code location needs no credentials.
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

from ingestion.pipelines import SOURCES, make_pipeline
from orchestration import paths
from orchestration.progress import quiet_library_noise
from orchestration.quality.facts import quarantine_counts

PLACEHOLDER = "configured-at-run-time"


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

    @dg.multi_asset(specs=specs, name=f"dlt_{name}", can_subset=True, op_tags={"seamline/writer": "raw"})
    def load(context: dg.AssetExecutionContext, dlt: DagsterDltResource) -> Iterator[Any]:
        quiet_library_noise()
        pipeline = make_pipeline(name)
        events = dlt.run(
            context=context,
            dlt_source=SOURCES[name](),
            dlt_pipeline=pipeline,
            dagster_dlt_translator=translator,
            loader_file_format="parquet",
        )
        results = list(events)
        load_ids = list(pipeline.last_trace.last_load_info.loads_ids) if pipeline.last_trace else []
        with duckdb.connect(str(paths.raw_db()), read_only=True) as con:
            quarantined = quarantine_counts(con, schemas=[name], load_ids=load_ids)
        for result in results:
            metadata = dict(result.metadata or {})
            table = result.asset_key.path[-1]
            per_reason = {row["reason"]: row["records"] for row in quarantined if row["table"] == table}
            loaded = metadata.get("rows_loaded")  # dagster-dlt omits it when zero
            metadata["rows_loaded"] = dg.MetadataValue.int(int(getattr(loaded, "value", loaded) or 0))
            metadata["rows_quarantined"] = dg.MetadataValue.int(sum(per_reason.values()))
            metadata["quarantined_by_reason"] = dg.MetadataValue.json(per_reason)
            yield dg.MaterializeResult(asset_key=result.asset_key, metadata=metadata)

    return load


def build_ingestion_assets() -> list[dg.AssetsDefinition]:
    """Every registered source, in registry order."""
    return [build_source_assets(name) for name in SOURCES]
