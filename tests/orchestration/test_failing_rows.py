"""A failed warning carries its rows into the snapshot, but only from public marts (no raw PII)."""

import json
from pathlib import Path

import duckdb

from orchestration.quality.failing_rows import failing_rows, stored_failures


def _manifest(path: Path) -> Path:
    nodes = {
        "model.seamline.dim_locations": {"resource_type": "model", "schema": "marts", "name": "dim_locations"},
        "model.seamline.stg_square__customers": {"resource_type": "model", "schema": "staging",
                                                 "name": "stg_square__customers"},
        "test.seamline.unmapped": {
            "resource_type": "test", "name": "dim_locations_every_location_mapped", "schema": "quality_failures",
            "alias": "dim_locations_every_location_mapped", "config": {"store_failures": True},
            "depends_on": {"nodes": ["model.seamline.dim_locations"]}},
        "test.seamline.skus": {
            "resource_type": "test", "name": "square_line_items_have_a_catalog_sku", "schema": "marts",
            "alias": "dq_square_line_items_without_sku", "config": {"store_failures": True},
            "depends_on": {"nodes": ["model.seamline.stg_square__customers"]}},
        "test.seamline.emails": {
            "resource_type": "test", "name": "unique_stg_square__customers_email", "schema": "quality_failures",
            "alias": "unique_stg_square__customers_email", "config": {"store_failures": True},
            "depends_on": {"nodes": ["model.seamline.stg_square__customers"]}},
    }
    path.write_text(json.dumps({"nodes": nodes}))
    return path


def test_only_failed_warnings_on_public_marts_are_copied_with_their_rows(tmp_path):
    manifest = _manifest(tmp_path / "manifest.json")
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema quality_failures")
        con.execute("create table quality_failures.dim_locations_every_location_mapped as "
                    "select * from (values ('71450208999', 'Pop-up Stall'), ('71450209001', 'Outlet')) "
                    "as t(shopify_location_id, location_name)")
        con.execute("create table quality_failures.unique_stg_square__customers_email as "
                    "select 'ann@example.com' as email, 2 as n_records")

    # a test that keeps its rows in the public schema (a reviewed dq_ table) publishes them whatever its model
    assert {name: f.publishable for name, f in stored_failures(manifest).items()} == {
        "dim_locations_every_location_mapped": True, "square_line_items_have_a_catalog_sku": True,
        "unique_stg_square__customers_email": False}
    assert stored_failures(manifest)["square_line_items_have_a_catalog_sku"].relation == \
        'marts."dq_square_line_items_without_sku"'

    failed = [{"check_name": "dim_locations_every_location_mapped", "asset": "marts.dim_locations"},
              {"check_name": "unique_stg_square__customers_email", "asset": "staging.stg_square__customers"}]
    rows = failing_rows(warehouse, manifest, failed)

    assert [(r["check_name"], r["row_number"]) for r in rows] == [
        ("dim_locations_every_location_mapped", 1), ("dim_locations_every_location_mapped", 2)]
    assert {json.loads(r["row_json"])["location_name"] for r in rows} == {"Pop-up Stall", "Outlet"}
    assert "ann@example.com" not in json.dumps(rows)
    assert failing_rows(warehouse, manifest, []) == []
