"""Fixtures for the sandbox server tests: a small world in the vendors' exact shapes, and the same tests
on a world from the simulator (`generate_world`).

Tests derive every expectation from the world's files, never from constants, so both worlds run the
same assertions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_world import write_fixture_world

from sandbox.servers import Sandboxes, start_sandboxes


def _generated_world(target: Path) -> Path:
    from sandbox.world import generate_world

    generate_world("tiny", 3, target)
    return target


@pytest.fixture(scope="session", params=["fixture", "generated"])
def world_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The world the tests serve: the fixture world, then a simulator world."""
    target = tmp_path_factory.mktemp(f"world-{request.param}")
    if request.param == "fixture":
        return write_fixture_world(target)
    return _generated_world(target)


@pytest.fixture(scope="session")
def sandboxes(world_dir: Path) -> Iterator[Sandboxes]:
    """Fault-free sandboxes with generous rate limits, shared by the read-only tests."""
    with start_sandboxes(world_dir) as running:
        yield running


def read_world(world: Path, relative: str) -> list[dict[str, Any]]:
    path = world / relative
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def world_records(world_dir: Path):
    """`world_records("square/orders.jsonl")` -> the records the world holds."""
    return lambda relative: read_world(world_dir, relative)

