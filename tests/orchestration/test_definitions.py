"""The asset graph as reviewers should see it: a snapshot of keys, checks, jobs, schedules, sensors.

A change to the graph (a new model, a renamed check) shows up here as a one-line diff to approve.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from asset_graph_snapshot import SNAPSHOT_FILE, describe

from orchestration.ingestion_assets import build_ingestion_assets
from orchestration.publish import SNAPSHOT_KEY
from orchestration.quality_checks import build_quality_checks

REPO = Path(__file__).resolve().parents[2]
RAW_KEYS = {
    "shopify/customers", "shopify/orders", "shopify/checkouts", "shopify/products",
    "square/locations", "square/customers", "square/orders", "square/payments", "square/refunds",
    "square/loyalty_accounts", "google_reviews/reviews", "bluesky/posts", "web_events/events",
}


@pytest.fixture(scope="module")
def defs_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose dbt manifest the ``repository`` fixture prepared (parsed once, on first load)."""
    return tmp_path_factory.mktemp("defs_data")


@pytest.fixture(scope="module")
def repository(defs_data_dir: Path) -> dg.RepositoryDefinition:
    os.environ["SEAMLINE_DATA_DIR"] = str(defs_data_dir)
    try:
        from orchestration.definitions import build_definitions

        return build_definitions().get_repository_def()
    finally:
        del os.environ["SEAMLINE_DATA_DIR"]


def test_graph_reads_as_one_lineage_from_connectors_to_publish(repository: dg.RepositoryDefinition) -> None:
    graph = repository.asset_graph
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys >= RAW_KEYS
    assert {"marts/dim_customers", "marts/fct_touchpoints", "marts/dim_locations", "serving/snapshot"} <= keys
    assert not {key for key in keys if key.split("/")[1].count("__") and key.split("/")[0] in {"shopify", "square"}}
    publish_parents = {key.to_user_string() for key in graph.get(SNAPSHOT_KEY).parent_keys}
    assert publish_parents and all(key.startswith("marts/") for key in publish_parents)
    ancestors = {key.to_user_string() for key in dg.AssetSelection.assets(SNAPSHOT_KEY).upstream().resolve(graph)}
    assert {key.split("/")[0] for key in RAW_KEYS & ancestors} == {key.split("/")[0] for key in RAW_KEYS}
    assert {"shopify/orders", "square/orders", "google_reviews/reviews", "web_events/events"} <= ancestors
    groups = {graph.get(dg.AssetKey.from_user_string(key)).group_name for key in RAW_KEYS}
    assert groups == {"shopify", "square", "google_reviews", "bluesky", "web_events"}


def test_the_graph_is_the_committed_snapshot(repository: dg.RepositoryDefinition) -> None:
    """Every asset key, check, job, schedule and sensor, compared with tests/orchestration/asset_graph.txt.

    An added or removed asset or check fails here until the snapshot is regenerated
    (``.venv/bin/python -m tests.orchestration.asset_graph_snapshot``) and its diff reviewed.
    """
    expected = SNAPSHOT_FILE.read_text().splitlines()
    actual = describe(repository).splitlines()
    added, removed = sorted(set(actual) - set(expected)), sorted(set(expected) - set(actual))
    assert not added and not removed, (
        f"the asset graph changed: added {added[:20]}, removed {removed[:20]}; if intended, regenerate "
        f"with `.venv/bin/python -m tests.orchestration.asset_graph_snapshot` and commit the diff")
    assert actual == expected  # no duplicate lines either


def test_the_snapshot_sees_an_added_and_a_removed_check(repository: dg.RepositoryDefinition) -> None:
    """The comparison above is not vacuous: one more or one fewer check changes the description."""
    assets = [*repository.assets_defs_by_key.values()]
    checks = build_quality_checks()
    extra = dg.AssetCheckSpec("one_more_check", asset=SNAPSHOT_KEY)

    @dg.multi_asset_check(specs=[extra])
    def one_more_check() -> Iterator[dg.AssetCheckResult]:
        yield dg.AssetCheckResult(check_name="one_more_check", asset_key=SNAPSHOT_KEY, passed=True)

    def lines(asset_checks: list) -> set[str]:
        return set(describe(dg.Definitions(assets=list(dict.fromkeys(assets)),
                                           asset_checks=asset_checks).get_repository_def()).splitlines())

    base = lines(checks)
    assert lines([*checks, one_more_check]) - base == {"check serving/snapshot:one_more_check"}
    assert base - lines(checks[1:]) == {f"check {key.asset_key.to_user_string()}:{key.name}"
                                        for key in checks[0].check_keys}


