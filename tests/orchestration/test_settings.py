"""Settings reach dbt, Dagster and dlt without anything but the CLI entry point writing os.environ
(issue 20 item 3), and the one dagster-dbt internal Seamline overrides is pinned (item 4)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from dagster_dbt import DbtCliResource
from dagster_dbt.core import resource as dbt_resource_module

from orchestration.resources import SeamlineDbtCliResource, dbt_cli

REPO = Path(__file__).resolve().parents[2]


def test_dagster_dbt_still_asks_cli_version_which_seamline_answers_without_a_process(monkeypatch) -> None:
    """dagster-dbt runs `dbt --version` (a PyPI query, dbt-labs/dbt-core#6992) through `_cli_version`."""
    assert isinstance(DbtCliResource.__dict__.get("_cli_version"), cached_property), (
        "dagster-dbt renamed or reshaped _cli_version: revisit orchestration/resources.py")
    assert "self._cli_version" in inspect.getsource(DbtCliResource.cli)

    def no_process(*args: object, **kwargs: object) -> bytes:
        raise AssertionError(f"dbt --version was run: {args}")

    monkeypatch.setattr(dbt_resource_module, "check_output", no_process)
    assert str(dbt_cli()._cli_version) == installed_version("dbt-core")


def test_dbt_is_told_the_data_dir_and_threads_on_every_call(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEAMLINE_DBT_THREADS", "3")
    resource = dbt_cli().process_config_and_initialize()
    assert isinstance(resource, SeamlineDbtCliResource)
    args = resource.settings_args()
    assert json.loads(args[args.index("--vars") + 1]) == {"seamline_data_dir": str(tmp_path)}
    assert args[args.index("--threads") + 1] == "3"


@pytest.mark.slow
def test_importing_and_loading_the_definitions_write_no_environment(tiny_pipeline) -> None:
    """A fresh process: import the code location, then load it the way Dagster does."""
    code = (
        "import json, os\n"
        "before = dict(os.environ)\n"
        "import orchestration.definitions as location\n"
        "imported = dict(os.environ)\n"
        "assert location.defs().resolve_job_def('seamline_job')\n"
        "changed = lambda now: sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))\n"
        "print(json.dumps({'import': changed(imported), 'load': changed(dict(os.environ))}))\n"
    )
    env = {**os.environ, "SEAMLINE_DATA_DIR": str(tiny_pipeline.data_dir)}  # its manifest is prepared
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=600, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"import": [], "load": []}


@pytest.mark.slow
def test_running_the_job_writes_no_environment(tiny_pipeline) -> None:
    """The session's full run (ingest, dbt, checks, publish) left os.environ as it found it."""
    assert tiny_pipeline.outcome.published
    assert tiny_pipeline.environ_written == {}
