"""Dagster resources: dbt (offline, from this venv) and dlt.

Nothing here writes the environment (issue 20 item 3): the dbt resource hands dbt the data dir as a
``--vars`` value and the thread count as ``--threads`` on every call, so what dbt reads is what
``seamline_core.paths`` says when the call runs, whatever the caller's environment holds.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_dlt import DagsterDltResource
from packaging import version
from pydantic import Field

from seamline_core import paths

THREADS_VARIABLE = "SEAMLINE_DBT_THREADS"


class SeamlineDbtCliResource(DbtCliResource):
    """``DbtCliResource`` that passes Seamline's settings explicitly and never asks PyPI for dbt's version.

    dagster-dbt runs ``dbt --version`` before every command, and that command queries PyPI for the
    latest release (1 s timeout per package, no switch to turn it off: dbt-labs/dbt-core#6992). The
    version we need is the installed dbt-core's, which Python already knows. ``_cli_version`` is
    private: tests/orchestration/test_resources.py fails loudly when dagster-dbt renames it or stops
    calling it.
    """

    threads: int = Field(default=1, description="dbt threads (profiles.yml's own default is 1)")

    def settings_args(self) -> list[str]:
        """The data dir (profiles.yml: ``var('seamline_data_dir')``) and the thread count, for any dbt command."""
        return ["--vars", json.dumps({"seamline_data_dir": str(paths.data_dir())}), "--threads", str(self.threads)]

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))


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


def dbt_cli() -> SeamlineDbtCliResource:
    """dbt from this venv (next to the running Python), so no activated venv or PATH is needed.

    dbt runs independent models side by side, one per core, unless ``SEAMLINE_DBT_THREADS`` says
    otherwise (Dagster resolves the ``EnvVar`` when a run starts). Safe with DuckDB: the threads share
    dbt-duckdb's one connection inside one writing process.
    """
    threads = dg.EnvVar.int(THREADS_VARIABLE) if THREADS_VARIABLE in os.environ else os.cpu_count() or 1
    return SeamlineDbtCliResource(project_dir=dbt_project(), threads=threads,
                                  dbt_executable=str(Path(sys.executable).parent / "dbt"))


def ensure_dbt_manifest(project: DbtProject, force: bool = False) -> Path:
    """Parse the dbt project when its manifest is missing (a fresh clone) or ``force`` (models changed).

    ``dbt parse`` needs no database connection and takes no DuckDB lock, so it is safe while a
    pipeline runs. Its output goes to ``<data dir>/dbt_target``.
    """
    if force or not project.manifest_path.exists():
        dbt = dbt_cli()
        dbt.cli(["parse", "--quiet", *dbt.settings_args()], target_path=project.target_path).wait()
    return project.manifest_path


def dlt_resource() -> DagsterDltResource:
    """dagster-dlt's runner; sources and pipelines are built per run (see ingestion_assets)."""
    return DagsterDltResource()
