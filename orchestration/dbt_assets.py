"""The dbt project as Dagster assets: one asset per model (key ``[schema, model]``), dbt tests as checks.

Source keys are ``[source, table]`` = the dlt assets' keys; a dlt child table
(``orders__line_items``) belongs to its parent resource's asset (``[shopify, orders]``), because one
dlt resource writes both. That is what makes the graph one lineage from connector to mart.
"""

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from ingestion.common.private_files import restrict_data_dir
from orchestration.resources import dbt_environment, dbt_project, ensure_dbt_manifest
from seamline_core import paths

DBT_ASSETS_NAME = "dbt_models"


class SeamlineDbtTranslator(DagsterDbtTranslator):
    """Keys that line up with dlt, and groups that follow the dbt layers (staging, marts, ...)."""

    def __init__(self) -> None:
        super().__init__(
            DagsterDbtTranslatorSettings(
                enable_asset_checks=True,
                enable_source_tests_as_checks=True,
                enable_duplicate_source_asset_keys=True,
            )
        )

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            parent_table = dbt_resource_props["name"].split("__", 1)[0] or dbt_resource_props["name"]
            return dg.AssetKey([dbt_resource_props["source_name"], parent_table])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: DbtProject | None) -> dg.AssetCheckSpec | None:
        """dagster-dbt's check, with a description of what the test asserts (it has none otherwise)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=dbt_test_description(manifest["nodes"][unique_id]))


def dbt_test_description(test: Mapping[str, Any]) -> str:
    """``[ERROR, blocks publish] dbt: <what it asserts>. <why>`` for one test node of the manifest."""
    metadata = test.get("test_metadata") or {}
    kwargs = {key: value for key, value in metadata.get("kwargs", {}).items() if key != "model"}
    column, name = kwargs.get("column_name"), metadata.get("name")
    if name == "not_null":
        what = f"{column} is never null"
    elif name == "unique":
        what = f"{column} has no duplicates"
    elif name == "accepted_values":
        values = [str(value) for value in kwargs.get("values", [])]
        what = f"{column} is one of {', '.join(values[:8])}{', ...' if len(values) > 8 else ''}"
    elif name == "relationships":
        target = re.sub(r"^(?:ref|source)\((.*)\)$", r"\1", str(kwargs.get("to", ""))).replace("'", "")
        what = f"every {column} exists in {target}.{kwargs.get('field')}"
    elif name == "unique_combination":
        what = f"each combination of {', '.join(kwargs.get('columns', []))} appears once"
    elif name == "in_range":
        what = f"{column} lies between {kwargs.get('min_value')} and {kwargs.get('max_value')}"
    elif name:
        what = f"{name}" + (f" on {column}" if column else "")
    else:  # a singular test: its leading {# ... #} comment says what it checks
        comment = re.search(r"\{#-?(.*?)-?#\}", test.get("raw_code", ""), re.DOTALL)
        first_sentence = " ".join(comment.group(1).split()).split(". ")[0] if comment else ""
        what = first_sentence or f"singular test {test.get('original_file_path')}"
    severity = str(test.get("config", {}).get("severity", "error")).lower()
    label = "ERROR, blocks publish" if severity == "error" else "WARN"
    why = test.get("description") or test.get("config", {}).get("meta", {}).get("why")
    if why and len(why) > 200:
        why = why[:197].rsplit(" ", 1)[0] + " ..."
    return f"[{label}] dbt: {what}" + (f". {why}" if why else "")


def build_dbt_assets() -> dg.AssetsDefinition:
    """Load the prepared manifest into assets (``dbt parse`` runs here only when it is missing).

    Parsing is the caller's job (``seamline ui``/``demo``/``run`` parse once before they start):
    parsing on every code-server load took most of the 180 s Dagster allows a code location to load.
    """
    project = dbt_project()
    manifest = ensure_dbt_manifest(project)

    @dbt_assets(
        manifest=manifest,
        project=project,
        name=DBT_ASSETS_NAME,
        dagster_dbt_translator=SeamlineDbtTranslator(),
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
        """``dbt build``: models and their tests; failing data tests become failed checks, not a crash.

        A model that errors, or a failing unit test (dbt then skips the model), still fails the step
        after every result is reported, because a missing table is not a quality verdict.
        """
        dbt_environment()
        target = project.target_path / "runs" / context.run.run_id  # under the data dir, one per run
        invocation = dbt.cli(["build"], context=context, raise_on_error=False, target_path=target)
        # Held until dbt exits: row counts need the warehouse, which dbt's process holds open until then.
        table_names = {spec.key.to_python_identifier(): spec.metadata.get("dagster/table_name")
                       for spec in context.assets_def.specs}
        events = list(invocation.stream())
        restrict_data_dir()  # the warehouse (its restricted schema holds raw PII) is owner-only
        yield from with_row_counts(events, table_names)
        broken = [
            result["unique_id"]
            for result in invocation.get_artifact("run_results.json").get("results", [])
            if result.get("status") == "error"
            or (result.get("status") == "fail" and result["unique_id"].startswith("unit_test."))
        ]
        if broken:
            raise dg.Failure(
                description=f"dbt build: {len(broken)} model(s) or unit test(s) broke: {', '.join(broken[:10])}",
                metadata={"broken_nodes": broken},
            )

    return dbt_models


def with_row_counts(events: list[Any], table_names: Mapping[str, Any]) -> list[Any]:
    """Add ``dagster/row_count`` to each built table's event (the UI's row count column).

    dagster-dbt's ``fetch_row_counts()`` queries while dbt runs, which DuckDB's one-writer lock
    forbids; counting after the build reads the finished tables read-only. Views are not counted
    (counting would run their query).
    """
    tables = {}
    for event in events:
        name = table_names.get(event.output_name) if isinstance(event, dg.Output) else None  # database.schema.table
        if name is not None:
            _, schema, table = str(getattr(name, "value", name)).split(".")
            tables[(schema, table)] = event
    if not tables or not paths.warehouse_db().exists():
        return events
    counts = {}
    with duckdb.connect(str(paths.warehouse_db()), read_only=True) as con:
        base_tables = set(con.execute("select table_schema, table_name from information_schema.tables "
                                      "where table_type = 'BASE TABLE'").fetchall())
        for schema, table in tables.keys() & base_tables:
            (counts[(schema, table)],) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
    enriched = {id(event): event.with_metadata({**event.metadata, "dagster/row_count": dg.MetadataValue.int(counts[key])})
                for key, event in tables.items() if key in counts}
    return [enriched.get(id(event), event) for event in events]


def build_exposure_specs(also_reads: Sequence[dg.AssetKey] = ()) -> list[dg.AssetSpec]:
    """dbt exposures (models/exposures.yml) as external assets downstream of the marts they declare.

    dagster-dbt does not turn exposures into assets; without this the dashboard was missing from the
    lineage. ``also_reads`` adds what the exposure reads besides dbt models (the serving snapshot).
    Dagster does not materialise these: the exposure's own tool (Streamlit) serves them.
    """
    manifest = json.loads(dbt_project().manifest_path.read_text())
    translator = SeamlineDbtTranslator()
    return [
        dg.AssetSpec(
            key=dg.AssetKey([f"{exposure['type']}s", exposure["name"]]),
            deps=[*(translator.get_asset_key(manifest["nodes"][node]) for node in exposure["depends_on"]["nodes"]
                    if node in manifest["nodes"]), *also_reads],
            description=" ".join(exposure.get("description", "").split()) or exposure.get("label"),
            group_name=f"{exposure['type']}s",
            kinds={"streamlit"} if exposure["type"] == "dashboard" else set(),
            metadata={"url": dg.MetadataValue.url(exposure["url"])} if exposure.get("url") else {},
        )
        for exposure in manifest.get("exposures", {}).values()
    ]
