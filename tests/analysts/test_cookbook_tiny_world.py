"""The cookbook's recipes on the shared tiny-world pipeline run's snapshot (the real dbt marts).

Slow because the shared run takes minutes (once per session); the fast test runs the same recipes on
the dashboard tests' small snapshot.
"""

from __future__ import annotations

import pytest
from cookbook import CHECKS, check

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_recipe_answers_on_the_tiny_world_snapshot(name, tiny_pipeline, analyst_env):
    check(name, tiny_pipeline.snapshot)  # fails, naming the outcome, when the shared run published nothing
