"""Session fixtures shared by every area: a tiny world, its sandboxes, and ONE full pipeline run.

The full run (ingest -> dbt -> checks -> publish through Dagster, in-process) happens at most once
per test session, into a temporary SEAMLINE_DATA_DIR; tests that need a published serving snapshot
(dashboard, marts, orchestration) reuse ``tiny_pipeline`` instead of building their own. Tests must
treat its data dir as read-only; to change something, copy it (``copy_data_dir``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from orchestration.offline import switch_off_telemetry

TINY_SCALE = "tiny"
TINY_SEED = 7

def pytest_configure(config: pytest.Config) -> None:
    """Telemetry and version checks off for every test process (nothing may reach the internet)."""
    switch_off_telemetry()


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny demo world (300 people, 4 months), generated once per session. Read-only."""
    from sandbox.world import generate_world

    return generate_world(TINY_SCALE, TINY_SEED, tmp_path_factory.mktemp("tiny_world"))


@pytest.fixture(scope="session")
def tiny_sandboxes(tiny_world: Path) -> Iterator[object]:
    """The vendor sandboxes serving the tiny world (``.base_urls``, ``.token``) for the session."""
    from sandbox.servers import start_sandboxes

    with start_sandboxes(tiny_world) as sandboxes:
        yield sandboxes


@dataclass(frozen=True)
class PipelineRun:
    """The shared run: its data dir (raw, warehouse, serving, dagster_home) and its outcome."""

    data_dir: Path
    world_dir: Path
    env: dict[str, str]
    outcome: object  # orchestration.runner.PipelineOutcome
    environ_written: dict[str, tuple[str | None, str | None]]  # what the run changed in os.environ: none

    @property
    def snapshot(self) -> Path:
        """The published serving snapshot (fails the test clearly when nothing was published)."""
        from seamline_core import snapshots

        snapshot = snapshots.current_snapshot(self.data_dir / "serving")
        assert snapshot is not None, f"the shared pipeline run published nothing: {self.outcome}"
        return snapshot


def _pipeline_run(world: Path, sandboxes, data_dir: Path) -> PipelineRun:
    """The whole job (ingest -> dbt -> checks -> publish) into data_dir, from the sandboxes serving world."""
    from orchestration.cli import environment
    from orchestration.runner import run_job, sandbox_env

    env = {
        **sandbox_env(sandboxes.base_urls, sandboxes.token, world),
        "SEAMLINE_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(data_dir / "dagster_home"),
    }
    with environment(env):
        before = dict(os.environ)
        outcome = run_job("seamline_job")
        environ_written = {name: (before.get(name), os.environ.get(name))
                           for name in before.keys() | os.environ.keys() if before.get(name) != os.environ.get(name)}
    return PipelineRun(data_dir=data_dir, world_dir=world, env=env, outcome=outcome,
                       environ_written=environ_written)


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory: pytest.TempPathFactory, tiny_world: Path, tiny_sandboxes: object) -> PipelineRun:
    """ONE full pipeline run on the tiny world through Dagster (about 1-2 minutes on 2 cores)."""
    return _pipeline_run(tiny_world, tiny_sandboxes, tmp_path_factory.mktemp("pipeline_data"))


@pytest.fixture(scope="session")
def tiny_pipeline_of_seed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], PipelineRun]:
    """``tiny_pipeline_of_seed(23)``: the full pipeline run on the tiny world of another seed (its own
    merchant dialect), made at most once per session whichever modules ask. Read-only, like ``tiny_pipeline``
    (the run of seed 7, which this refuses to repeat)."""
    from sandbox.servers import start_sandboxes
    from sandbox.world import generate_world

    runs: dict[int, PipelineRun] = {}

    def run_of(seed: int) -> PipelineRun:
        assert seed != TINY_SEED, "seed 7 is the session's tiny_pipeline: use that fixture"
        if seed not in runs:
            world = generate_world(TINY_SCALE, seed, tmp_path_factory.mktemp(f"tiny_world_seed{seed}"))
            with start_sandboxes(world) as sandboxes:
                runs[seed] = _pipeline_run(world, sandboxes, tmp_path_factory.mktemp(f"pipeline_data_seed{seed}"))
        return runs[seed]

    return run_of


@pytest.fixture
def copy_data_dir(tmp_path: Path):
    """Copy a data dir (e.g. ``tiny_pipeline.data_dir``) for a test that changes it."""

    def copy(source: Path) -> Path:
        target = tmp_path / "data"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.wal"))
        return target

    return copy
