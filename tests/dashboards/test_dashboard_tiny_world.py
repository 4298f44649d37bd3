"""The page, Customer 360 and browser tests again, on the tiny-world snapshot of the shared pipeline run.

The assertions are the same functions (imported, so pytest collects them again here); only the
snapshot differs: `snapshot_data_dir` below is the shared run's data dir instead of the small snapshot
these tests build themselves. Slow because the shared run takes minutes (once per session).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_dashboard_browser import *  # noqa: F403 (collected again here, on the tiny world)
from test_dashboard_customer_360 import *  # noqa: F403 (collected again here, on the tiny world)
from test_dashboard_pages import *  # noqa: F403 (collected again here, on the tiny world)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def snapshot_data_dir(tiny_pipeline) -> Path:
    """The shared tiny-world run's data dir (read-only): its published snapshot and warehouse.

    Fails when that run published nothing: the dashboard would have nothing to show (the pipeline's own
    end-to-end test, tests/orchestration/test_pipeline_e2e.py, names the failing checks).
    """
    assert tiny_pipeline.snapshot.exists()  # fails naming the run's outcome when nothing was published
    return tiny_pipeline.data_dir
