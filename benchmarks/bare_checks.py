"""The bare checks: every rule of the quality gates as one SQL pass per table, and a bare publish.

Written for the benchmark only, as the floor the real checks (dbt data tests + the GX suites) are
compared with. From the dbt manifest, each generic data test of a table becomes one aggregate of a
single ``select`` over that table (not_null, unique, accepted_values, relationships, in_range,
unique_combination; failing rows counted as dbt's test counts them, or as rows where dbt counts
groups: the verdict is the same), and the GX rules of that table (row count, newest record, mean,
share of nulls) join the same pass. Tests the translation does not know (singular tests, the
project's few other generic tests) run their compiled SQL as they are. Nothing is stored: no failing
rows, no artefacts, no check events; that is exactly what the real checks add.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

FUSED = ("not_null", "unique", "accepted_values", "relationships", "in_range", "unique_combination")


def _table(node: dict[str, Any]) -> str:
    """``schema.table`` of a model, seed or source (the GX suites' relation names)."""
    if node["resource_type"] == "source":
        return f"{node['schema']}.{node['identifier']}"
    return f"{node['schema']}.{node.get('alias') or node['name']}"


def _sql_name(node: dict[str, Any]) -> str:
    return ("raw." if node["resource_type"] == "source" else "") + _table(node)


def _tested_table(test: dict[str, Any]) -> str | None:
    """The model, seed or source a generic test is about (source tests name theirs only in depends_on)."""
    depends_on = test["depends_on"]["nodes"]
    return test.get("attached_node") or (depends_on[0] if len(depends_on) == 1 else None)


def _quote(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'" if isinstance(value, str) else str(value)


def _failing(test: dict[str, Any], nodes: dict[str, Any]) -> str:
    """The aggregate counting one fused test's failures over its table."""
    kwargs = test["test_metadata"].get("kwargs", {})
    arguments = {**kwargs, **(kwargs.get("arguments") or {})}
    column, name = arguments.get("column_name"), test["test_metadata"]["name"]
    if name == "not_null":
        return f"count(*) filter (where {column} is null)"
    if name == "unique":
        return f"count({column}) - count(distinct {column})"
    if name == "accepted_values":
        values = ", ".join(_quote(value) for value in arguments["values"])
        return f"count(*) filter (where cast({column} as varchar) not in ({values}))"
    if name == "in_range":
        bounds = [f"{column} {op} {arguments[key]}" for key, op in (("min_value", "<"), ("max_value", ">"))
                  if arguments.get(key) is not None]
        return f"count(*) filter (where {' or '.join(bounds) or 'false'})"
    if name == "unique_combination":
        return f"count(*) - count(distinct ({', '.join(arguments['columns'])}))"
    target = next(nodes[uid] for uid in test["depends_on"]["nodes"] if uid != _tested_table(test))
    return (f"count(*) filter (where {column} is not null and {column} not in "
            f"(select {arguments['field']} from {_sql_name(target)}))")


def _gx_aggregates(table: str) -> list[str]:
    """The GX suite of ``table`` as aggregates of the same pass: row count and its projected columns."""
    from orchestration.quality.suites import ALL_SUITES

    aggregates = []
    for suite in (suite for suite in ALL_SUITES if suite.relation == table):
        aggregates.append("count(*)")
        aggregates += [f"max({expression})" if alias == "record_at" else f"avg({expression})"
                       if alias.endswith("_of_active") else f"count({expression})"
                       for alias, expression in suite.columns.items()]
    return aggregates


def run_checks(manifest_path: str, warehouse: str, raw: str) -> dict[str, Any]:
    """Child-process body: every data test and GX rule, one ``select`` per table; counts of what failed."""
    import duckdb

    manifest = json.loads(Path(manifest_path).read_text())
    nodes = {**manifest["nodes"], **manifest["sources"]}
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    others = []
    for test in tests:
        metadata = test.get("test_metadata") or {}
        arguments = {key: value for key, value in metadata.get("kwargs", {}).items() if key != "model"}
        table = _tested_table(test)
        if metadata.get("name") in FUSED and table in nodes and "{{" not in json.dumps(arguments):
            by_table[table].append(test)  # (arguments dbt renders with Jinja run as compiled, below)
        else:
            others.append(test)
    started = time.perf_counter()
    failing = 0
    with duckdb.connect(warehouse, read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{raw}' as raw (read_only)")
        for uid, table_tests in by_table.items():
            aggregates = [_failing(test, nodes) for test in table_tests] + _gx_aggregates(_table(nodes[uid]))
            row = con.execute(f"select {', '.join(aggregates)} from {_sql_name(nodes[uid])}").fetchone()
            failing += sum(1 for value in row[:len(table_tests)] if value)
        for test in others:
            (count,) = con.execute(f"select count(*) from ({test['compiled_code']}) as t").fetchone()
            failing += bool(count)
    return {"tests": len(tests), "tables": len(by_table), "unfused_tests": len(others),
            "sql_passes": len(by_table) + len(others), "failing_tests": failing,
            "seconds": round(time.perf_counter() - started, 4)}


def publish(warehouse: str, snapshot: str) -> dict[str, Any]:
    """Child-process body: copy the marts into a new snapshot file (what the real publish copies)."""
    import duckdb

    with duckdb.connect(snapshot) as con:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'warehouse' "
            "and table_schema = 'marts'").fetchall()]
        con.execute("create schema marts")
        for table in tables:
            con.execute(f'create table marts."{table}" as select * from warehouse.marts."{table}"')
    return {"tables": len(tables), "bytes": Path(snapshot).stat().st_size}
