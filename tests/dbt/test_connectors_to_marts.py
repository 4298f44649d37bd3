"""End to end through the real connectors (slow): sandboxes -> dlt -> dbt -> scores and touchpoints.

The other dbt tests load the world's files with dlt directly; this one proves the dbt project reads
what the connectors really land.
"""

import json

import duckdb
import pandas as pd
import pytest

from evaluation.identity import score_identity
from ingestion.pipelines import SOURCES, run_source
from sandbox.direct_load import run_dbt
from sandbox.servers import start_sandboxes


def connector_settings(sandboxes, world) -> dict[str, dict]:
    """Per source, the settings a user types (`SOURCES__<SOURCE>__<SETTING>`), plus the optional Bluesky
    brand query (the world's brand profile carries the company's full name, posts use its word)."""
    settings: dict[str, dict] = {}
    for name, value in sandboxes.settings().items():
        _, source, setting = name.split("__")
        settings.setdefault(source.lower(), {})[setting.lower()] = value
    manifest = json.loads((world / "manifest.json").read_text())
    settings["bluesky"]["brand_query"] = manifest["brand"]["search_query"]
    return settings


@pytest.mark.slow
def test_connector_loads_resolve_and_match_the_true_touchpoints(dbt_env, tiny_world, tmp_path, monkeypatch):
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))
    with start_sandboxes(tiny_world) as sandboxes:
        settings = connector_settings(sandboxes, tiny_world)
        for name in SOURCES:
            run_source(name, **settings[name])
    run_dbt(tmp_path, "build", "--exclude", "test_type:unit")

    scores = score_identity(tmp_path / "warehouse.duckdb", tiny_world / "truth")
    assert scores["keyed"]["precision"] >= 0.99 and scores["keyed"]["recall"] >= 0.97, scores

    truth = pd.read_parquet(tiny_world / "truth" / "touchpoints.parquet")
    expected = truth.groupby(["channel", "touchpoint_type"]).size().to_dict()
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        built = {(channel, kind): n for channel, kind, n in con.execute(
            "select channel, touchpoint_type, count(*) from marts.fct_touchpoints group by all").fetchall()}
    assert built == expected
