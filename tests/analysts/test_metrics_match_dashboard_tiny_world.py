"""The dashboard-vs-metric comparisons again, on the shared tiny-world pipeline run's snapshot.

The assertions are the same functions (imported, so pytest collects them again here); only the
snapshot differs: the real dbt marts instead of the dashboard tests' small one. Slow because the
shared run takes minutes (once per session).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_metrics_match_dashboard import *

from orchestration.analysts.metrics import GovernedMetrics

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_snapshot(tiny_pipeline) -> Path:
    return tiny_pipeline.snapshot  # fails, naming the outcome, when the shared run published nothing


@pytest.fixture(scope="module")
def governed(small_snapshot: Path, analyst_target: Path) -> Iterator[GovernedMetrics]:
    with GovernedMetrics(small_snapshot, manifest=analyst_target / "semantic_manifest.json") as metrics:
        yield metrics
