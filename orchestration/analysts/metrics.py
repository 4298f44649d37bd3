"""Governed metrics: MetricFlow over the published serving snapshot, read-only, offline.

Why not the `mf` command: it asks PyPI for a newer version on every start (update-checker) and
queries through a dbt adapter that opens the warehouse for writing. Here the semantic manifest comes
from `dbt parse` (no database needed) and queries run on a read-only DuckDB connection to the
snapshot, with the dbt database name (`warehouse`) attached as an alias so MetricFlow's
fully-qualified table names resolve. MetricFlow's telemetry only logs locally (no network).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Self

import duckdb

from orchestration.offline import switch_off_telemetry
from seamline_core import paths, snapshots

SEMANTIC_MANIFEST = "semantic_manifest.json"


class MetricsError(RuntimeError):
    """A problem the analyst can act on (no snapshot yet, dbt parse failed); the message says what."""


def analyst_target_dir() -> Path:
    """Where `seamline metrics` and `seamline docs` keep their dbt artifacts (under the data dir)."""
    return paths.data_dir() / "analyst_target"


def _project_inputs() -> list[Path]:
    project = paths.DBT_PROJECT_DIR
    files = [project / "dbt_project.yml", project / "profiles.yml"]
    for folder in ("models", "macros", "seeds"):
        files.extend(path for path in (project / folder).rglob("*") if path.is_file())
    return files


def dbt_command(args: Sequence[str], target_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's dbt (the venv's, with the project's profile) offline; output captured."""
    env = dict(os.environ)
    switch_off_telemetry(env)
    env.setdefault("SEAMLINE_DATA_DIR", str(paths.data_dir()))
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *args, "--project-dir", str(paths.DBT_PROJECT_DIR),
               "--profiles-dir", str(paths.DBT_PROJECT_DIR), "--target-path", str(target_dir),
               "--log-path", str(target_dir / "logs")]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def semantic_manifest(target_dir: Path | None = None, refresh: bool = False) -> Path:
    """The semantic manifest of the dbt project, re-parsed when any project file is newer."""
    target_dir = target_dir or analyst_target_dir()
    manifest = target_dir / SEMANTIC_MANIFEST
    stale = not manifest.exists() or refresh or any(
        path.stat().st_mtime > manifest.stat().st_mtime for path in _project_inputs())
    if stale:
        target_dir.mkdir(parents=True, exist_ok=True)
        result = dbt_command(["parse", "--quiet"], target_dir)
        if result.returncode != 0 or not manifest.exists():
            raise MetricsError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
        manifest.touch()
    return manifest


class ReadOnlySnapshotClient:
    """MetricFlow's `SqlClient` on a read-only DuckDB connection to one published snapshot."""

    def __init__(self, snapshot: Path, database_alias: str = "warehouse") -> None:
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.snapshot = snapshot
        self._renderer = DuckDbSqlPlanRenderer()
        self._connection = duckdb.connect(":memory:")
        self._connection.execute(f"attach '{_quote(snapshot)}' as \"{database_alias}\" (read_only)")
        self._connection.execute(f'use "{database_alias}"')

    @property
    def sql_engine_type(self):
        from metricflow.protocols.sql_client import SqlEngine

        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self):
        return self._renderer

    def query(self, stmt: str, sql_bind_parameter_set=None):
        from metricflow.data_table.mf_table import MetricFlowDataTable

        cursor = self._connection.cursor()
        try:
            cursor.execute(stmt, _params(sql_bind_parameter_set))
            names = [column[0] for column in cursor.description]
            rows = [tuple(_cell(value) for value in row) for row in cursor.fetchall()]
        finally:
            cursor.close()
        return MetricFlowDataTable.create_from_rows(column_names=names, rows=rows)

    def execute(self, stmt: str, sql_bind_parameter_set=None) -> None:
        self._connection.execute(stmt, _params(sql_bind_parameter_set))

    def dry_run(self, stmt: str, sql_bind_parameter_set=None) -> None:
        self._connection.execute(f"explain {stmt}", _params(sql_bind_parameter_set))

    def close(self) -> None:
        self._connection.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _params(parameter_set) -> dict[str, object] | None:
    if parameter_set is None:
        return None
    values = dict(parameter_set.param_dict)
    return values or None


def _cell(value: object) -> object:
    """DuckDB values as MetricFlow's table accepts them (decimals kept exact, dates as datetimes)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, (int, float, str, bool, Decimal, dt.datetime)) or value is None:
        return value
    return str(value)


@dataclass
class MetricResult:
    """One answered metric query: its columns, rows and the SQL MetricFlow generated."""

    columns: list[str]
    rows: list[tuple[object, ...]]
    sql: str

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


class GovernedMetrics:
    """The MetricFlow engine over one snapshot (default: the one published now). Close it after use."""

    def __init__(self, snapshot: Path | None = None, manifest: Path | None = None) -> None:
        switch_off_telemetry()
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        snapshot = snapshot or snapshots.current_snapshot()
        if snapshot is None:
            raise MetricsError("no published snapshot yet: run `make demo` (or `seamline run`) first")
        manifest = manifest or semantic_manifest()
        parsed = parse_manifest_from_dbt_generated_manifest(manifest.read_text())
        databases = {model.node_relation.database for model in parsed.semantic_models}
        self.snapshot = snapshot
        self.client = ReadOnlySnapshotClient(snapshot, database_alias=next(iter(databases), None) or "warehouse")
        self.lookup = SemanticManifestLookup(parsed)
        self.engine = MetricFlowEngine(semantic_manifest_lookup=self.lookup, sql_client=self.client)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def metrics(self) -> list[tuple[str, str, list[str]]]:
        """(name, description, dimensions) of every governed metric, sorted by name."""
        listed = []
        for metric in self.engine.list_metrics():
            dimensions = sorted({dimension.dunder_name for dimension in metric.dimensions})
            listed.append((metric.name, (metric.description or "").strip(), dimensions))
        return sorted(listed)

    def query(self, metrics: Sequence[str], group_by: Sequence[str] = (), where: Sequence[str] = (),
              start: dt.datetime | None = None, end: dt.datetime | None = None,
              order_by: Sequence[str] = (), limit: int | None = None, explain: bool = False) -> MetricResult:
        """Answer metrics grouped by dimensions, filtered by `where` (MetricFlow's Jinja filters)."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics), group_by_names=list(group_by) or None,
            where_constraints=list(where) or None, time_constraint_start=start, time_constraint_end=end,
            order_by_names=list(order_by) or None, limit=limit)
        if explain:
            explained = self.engine.explain(request)
            return MetricResult([], [], explained.sql_statement.sql)
        result = self.engine.query(request)
        table = result.result_df
        assert table is not None
        return MetricResult(list(table.column_names), [tuple(row) for row in table.rows], result.sql)
