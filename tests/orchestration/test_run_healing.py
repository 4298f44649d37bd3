"""A run killed with kill -9 is marked failed and recorded, so the next run is not refused (issue 18 item 4).

A real run: a child process executes a job (one asset, the serving snapshot's key, so the run plans a
publish like the pipeline's) on a persistent instance and blocks inside it; the test waits until the
run is STARTED, kills the child with SIGKILL, and heals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.run_healing import heal_dead_runs, heal_dead_runs_sensor, process_is_alive
from seamline_core import snapshots

CHILD = """
import sys, time
from pathlib import Path
import dagster as dg
from orchestration.publish import SNAPSHOT_KEY

@dg.asset(key=SNAPSHOT_KEY)
def blocks_forever():
    Path(sys.argv[1]).write_text("started")
    while True:
        time.sleep(1)

job = dg.define_asset_job("stand_in_pipeline", selection=[SNAPSHOT_KEY], executor_def=dg.in_process_executor)
definitions = dg.Definitions(assets=[blocks_forever], jobs=[job])
with dg.DagsterInstance.get() as instance:
    definitions.resolve_job_def("stand_in_pipeline").execute_in_process(instance=instance)
"""


def _wait_for(condition, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def instance_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path / "data"))
    return home


def test_a_killed_run_is_marked_failed_and_recorded(tmp_path: Path, instance_home: Path) -> None:
    marker = tmp_path / "started"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker)], env=dict(os.environ))
    try:
        _wait_for(marker.exists, "the run to start its step")
        with dg.DagsterInstance.get() as instance:
            (run,) = instance.get_runs()
            assert run.status == dg.DagsterRunStatus.STARTED
            assert heal_dead_runs(instance) == [], "a live run is left alone"
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=60)
            assert not process_is_alive(child.pid)
            assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED, "Dagster alone never notices"

            assert heal_dead_runs(instance) == [run.run_id]

            assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
            status = snapshots.read_run_status()
            assert (status.run_id, status.status) == (run.run_id, "failed")
            assert heal_dead_runs(instance) == [], "healed once"
    finally:
        if child.poll() is None:
            child.kill()


def test_the_sensor_reports_what_it_healed(instance_home: Path) -> None:
    with dg.instance_for_test() as instance:
        result = heal_dead_runs_sensor(dg.build_sensor_context(instance=instance))
    assert "no run with a dead process" in result.skip_message
