"""Every check's verdict on the tiny demo-world family, as a comparable record.

Recorded once from the code before the checks were reorganised (issue 24, commit d199fc7) into
``check_results_before.json`` beside this file, and compared by ``test_check_results.py`` with what
the checks say now: the same worlds, the same outcome (pass / warn / fail) and the same count of
failing rows for every rule, wherever the rule now lives (``MOVED`` in the test names the rules whose
home changed). Regenerate (minutes: one tiny-world pipeline per seed, plus the bad batch) with

    .venv/bin/python -m tests.orchestration.check_results --out tests/orchestration/check_results_before.json

The committed file was made that way from a ``git archive d199fc7`` export of the repository with this
module copied in (run from the export's root, so its code was the one imported), on 2026-12-08.

Worlds: the tiny world of seeds 7, 11 and 23 (each seed its own merchant dialect) through the whole
Dagster job, plus seed 7's bad batch (``test_pipeline_e2e._inject_bad_batch``, re-audited by
``seamline_transform_job``), where blocking and row-level rules fail with rows.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

SEEDS = (7, 11, 23)
BEFORE = Path(__file__).with_name("check_results_before.json")
BAD_BATCH = "7-bad-batch"
# Where a check's count of failing rows is: dbt tests (dagster-dbt) and GX row-level rules.
FAILING_ROW_KEYS = ("dagster_dbt/failed_row_count", "unexpected_count")


def _twins(prefix: str, pairs: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}:{gx}": f"{prefix}:{dbt}" for gx, dbt in pairs.items()}


# Rules whose home changed (issue 20 item 2): the GX check of a row-level rule -> the dbt test that judges it
# now (28 twins dbt already ran, and square.payments.id as dbt source tests). Every other row-level rule
# moved to dbt under its GX name, on its asset.
MOVED: dict[str, str] = {
    **{f"{source}/{table}:{table}__{column}_{kind}": f"{source}/{table}:source_{kind}_{source}_{table}_{column}"
       for source, table, column in (("shopify", "customers", "id"), ("shopify", "orders", "id"),
                                     ("square", "customers", "id"), ("square", "orders", "id"),
                                     ("square", "payments", "id"), ("google_reviews", "reviews", "review_id"),
                                     ("bluesky", "posts", "uri"), ("web_events", "events", "message_id"))
       for kind in ("not_null", "unique")},
    **{f"marts/{model}:{model}__{column}_{kind}": f"marts/{model}:{kind}_{model}_{column}"
       for model, column in (("dim_customers", "customer_id"), ("fct_touchpoints", "touchpoint_id"),
                             ("fct_orders", "order_id"))
       for kind in ("not_null", "unique")},
    **_twins("marts/dim_customers", {
        "dim_customers__journey_stage_accepted_values":
            "accepted_values_dim_customers_journey_stage__aware__considering__customer__repeat__advocate"}),
    **_twins("marts/fct_touchpoints", {
        "fct_touchpoints__channel_accepted_values": "accepted_values_fct_touchpoints_channel__web__store__review__social",
        "fct_touchpoints__touchpoint_type_accepted_values":
            "accepted_values_fct_touchpoints_touchpoint_type__page_view__product_view__add_to_cart__checkout_started"
            "__cart_abandoned__purchase__return__review__social_mention__identify",
        "fct_touchpoints__customer_id_references_dim_customers":
            "relationships_fct_touchpoints_customer_id__customer_id__ref_dim_customers_"}),
    **_twins("marts/fct_orders", {
        "fct_orders__channel_accepted_values": "accepted_values_fct_orders_channel__web__store",
        "fct_orders__fulfilment_type_accepted_values":
            "accepted_values_fct_orders_fulfilment_type__ship_to_home__pickup_in_store__ship_from_store__in_store",
        "fct_orders__customer_id_references_dim_customers":
            "relationships_fct_orders_customer_id__customer_id__ref_dim_customers_"}),
    **_twins("marts/fct_reviews", {"fct_reviews__review_id_unique": "unique_fct_reviews_review_id"}),
}
# Same rule, new name (the test's arguments are part of dbt's name): issue 16 item 4 widened the id map's
# change types; issue 19 casts keys `as string` (DuckDB's alias of varchar, which Spark also reads).
RENAMED: dict[str, str] = {
    "intermediate/int_customer_id_assignments:accepted_values_int_customer_id_assignments_change_type__new__merge__split__reassigned":
        "intermediate/int_customer_id_assignments:accepted_values_int_customer_id_assignments_change_type__initial__new__joined__merge__split__retired__removed__reassigned",
    "marts/customer_id_history:accepted_values_customer_id_history_change_type__merge__split__reassigned":
        "marts/customer_id_history:accepted_values_customer_id_history_change_type__new__merge__split__retired",
    **{f"marts/{mart}:unique_{mart}_cast_{column}_as_varchar_{rest}": f"marts/{mart}:unique_{mart}_cast_{column}_as_string_{rest}"
       for mart, column, rest in (("kpi_cart_recovery", "week_start", "recovery_channel"),
                                  ("kpi_channel_daily", "date", "channel_currency"),
                                  ("kpi_price_consistency", "day", "sku"),
                                  ("rpt_handoff_matrix", "week_start", "from_channel_to_channel"))},
}


def differences(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """Every rule of ``before`` that ``after`` no longer reports, or reports with another verdict.

    Outcome and failing rows must be equal. For a rule now judged by its dbt twin (``MOVED``) the
    outcome must be equal and rows must fail on both sides or on neither: the twin counts what dbt's
    test counts (dbt's ``unique`` one row per duplicated key, GX every duplicated row).
    """
    problems = []
    for key, was in sorted(before.items()):
        key = RENAMED.get(key, key)
        now = after.get(MOVED.get(key, key))
        if now is None:
            problems.append(f"{key}: no longer reported (looked for {MOVED.get(key, key)})")
        elif now["outcome"] != was["outcome"]:
            problems.append(f"{key}: {was['outcome']} before, {now['outcome']} now ({MOVED.get(key, key)})")
        elif key not in MOVED and now["failing_rows"] != was["failing_rows"]:
            problems.append(f"{key}: {was['failing_rows']} failing rows before, {now['failing_rows']} now")
        elif key in MOVED and bool(now["failing_rows"]) != bool(was["failing_rows"]):
            problems.append(f"{key}: failing rows {was['failing_rows']} before, {now['failing_rows']} now "
                            f"({MOVED[key]})")
    return problems


def recorded_before() -> dict[str, dict[str, dict[str, Any]]]:
    """The committed record of d199fc7 (see the module docstring)."""
    return json.loads(BEFORE.read_text())


def check_results(data_dir: Path, run_id: str) -> dict[str, dict[str, Any]]:
    """``asset:check_name`` -> outcome (pass / warn / fail) and failing rows, for one run of ``data_dir``."""
    import dagster as dg

    results = {}
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        for event in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
            evaluation = event.dagster_event.event_specific_data
            metadata = evaluation.metadata or {}
            rows = next((metadata[key] for key in FAILING_ROW_KEYS if key in metadata), None)
            rows = getattr(rows, "value", rows)
            outcome = "pass" if evaluation.passed else (
                "fail" if evaluation.severity == dg.AssetCheckSeverity.ERROR else "warn")
            results[f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"] = {
                "outcome": outcome, "failing_rows": None if rows is None else int(rows)}
    return dict(sorted(results.items()))


def run_world(world: Path, data_dir: Path, job: str = "seamline_job") -> str:
    """Run ``job`` on ``world`` into ``data_dir`` through the sandboxes; the run id."""
    from orchestration.runner import environment, run_job, sandbox_env
    from sandbox.servers import start_sandboxes

    with start_sandboxes(world) as sandboxes:
        env = {**sandbox_env(sandboxes.base_urls, sandboxes.token, world),
               "SEAMLINE_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(data_dir / "dagster_home")}
        with environment(env):
            return run_job(job).run_id


def bad_batch(data_dir: Path, copy: Path) -> tuple[Path, str]:
    """Seed 7's bad batch on a copy of its data dir, re-audited by ``seamline_transform_job``."""
    from orchestration.runner import environment, run_job
    from tests.orchestration.test_pipeline_e2e import _inject_bad_batch

    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("*.wal"))
    _inject_bad_batch(copy / "raw.duckdb")
    with environment({"SEAMLINE_DATA_DIR": str(copy), "DAGSTER_HOME": str(copy / "dagster_home")}):
        return copy, run_job("seamline_transform_job").run_id


def record(workdir: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """The check results of every world of the family (see the module docstring)."""
    from sandbox.world import generate_world

    recorded = {}
    for seed in SEEDS:
        world = generate_world("tiny", seed, workdir / f"world-{seed}")
        data_dir = workdir / f"data-{seed}"
        recorded[str(seed)] = check_results(data_dir, run_world(world, data_dir))
        print(f"seed {seed}: {len(recorded[str(seed)])} checks", flush=True)
        if seed == 7:
            copy, run_id = bad_batch(data_dir, workdir / "data-7-bad")
            recorded[BAD_BATCH] = check_results(copy, run_id)
            print(f"{BAD_BATCH}: {len(recorded[BAD_BATCH])} checks", flush=True)
    return recorded


def main() -> None:
    from orchestration.offline import switch_off_telemetry

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    switch_off_telemetry()
    with tempfile.TemporaryDirectory(prefix="check-results-") as workdir:
        recorded = record(Path(workdir))
    args.out.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
