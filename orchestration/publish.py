"""Write-audit-publish, the publish step: the ``["serving", "snapshot"]`` asset and the run audit.

The publish asset trusts nothing but the run's own record: it reads every check evaluation of its
run from the Dagster instance and publishes only when every ERROR check that was planned passed
(Python assets downstream of a failing dbt test may still run, dagster#25112). A run that does not
publish leaves the current snapshot untouched and records why in ``serving/last_run.json``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import duckdb

from orchestration import serving
from orchestration.quality.facts import quarantine_counts, source_freshness, table_volumes
from orchestration.quality.failing_rows import failing_rows
from orchestration.quality.rules import TableSuite
from orchestration.quality.suites import ALL_SUITES, FRESHNESS_COLUMNS
from orchestration.resources import dbt_project
from orchestration.source_loads import source_load_rows, stale_sources
from seamline_core import paths, snapshots

SNAPSHOT_KEY = dg.AssetKey(["serving", "snapshot"])


@dataclass(frozen=True)
class RunAudit:
    """Every check evaluation of a run, and the blocking ones that failed or never reported."""

    evaluations: list[dict[str, Any]]
    failing: list[dict[str, Any]]

    @property
    def passed(self) -> bool:
        return not self.failing


def audit_run(instance: dg.DagsterInstance, run_id: str) -> RunAudit:
    """Read the run's planned checks and evaluations from the instance (the gate's only evidence).

    A planned check without an evaluation counts as failing: a check that crashed or was skipped
    vouches for nothing.
    """
    planned = {
        event.dagster_event.event_specific_data.asset_check_key
        for event in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
    }
    evaluations = []
    for event in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = event.dagster_event.event_specific_data
        metadata = evaluation.metadata or {}
        evaluations.append({
            "key": evaluation.asset_check_key,
            "check_name": evaluation.check_name,
            "asset": evaluation.asset_key.to_user_string(),
            "severity": evaluation.severity.value,
            "status": "passed" if evaluation.passed else "failed",
            "observed_value": _observed(metadata),
            "run_id": run_id,
            "checked_at": _utc(event.timestamp),
            "description": evaluation.description,
        })
    evaluated = {row["key"] for row in evaluations}
    failing = [
        _public(row) for row in evaluations
        if row["status"] == "failed" and row["severity"] == dg.AssetCheckSeverity.ERROR.value
    ]
    failing += [
        {"check_name": key.name, "asset": key.asset_key.to_user_string(), "severity": "ERROR",
         "status": "not run", "observed_value": None, "run_id": run_id, "checked_at": None,
         "description": "planned but never reported (its step failed or was skipped)"}
        for key in sorted(planned - evaluated, key=str)
    ]
    return RunAudit([_public(row) for row in evaluations], failing)


def record_run_outcome(instance: dg.DagsterInstance, run_id: str, run_failed: bool) -> snapshots.RunStatus | None:
    """After a run that planned to publish but did not: record why in last_run.json.

    "blocked" when blocking checks failed (a failing blocking check also fails its step, so the run
    fails too), "failed" when the run broke without a check verdict (a source or model error).

    Runs that never planned the publish (a single asset from the UI) change nothing.
    """
    current = snapshots.read_run_status()
    if current and current.run_id == run_id:
        return current
    planned = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
    if not any(event.dagster_event.asset_key == SNAPSHOT_KEY for event in planned):
        return None
    audit = audit_run(instance, run_id)
    checks_failed = any(row["status"] == "failed" for row in audit.failing)
    status = "blocked" if checks_failed or not run_failed else "failed"
    return serving.write_run_status(run_id, status, audit.failing,
                                    stale_sources=stale_sources(source_loads(instance, run_id)))


def source_loads(instance: dg.DagsterInstance, run_id: str) -> list[dict[str, Any]]:
    """``ops.source_loads`` for this run: each source's load status, error and last good load.

    A source the run did not load keeps the row of the current snapshot (still stale if it was).
    """
    from ingestion.pipelines import SOURCES

    previous: list[dict[str, Any]] = []
    snapshot = snapshots.current_snapshot()
    if snapshot is not None and snapshot.exists():
        try:
            previous = snapshots.read_ops_table(snapshot, "source_loads")
        except duckdb.CatalogException:  # published before the table existed
            previous = []
    return source_load_rows(instance, run_id, list(SOURCES), paths.raw_db(), previous)


def build_publish_asset(
    public_marts: Sequence[dg.AssetKey], suites: Sequence[TableSuite] = ALL_SUITES
) -> dg.AssetsDefinition:
    """The publish asset, downstream of every public mart (and so of their checks).

    ``suites`` name the relations whose row counts go to ``ops.table_volumes``, which the next
    run's volume checks compare against.
    """

    @dg.asset(key=SNAPSHOT_KEY, deps=list(public_marts), group_name="serving", kinds={"duckdb"},
              description="The serving snapshot readers open; written only when every blocking check passed.")
    def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        audit = audit_run(context.instance, context.run.run_id)
        loads = source_loads(context.instance, context.run.run_id)
        stale = stale_sources(loads)
        for source in stale:
            context.log.warning(f"{source['source']} did not load this run ({source['error']}): publishing its "
                                f"last good data from {source['last_successful_load_at'] or 'never'}, marked stale")
        if not audit.passed:
            serving.write_run_status(context.run.run_id, "blocked", audit.failing, stale_sources=stale)
            names = ", ".join(f"{row['asset']}:{row['check_name']}" for row in audit.failing[:10])
            raise dg.Failure(
                description=f"publish skipped: {len(audit.failing)} blocking check(s) failed: {names}",
                metadata={"failing_checks": dg.MetadataValue.json(audit.failing)},
            )
        run_id = context.run.run_id
        ops_rows = {**_ops_rows(run_id, audit, suites), "source_loads": loads}
        snapshot = serving.publish_snapshot(paths.warehouse_db(), run_id, ops_rows)
        serving.write_run_status(context.run.run_id, "published", [], stale_sources=stale)
        return dg.MaterializeResult(metadata={
            "snapshot": dg.MetadataValue.path(str(snapshot)),
            "rows_per_mart": dg.MetadataValue.json(mart_row_counts(snapshot)),
            "checks_passed": sum(row["status"] == "passed" for row in audit.evaluations),
            "checks_failed_warn": sum(row["status"] == "failed" for row in audit.evaluations),
            "data_docs": dg.MetadataValue.path(str(paths.quality_docs_dir() / "index.html")),
            "stale_sources": dg.MetadataValue.json(stale),
        })

    return serving_snapshot


def mart_row_counts(snapshot: Any) -> dict[str, int]:
    """Rows per published mart (the demo summary prints these)."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables where table_schema = 'marts' "
                             "order by table_name").fetchall()
        return {name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0] for (name,) in tables}


def _ops_rows(run_id: str, audit: RunAudit, suites: Sequence[TableSuite]) -> dict[str, list[dict[str, Any]]]:
    databases = {"raw": paths.raw_db(), "warehouse": paths.warehouse_db()}
    freshness: list[dict[str, Any]] = []
    quarantine: list[dict[str, Any]] = []
    if paths.raw_db().exists():
        with duckdb.connect(str(paths.raw_db()), read_only=True) as raw:
            freshness = source_freshness(raw)
            quarantine = quarantine_counts(raw, schemas=list(FRESHNESS_COLUMNS))
    return {
        "quality_results": audit.evaluations,
        "source_freshness": freshness,
        "quarantine_counts": quarantine,
        "table_volumes": table_volumes(databases, suites, run_id),
        "check_failing_rows": failing_rows(paths.warehouse_db(), dbt_project().manifest_path, [
            row for row in audit.evaluations
            if row["status"] == "failed" and row["severity"] == dg.AssetCheckSeverity.WARN.value
        ]),
    }


def _observed(metadata: dict[str, Any]) -> Any:
    for key in ("observed_value", "unexpected_count", "failed_row_count"):
        if key in metadata:
            return getattr(metadata[key], "value", metadata[key])
    return None


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != "key"}


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
