"""The transformation baseline: the SQL dbt compiled, executed directly in one DuckDB connection.

Reads `manifest.json` of a `dbt compile` made against an empty warehouse (so incremental models
compile to their full-build SQL), then in dependency order creates every seed, model and data test
the way dbt's DuckDB materialisations would (view, table; incremental as a full table; ephemeral
models are already inlined by the compiler; Python models are loaded and run as dbt-duckdb runs
them). What is left out is exactly dbt's own work: parsing, Jinja, the DAG scheduler, transactions,
contracts' DDL, logging and artefacts. dbt time / this time = dbt's overhead ratio.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

MATERIALISED_AS_TABLE = ("table", "incremental", "snapshot")


def _relation(node: dict[str, Any]) -> str:
    return f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'


def _run_python_model(con: Any, node: dict[str, Any], relation: str) -> None:
    """Load a compiled dbt-duckdb Python model as a module and materialise its frame as a table.

    As dbt-duckdb does: the model gets its own cursor, and `dbt.ref` returns a relation on it.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(node["compiled_code"].lstrip())
    spec = importlib.util.spec_from_file_location(node["name"], handle.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    Path(handle.name).unlink()
    cursor = con.cursor()
    try:
        frame = module.model(module.dbtObj(lambda name: cursor.query(f"select * from {name}")), cursor)
        cursor.register("__bench_python_model", frame)
        cursor.execute(f"create or replace table {relation} as select * from __bench_python_model").fetchall()
        cursor.unregister("__bench_python_model")
    finally:
        cursor.close()


def execute_compiled(manifest_path: str, warehouse: str, raw: str, project_dir: str,
                     include_tests: bool = True) -> dict[str, Any]:
    """Child-process body: build every compiled node (data tests only if asked) in one connection;
    returns counts per type."""
    import duckdb

    manifest = json.loads(Path(manifest_path).read_text())
    nodes = {uid: node for uid, node in manifest["nodes"].items()
             if node["resource_type"] in ("seed", "model", *(("test",) if include_tests else ()))
             and node.get("config", {}).get("enabled", True)
             and node.get("config", {}).get("materialized") != "ephemeral"}
    graph = {uid: [d for d in node.get("depends_on", {}).get("nodes", []) if d in nodes]
             for uid, node in nodes.items()}
    counts = {"seed": 0, "model": 0, "test": 0, "failing_tests": 0}
    with duckdb.connect(warehouse) as con:
        con.execute("set TimeZone = 'UTC'").fetchall()
        con.execute(f"attach '{raw}' as raw (read_only)").fetchall()
        for schema in sorted({n["schema"] for n in nodes.values() if n["resource_type"] != "test"}):
            con.execute(f'create schema if not exists "{schema}"').fetchall()
        for uid in TopologicalSorter(graph).static_order():
            node = nodes[uid]
            kind = node["resource_type"]
            relation = _relation(node)
            if kind == "seed":
                csv = Path(project_dir) / node["original_file_path"]
                con.execute(f"create or replace table {relation} as select * from read_csv(?, header = true)",
                            [str(csv)]).fetchall()
            elif kind == "test":
                failing = con.execute(f"select count(*) from ({node['compiled_code']}) as t").fetchone()[0]
                counts["failing_tests"] += int(failing > 0)
            elif node.get("language") == "python":
                _run_python_model(con, node, relation)
            elif node["config"]["materialized"] == "view":
                con.execute(f"create or replace view {relation} as {node['compiled_code']}").fetchall()
            elif node["config"]["materialized"] in MATERIALISED_AS_TABLE:
                con.execute(f"create or replace table {relation} as {node['compiled_code']}").fetchall()
            else:
                raise ValueError(f"{uid}: materialization {node['config']['materialized']!r} "
                                 "is not reproduced by the direct-SQL baseline")
            counts[kind] += 1
    return counts
