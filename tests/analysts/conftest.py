"""Fixtures for the analyst tests: a small published snapshot and the dbt docs generated on it.

The snapshot is the dashboard tests' own (tests/dashboards/dashboard_snapshot.py, published with the
real publisher), so the governed metrics are checked against exactly the numbers the dashboard shows.
`dbt docs generate` runs once on that data dir (about 10 s) and also leaves the semantic manifest in
`<data dir>/analyst_target`, where `seamline metrics` looks for it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from dashboard_snapshot import build_small_snapshot

from orchestration.analysts import docs_site
from orchestration.analysts.metrics import GovernedMetrics


@pytest.fixture(scope="session")
def analyst_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the small snapshot published and the docs site generated (read-only for tests)."""
    data_dir = tmp_path_factory.mktemp("analyst_data")
    build_small_snapshot(data_dir)
    duckdb.connect(str(data_dir / "raw.duckdb")).close()  # the profile attaches it (read-only)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEAMLINE_DATA_DIR", str(data_dir))
        docs_site.generate()
    return data_dir


@pytest.fixture(scope="session")
def analyst_target(analyst_data_dir: Path) -> Path:
    return analyst_data_dir / "analyst_target"


@pytest.fixture(scope="session")
def small_snapshot(analyst_data_dir: Path) -> Path:
    serving = analyst_data_dir / "serving"
    return serving / (serving / "current").read_text().strip()


@pytest.fixture(scope="session")
def governed(small_snapshot: Path, analyst_target: Path) -> Iterator[GovernedMetrics]:
    """The governed metrics over the small snapshot."""
    with GovernedMetrics(small_snapshot, manifest=analyst_target / "semantic_manifest.json") as metrics:
        yield metrics


@pytest.fixture
def analyst_env(analyst_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SEAMLINE_DATA_DIR pointing at the analyst data dir, as for a `seamline` command."""
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(analyst_data_dir))
    return analyst_data_dir
