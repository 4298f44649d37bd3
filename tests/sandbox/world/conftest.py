"""Shared worlds for the simulator tests: generated once per session into pytest's temp space."""

from pathlib import Path

import pytest
from world_files import SEED

from ingestion.sandbox.world import generate_world


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny world (seed 7) as of the end of its window; tests must not modify it."""
    return generate_world("tiny", SEED, tmp_path_factory.mktemp("world") / "tiny")
