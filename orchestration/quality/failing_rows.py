"""The rows behind a warning: what a data engineer or executive needs to act on a WARN check.

Checks that legitimate data can trip (a customer with no purchase, a store with no reviews, an
unmapped location) warn instead of blocking the publish. A warning is only useful with its rows, so
dbt stores every data test's failing rows (``+store_failures`` in dbt_project.yml, schema
``quality_failures``) and the publish step copies the rows of each *failed WARN* test into the
snapshot's ``ops.check_failing_rows``, where Data health shows them.

Only tests whose every model is a public mart, or whose failing rows dbt already stores in the public
schema (a ``dq_`` table, reviewed for PII), are copied: the public snapshot never carries raw PII, and
staging or restricted models hold it. A failed warning on any other model still shows in
``ops.quality_results``; its rows stay in the warehouse for the data engineer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

FAILURES_SCHEMA = "quality_failures"
PUBLIC_SCHEMA = "marts"
MAX_ROWS_PER_CHECK = 200


@dataclass(frozen=True)
class StoredFailures:
    """Where dbt stored one test's failing rows, and whether they may be published."""

    relation: str
    publishable: bool


def stored_failures(manifest_path: Path) -> dict[str, StoredFailures]:
    """dbt test name (= the Dagster check name) -> its failures table, from the dbt manifest."""
    manifest = json.loads(manifest_path.read_text())
    nodes = manifest.get("nodes", {})
    found = {}
    for node in nodes.values():
        if node.get("resource_type") != "test" or not node.get("config", {}).get("store_failures"):
            continue
        models = [nodes.get(uid, {}) for uid in node.get("depends_on", {}).get("nodes", [])]
        models = [model for model in models if model.get("resource_type") in ("model", "seed", "snapshot")]
        schema = node.get("schema") or FAILURES_SCHEMA
        # a test that stores its rows in the public schema (a `dq_` table) publishes them anyway
        publishable = schema == PUBLIC_SCHEMA or (
            bool(models) and all(model.get("schema") == PUBLIC_SCHEMA for model in models))
        relation = f'{schema}."{node.get("alias") or node["name"]}"'
        found[node["name"]] = StoredFailures(relation, publishable)
    return found


def failing_rows(
    warehouse: Path, manifest_path: Path, failed_warnings: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``ops.check_failing_rows`` rows (check_name, asset, row_number, row_json) for failed WARN checks."""
    failed_warnings = list(failed_warnings)
    if not failed_warnings or not manifest_path.exists() or not warehouse.exists():
        return []
    stored = stored_failures(manifest_path)
    rows: list[dict[str, Any]] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for check in failed_warnings:
            failures = stored.get(check["check_name"])
            if failures is None or not failures.publishable:
                continue
            try:
                found = con.execute(
                    f"select to_json(f)::varchar from {failures.relation} as f limit {MAX_ROWS_PER_CHECK}"
                ).fetchall()
            except duckdb.CatalogException:
                continue  # the test never ran with store_failures (an older build)
            rows += [{"check_name": check["check_name"], "asset": check["asset"], "row_number": number,
                      "row_json": row_json} for number, (row_json,) in enumerate(found, start=1)]
    return rows
