"""Every recipe of the cookbook (docs/analysts.md) runs on a published snapshot and answers sanely."""

from __future__ import annotations

import pytest
from cookbook import CHECKS, check, recipes


def test_the_cookbook_has_ten_questions_each_checked():
    assert len(recipes()) >= 10
    assert set(recipes()) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_recipe_answers_on_the_demo_snapshot(name, small_snapshot, analyst_env):
    check(name, small_snapshot)