def test_check_severity_and_the_default_schedule(repository: dg.RepositoryDefinition) -> None:
    checks = {f"{key.asset_key.to_user_string()}:{key.name}" for key in repository.asset_graph.asset_check_keys}
    # issue 18: the quarantine watch (a jump warns, a collapse of the loaded share blocks) and raw freshness
    watched = {name.split(":")[0] for name in checks if name.endswith(":loaded_volume_within_baseline")}
    assert len(watched) == 5 and watched == {name.split(":")[0] for name in checks
                                             if name.endswith(":quarantine_within_baseline")}, watched
    assert {f"{key}:freshness_check" for key in RAW_KEYS} <= checks
    volume_specs = [spec for assets in build_ingestion_assets() for spec in assets.check_specs
                    if spec.name == "loaded_volume_within_baseline"]
    assert len(volume_specs) == 5 and all(spec.blocking for spec in volume_specs)
    assert [(s.name, s.cron_schedule) for s in repository.schedule_defs] == [("seamline_schedule", "0 * * * *")]
    # GX: ERROR rules on the marts make the publish step wait; on the raw tables they leave dbt free to report
    # its own row-level source tests (the publish audits every ERROR check either way); WARN never waits.
    blocking = {spec.name: spec.blocking for checks_def in build_quality_checks() for spec in checks_def.check_specs}
    assert blocking["fct_touchpoints__row_count_vs_previous_run"] is True
    assert blocking["orders__freshness"] is False
    assert blocking["fct_touchpoints__customer_id_mostly_not_null"] is False


@pytest.mark.slow
def test_dagster_definitions_validate_on_a_fresh_data_dir(tmp_path: Path) -> None:
    env = {**os.environ, "SEAMLINE_DATA_DIR": str(tmp_path / "data"), "DAGSTER_HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (tmp_path / "data" / "dbt_target" / "manifest.json").exists()


def test_loading_the_definitions_reads_the_prepared_manifest_and_never_runs_dbt(
    repository: dg.RepositoryDefinition, defs_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``dagster dev`` the code server loads the definitions on every start and reload: a ``dbt
    parse`` there took most of the 180 s Dagster allows (issue 17). Only a prepared manifest is read."""
    from orchestration.definitions import build_definitions

    assert (defs_data_dir / "dbt_target" / "manifest.json").exists()
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(defs_data_dir))
    monkeypatch.setenv("DAGSTER_IS_DEV_CLI", "1")  # what `dagster dev` sets for its code servers

    def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"loading the definitions started a process: {args}")

    monkeypatch.setattr(subprocess, "Popen", no_subprocess)
    assert build_definitions().resolve_job_def("seamline_job")


def test_loading_the_definitions_does_not_import_great_expectations(
    repository: dg.RepositoryDefinition, defs_data_dir: Path
) -> None:
    """GX costs seconds of CPU to import; only a run that validates needs it."""
    code = "import sys, orchestration.definitions; print('great_expectations' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300,
                            check=True, env={**os.environ, "SEAMLINE_DATA_DIR": str(defs_data_dir)})
    assert result.stdout.strip().splitlines()[-1] == "False"


def _exposures() -> list[dict]:
    """The dashboard pages declared in exposures.yml (one exposure per page)."""
    import yaml

    return yaml.safe_load((REPO / "dbt_project" / "models" / "exposures.yml").read_text())["exposures"]


def _dashboard_keys(graph) -> set[dg.AssetKey]:
    return {key for key in graph.get_all_asset_keys() if key.path[0] == "dashboards"}


def test_every_asset_has_a_group_and_a_description(repository: dg.RepositoryDefinition) -> None:
    """Issue 17: an asset sat in group "default" with no description; only the dashboard pages are external."""
    graph = repository.asset_graph
    nodes = [graph.get(key) for key in graph.get_all_asset_keys()]
    assert not [node.key.to_user_string() for node in nodes if node.group_name in (None, "default")]
    assert not [node.key.to_user_string() for node in nodes if not node.description]
    external = {node.key for node in nodes if not node.is_materializable}
    assert external == _dashboard_keys(graph)
    assert {key.path[-1] for key in external} == {exposure["name"] for exposure in _exposures()}


def test_the_dashboard_sits_downstream_of_the_marts_its_exposure_declares(repository: dg.RepositoryDefinition) -> None:
    for exposure in _exposures():
        declared = {ref.split("'")[1] for ref in exposure["depends_on"]}
        parents = repository.asset_graph.get(dg.AssetKey(["dashboards", exposure["name"]])).parent_keys
        assert {key.path[-1] for key in parents if key.path[0] == "marts"} == declared, exposure["name"]
        assert SNAPSHOT_KEY in parents  # it reads the published snapshot, not the warehouse


def test_every_mart_the_dashboard_reads_has_checks_and_every_check_a_description(
    repository: dg.RepositoryDefinition,
) -> None:
    graph = repository.asset_graph
    checked = {key.asset_key for key in graph.asset_check_keys}
    marts = {key for page in _dashboard_keys(graph) for key in graph.get(page).parent_keys if key.path[0] == "marts"}
    assert not {key.to_user_string() for key in marts - checked}
    undescribed = [key.name for key in graph.asset_check_keys if not graph.get_check_spec(key).description]
    assert not undescribed
    described = graph.get_check_spec(dg.AssetCheckKey(dg.AssetKey(["marts", "fct_touchpoints"]),
                                                      "unique_fct_touchpoints_touchpoint_id")).description
    assert described.startswith("[ERROR, blocks publish] dbt: touchpoint_id has no duplicates")
