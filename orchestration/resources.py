"""Dagster resources: dbt (offline, from this venv) and dlt.

Settings are read when a function runs: the dbt profile reads ``SEAMLINE_DATA_DIR`` through
``env_var``, so ``dbt_environment()`` makes sure it is set (absolute) before any dbt call.
"""

from __future__ import annotations

import os
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dlt import DagsterDltResource
from packaging import version

from orchestration.offline import switch_off_telemetry
from seamline_core import paths


class OfflineDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that never asks PyPI for dbt's version.

    dagster-dbt runs ``dbt --version`` before every command, and that command queries PyPI for the
    latest release (1 s timeout per package, no switch to turn it off). The version we need is the
    installed dbt-core's, which Python already knows.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))


def dbt_environment() -> None:
    """Set what the dbt profile and every tool expect: an absolute data dir and telemetry off."""
    os.environ["SEAMLINE_DATA_DIR"] = str(paths.data_dir())
    # dbt runs independent models side by side, one per core (profiles.yml reads it; default 1).
    # Safe with DuckDB: the threads share dbt-duckdb's one connection inside one writing process.
    os.environ.setdefault("SEAMLINE_DBT_THREADS", str(os.cpu_count() or 1))
    switch_off_telemetry()


def dbt_project() -> DbtProject:
    """The dbt project, its profile beside it, its manifest under the data dir.

    The target path lives in the data dir so parallel runs with different data dirs (tests, other
    engineers, the demo) never overwrite each other's manifest.
    """
    return DbtProject(
        project_dir=paths.DBT_PROJECT_DIR,
        profiles_dir=paths.DBT_PROJECT_DIR,
        target_path=paths.data_dir() / "dbt_target",
    )


def dbt_cli() -> OfflineDbtCliResource:
    """dbt from this venv (next to the running Python), so no activated venv or PATH is needed."""
    return OfflineDbtCliResource(
        project_dir=dbt_project(), dbt_executable=str(Path(sys.executable).parent / "dbt")
    )


def ensure_dbt_manifest(project: DbtProject, force: bool = False) -> Path:
    """Parse the dbt project when its manifest is missing (a fresh clone) or ``force`` (models changed).

    ``dbt parse`` needs no database connection and takes no DuckDB lock, so it is safe while a
    pipeline runs. Its output goes to ``<data dir>/dbt_target``.
    """
    if force or not project.manifest_path.exists():
        dbt_environment()
        dbt_cli().cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return project.manifest_path


def dlt_resource() -> DagsterDltResource:
    """dagster-dlt's runner; sources and pipelines are built per run (see ingestion_assets)."""
    return DagsterDltResource()
