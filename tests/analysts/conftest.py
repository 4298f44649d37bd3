"""Fixtures for the analyst tests: the dbt project's semantic manifest and a small published snapshot.

The snapshot is the dashboard tests' own (tests/dashboards/dashboard_snapshot.py, published with the
real publisher), so the governed metrics are checked against exactly the numbers the dashboard shows.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from dashboard_snapshot import build_small_snapshot

from orchestration.analysts.metrics import GovernedMetrics, semantic_manifest


@pytest.fixture(scope="session")
def analyst_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt parse` of the project (about 10 s): manifest.json and semantic_manifest.json."""
    target = tmp_path_factory.mktemp("analyst_target")
    semantic_manifest(target_dir=target)
    return target


@pytest.fixture(scope="session")
def small_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the dashboard tests' small snapshot, published (read-only for the tests)."""
    data_dir = tmp_path_factory.mktemp("analyst_data")
    build_small_snapshot(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def small_snapshot(small_data_dir: Path) -> Path:
    serving = small_data_dir / "serving"
    return serving / (serving / "current").read_text().strip()


@pytest.fixture(scope="session")
def governed(small_snapshot: Path, analyst_target: Path) -> Iterator[GovernedMetrics]:
    """The governed metrics over the small snapshot."""
    with GovernedMetrics(small_snapshot, manifest=analyst_target / "semantic_manifest.json") as metrics:
        yield metrics
