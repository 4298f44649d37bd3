"""The dbt project as Dagster assets: one asset per model (key ``[schema, model]``), dbt tests as checks.

Source keys are ``[source, table]`` = the dlt assets' keys; a dlt child table
(``orders__line_items``) belongs to its parent resource's asset (``[shopify, orders]``), because one
dlt resource writes both. That is what makes the graph one lineage from connector to mart.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.resources import dbt_environment, dbt_project, ensure_dbt_manifest

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
        yield from invocation.stream()
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
