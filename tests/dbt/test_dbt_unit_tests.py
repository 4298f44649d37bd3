"""dbt's unit tests run here, in CI, and not in the pipeline's runs (issue 24).

Their inputs are fixtures, not a run's data, so they judge the code: the pipeline's ``dbt build``
leaves them out (``orchestration.dbt_assets.BUILD_ARGS``, as dbt recommends for production runs) and
this suite's ``tiny_warehouse`` build runs every one of them.
"""

from __future__ import annotations

import json


def test_every_dbt_unit_test_ran_and_passed_in_ci(tiny_warehouse) -> None:
    target = tiny_warehouse / "dbt_target"
    manifest = json.loads((target / "manifest.json").read_text())
    declared = set(manifest.get("unit_tests", {}))
    results = json.loads((target / "run_results.json").read_text())["results"]
    ran = {result["unique_id"]: result["status"] for result in results if result["unique_id"].startswith("unit_test.")}
    assert len(declared) >= 16 and set(ran) == declared
    assert {status for status in ran.values()} == {"pass"}, {uid: s for uid, s in ran.items() if s != "pass"}

