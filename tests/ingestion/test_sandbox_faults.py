"""The connectors under the sandboxes' injected faults: rate limits, 5xx, malformed records, drift, SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from connector_harness import (
    WORLD_TABLES,
    manifest,
    query,
    row_counts,
    run_all,
    source_config,
    table_fingerprints,
)

from ingestion.pipelines import run_source
from sandbox.servers import Faults, start_sandboxes
from sandbox.servers.malformed import MALFORMABLE, malformed_records
from sandbox.world.generate import generate_world
from seamline_core.paths import raw_db

API_SOURCES = ("shopify", "square", "google_reviews", "bluesky")
CONNECTOR_RESOURCE = {"catalog": "catalog_objects"}  # the sandbox's fault name -> the connector's resource

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_world("tiny", 7, tmp_path_factory.mktemp("world") / "world")


def use_data_dir(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(path))


def clean_fingerprints(world: Path, names: tuple[str, ...]) -> dict[str, str]:
    with start_sandboxes(world) as sandboxes:
        run_all(source_config(sandboxes, world), names)
    return table_fingerprints()


def test_429s_and_5xx_bursts_give_identical_tables(tiny_world: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    use_data_dir(monkeypatch, tmp_path / "clean")
    expected = clean_fingerprints(tiny_world, API_SOURCES)
    use_data_dir(monkeypatch, tmp_path / "faulty")
    faults = Faults(rate_limit_every=4, server_error_every=5, server_error_burst=2)
    with start_sandboxes(tiny_world, faults=faults) as sandboxes:
        run_all(source_config(sandboxes, tiny_world), API_SOURCES)
        token = sandboxes.token
    assert table_fingerprints() == expected
    assert len(expected) > 20
    assert "HTTP 429, retry" in caplog.text and "HTTP 503, retry" in caplog.text
    assert token not in caplog.text


def test_malformed_records_are_quarantined_with_reasons_and_the_rest_loads(tiny_world: Path) -> None:
    faults = Faults(seed=3, malformed_rate=0.08)
    with start_sandboxes(tiny_world, faults=faults) as sandboxes:
        results = run_all(source_config(sandboxes, tiny_world), API_SOURCES)
    counts = row_counts()
    malformed = malformed_records(tiny_world, faults)  # the sandbox's own list
    for name, (_vendor, resource, _shape) in MALFORMABLE.items():
        if not (tiny_world / f"{name}.jsonl").exists():
            continue  # a file this world does not write (yet)
        records = (tiny_world / f"{name}.jsonl").read_text().splitlines()
        broken = [m for m in malformed if m.world_file == name]
        dataset = WORLD_TABLES[name].split(".")[0]
        loaded_as = CONNECTOR_RESOURCE.get(resource, resource)
        quarantined = query(f"select count(*) from {dataset}._quarantine where resource = '{loaded_as}'")[0][0]
        assert (counts.get(name, 0), quarantined) == (len(records) - len(broken), len(broken)), name
        assert sum(results[dataset].quarantined.get(loaded_as, {}).values()) == len(broken)
    reasons = {reason.split(":")[0].split(" ")[0] for schema in API_SOURCES for (reason,) in
               query(f"select distinct reason from {schema}._quarantine")}
    assert reasons == {"missing", "unparseable", "negative", "wrong", "text", "invalid"}
    assert query("select count(*) from shopify._quarantine where raw_payload is null or field is null "
                 "or source <> 'shopify'") == [(0,)]


def test_new_fields_are_added_and_type_changes_quarantined(tiny_world: Path) -> None:
    faults = Faults(new_field_from_request=1, type_change_from_request=2, vendors=("shopify",))
    with start_sandboxes(tiny_world, faults=faults) as sandboxes:
        run_source("shopify", **source_config(sandboxes, tiny_world)["shopify"])
    counts = manifest(tiny_world)["counts"]
    assert query("select count(*) from shopify.customers where sandbox_added_field is not null") == [
        (counts["shopify/customers"],)]
    reasons = dict(query("select resource, any_value(reason) from shopify._quarantine group by 1"))
    with_locations = {"locations"} if (tiny_world / "shopify/locations.jsonl").exists() else set()
    assert set(reasons) == {"orders", "checkouts", "products"} | with_locations
    assert reasons["orders"].startswith("wrong type: expected decimal_string, got number")
    assert query("select count(*) from information_schema.tables where table_schema = 'shopify' "
                 "and table_name = 'orders'") == [(0,)], "every order carried the changed type"
    assert query("select count(*) from shopify._quarantine where resource = 'orders'") == [
        (counts["shopify/orders"],)]


def test_sigkill_mid_extract_then_rerun_equals_an_uninterrupted_run(tiny_world: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("shopify", "square")
    use_data_dir(monkeypatch, tmp_path / "clean")
    expected = clean_fingerprints(tiny_world, names)
    killed_dir = tmp_path / "killed"
    use_data_dir(monkeypatch, killed_dir)
    with start_sandboxes(tiny_world, faults=Faults(slow_every=1, slow_seconds=0.3)) as sandboxes:
        config = source_config(sandboxes, tiny_world)
        for name, kill_after in (("shopify", "shopify.orders page 1"), ("square", "square.orders page 1")):
            env = {**os.environ, "SEAMLINE_DATA_DIR": str(killed_dir), "RUNTIME__DLTHUB_TELEMETRY": "false"}
            for key, value in config[name].items():
                env[f"SOURCES__{name.upper()}__{key.upper()}"] = str(value)
            child = subprocess.Popen([sys.executable, "-u", "-m", "ingestion.pipelines", name], env=env,
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
            assert child.stderr is not None
            for line in child.stderr:
                if kill_after in line:
                    child.send_signal(signal.SIGKILL)
                    break
            assert child.wait(timeout=60) == -signal.SIGKILL
        assert raw_db().exists() is False or query("select 1") == [(1,)]
        run_all(config, names)
    assert table_fingerprints() == expected


KILL_BEFORE_LOAD = """
import sys, time
from ingestion.pipelines import SOURCES, make_pipeline
name = sys.argv[1]
pipeline = make_pipeline(name)
pipeline.extract(SOURCES[name](), loader_file_format="parquet")
pipeline.normalize()
print("normalized", flush=True)
time.sleep(60)
"""


def test_sigkill_between_normalize_and_load_then_rerun_equals_an_uninterrupted_run(
    tiny_world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("google_reviews", "web_events")
    use_data_dir(monkeypatch, tmp_path / "clean")
    expected = clean_fingerprints(tiny_world, names)
    killed_dir = tmp_path / "killed"
    use_data_dir(monkeypatch, killed_dir)
    with start_sandboxes(tiny_world) as sandboxes:
        config = source_config(sandboxes, tiny_world)
        for name in names:
            env = {**os.environ, "SEAMLINE_DATA_DIR": str(killed_dir), "RUNTIME__DLTHUB_TELEMETRY": "false"}
            for key, value in config[name].items():
                env[f"SOURCES__{name.upper()}__{key.upper()}"] = str(value)
            child = subprocess.Popen([sys.executable, "-u", "-c", KILL_BEFORE_LOAD, name], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            assert child.stdout is not None
            assert "normalized" in child.stdout.readline()
            child.send_signal(signal.SIGKILL)
            assert child.wait(timeout=60) == -signal.SIGKILL
        finishing = run_all(config, names)  # loads the pending packages the killed runs left
        assert finishing["web_events"].rows_loaded["events"] == manifest(tiny_world)["counts"]["web_events/events"]
        settled = run_all(config, names)
    assert all(result.rows_loaded == {} for result in settled.values())
    assert table_fingerprints() == expected
