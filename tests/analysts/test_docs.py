"""The dbt docs site: every mart and column described, dashboard pages as exposures, served on loopback."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from orchestration.analysts import docs_site


@pytest.fixture(scope="module")
def manifest(analyst_target: Path) -> dict:
    return json.loads((analyst_target / "manifest.json").read_text())


def _marts(manifest: dict) -> list[dict]:
    return [node for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")]


def test_every_mart_and_every_column_is_described(manifest):
    marts = _marts(manifest)
    assert len(marts) >= 20
    undescribed = [node["name"] for node in marts if not node["description"].strip()]
    assert undescribed == []
    without_columns = [node["name"] for node in marts if not node["columns"]]
    assert without_columns == []
    columns = [f"{node['name']}.{name}" for node in marts for name, column in node["columns"].items()
               if not column["description"].strip()]
    assert columns == []


def test_every_dashboard_page_is_an_exposure_whose_lineage_reaches_the_marts(manifest):
    pages = {path.stem for path in (Path(__file__).resolve().parents[2] / "dashboards" / "views").glob("*.py")}
    exposures = {node["name"]: node for node in manifest["exposures"].values()}
    assert {f"dashboard_{page}" for page in pages} <= set(exposures)
    marts = {node["unique_id"] for node in _marts(manifest)}
    for name, exposure in exposures.items():
        parents = set(manifest["parent_map"][exposure["unique_id"]])
        assert parents and parents <= marts, name
        for parent in parents:  # lineage runs on to the sources
            assert manifest["parent_map"][parent], parent


def test_every_metric_is_described_or_labelled(analyst_target):
    semantic = json.loads((analyst_target / "semantic_manifest.json").read_text())
    names = {metric["name"] for metric in semantic["metrics"]}
    assert {"revenue", "net_revenue", "orders", "aov", "omnichannel_share", "journey_conversion_rate",
            "ropo_handoffs", "bopis_handoffs", "attribution_credit", "avg_review_rating",
            "review_sentiment"} <= names
    assert all(metric.get("label") for metric in semantic["metrics"])


def test_catalog_comes_from_the_built_warehouse(analyst_target):
    catalog = json.loads((analyst_target / "catalog.json").read_text())
    touchpoints = catalog["nodes"]["model.seamline.fct_touchpoints"]
    assert "value_amount" in {name.lower() for name in touchpoints["columns"]}


def test_the_site_is_served_on_loopback_only(analyst_target):
    server, url = docs_site.serve(analyst_target, port=0)
    try:
        assert url.startswith("http://127.0.0.1:")
        assert server.server_address[0] == "127.0.0.1"
        for name in docs_site.SITE_FILES:
            with urllib.request.urlopen(url + name, timeout=10) as response:
                assert response.status == 200
                assert len(response.read()) > 1000, name
    finally:
        server.shutdown()
        server.server_close()
