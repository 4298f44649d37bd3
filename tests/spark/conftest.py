"""Spark tests need the optional extra (`make spark-install`) and Java; `make test` does not run them.

They are deselected unless asked for with `-m spark` (`make test-spark`), so the default suite never
needs pyspark. Asked for without pyspark installed, they fail (never skip): install it first.
"""

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "spark" in (config.getoption("-m") or ""):
        return
    selected = [item for item in items if "spark" not in item.keywords]
    deselected = [item for item in items if "spark" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
