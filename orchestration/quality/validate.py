"""Run a table suite: project the columns in DuckDB, validate with Great Expectations, report per rule.

The GX context is ephemeral (suites live in code, not in a GX project folder) and shared by every
validation in the process, so one data-docs site lists all suites of a run. Pipelines run with the
in-process executor (one DuckDB writer at a time), so "the process" is the run.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from orchestration.quality.rules import Rule, RunFacts, TableSuite

_PARTIAL_LIST = 5


@dataclass(frozen=True)
class RuleOutcome:
    """The verdict of one rule on one run, ready to become a Dagster check result."""

    suite: TableSuite
    rule: Rule
    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def check_name(self) -> str:
        """The Dagster check name."""
        return self.suite.check_name(self.rule)


@functools.cache
def _gx_context(docs_dir: str) -> Any:
    """One ephemeral GX context per process and docs directory (GX takes ~5 s to import: import late)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    # analytics off in the context's own config: no GX_ANALYTICS_ENABLED needed in the environment
    config = DataContextConfig(analytics_enabled=False, store_backend_defaults=InMemoryStoreBackendDefaults())
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        "seamline",
        {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    context.data_sources.add_pandas("seamline")
    return context


def validate_suite(
    con: duckdb.DuckDBPyConnection,
    suite: TableSuite,
    rules: Sequence[Rule],
    facts: RunFacts,
    docs_dir: Path,
) -> list[RuleOutcome]:
    """Validate ``rules`` of ``suite`` against the relation ``con`` can see; one outcome per rule.

    A missing relation fails every rule with a message naming it (a source that never loaded
    must not pass silently).
    """
    if not _relation_exists(con, suite.relation):
        message = f"{suite.label} does not exist: the source never loaded it or the model was not built"
        return [RuleOutcome(suite, rule, False, message, {"table": suite.label}) for rule in rules]
    started = time.perf_counter()
    frame = _projected_frame(con, suite)
    expectations = {rule.name: rule.build(facts, suite.relation) for rule in rules}
    built = [expectation for expectation in expectations.values() if expectation is not None]
    results = _run_gx(suite, built, frame, docs_dir) if built else {}
    elapsed = round(time.perf_counter() - started, 3)
    outcomes = []
    for rule in rules:
        if expectations[rule.name] is None:
            outcomes.append(RuleOutcome(suite, rule, True, f"{suite.label}: skipped, no reference yet",
                                        {"table": suite.label, "skipped": True}))
            continue
        outcomes.append(_outcome(suite, rule, results[rule.name], len(frame), elapsed))
    return outcomes


def _projected_frame(con: duckdb.DuckDBPyConnection, suite: TableSuite) -> Any:
    """The suite's columns of every row; a suite that only counts rows gets an index and no column.

    Counting is DuckDB's job (no column is read for it): the frame then carries the row count as its
    length, which is exactly what GX's row-count expectation measures.
    """
    if not suite.columns:
        import pandas as pd

        (rows,) = con.execute(f"select count(*) from {suite.relation}").fetchone()
        return pd.DataFrame(index=pd.RangeIndex(rows))
    select = ", ".join(f"{expression} as {alias}" for alias, expression in suite.columns.items())
    return con.execute(f"select {select} from {suite.relation} t").df()


def build_data_docs(docs_dir: Path) -> Path:
    """Render the data-docs site for every validation of this process; return its index.html."""
    _gx_context(str(docs_dir)).build_data_docs(site_names=["seamline"])
    return docs_dir / "index.html"


def _run_gx(suite: TableSuite, expectations: Iterable[Any], frame: Any, docs_dir: Path) -> dict[str, Any]:
    import great_expectations as gx

    context = _gx_context(str(docs_dir))
    name = suite.relation.replace(".", "__")
    source = context.data_sources.get("seamline")
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name)
    batch = next(iter(asset.batch_definitions), None) or asset.add_batch_definition_whole_dataframe("all")
    gx_suite = context.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=list(expectations)))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=gx_suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=name, validation_definitions=[definition], result_format="SUMMARY")
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame})
    validation = next(iter(result.run_results.values()))
    return {r.expectation_config.meta["check_name"]: r for r in validation.results}


def _outcome(suite: TableSuite, rule: Rule, result: Any, rows: int, elapsed: float) -> RuleOutcome:
    config = result.expectation_config
    details = result.result or {}
    exception = (result.exception_info or {}).get("exception_message")
    unexpected = details.get("unexpected_count")
    observed = details.get("observed_value", unexpected)
    target = f"{suite.label}.{rule.column}" if rule.column else suite.label
    if exception:
        description = f"{target}: {config.type} could not run: {exception}"
    elif unexpected is not None:
        description = (f"{target}: {unexpected} of {details.get('element_count', rows)} rows unexpected "
                       f"({config.type})")
    else:
        description = f"{target}: observed {observed} ({config.type} {_bounds(config.kwargs)})"
    metadata = {
        "table": suite.label,
        "column": rule.column or "",
        "expectation": config.type,
        "kwargs": {k: str(v) for k, v in config.kwargs.items() if k not in {"column", "batch_id"}},
        "severity": "ERROR (blocking)" if rule.blocking else "WARN",
        "why": rule.why,
        "observed_value": str(observed),
        "rows_validated": rows,
        "validated_on": f"full table, {rows} rows, columns projected in DuckDB",
        "suite_seconds": elapsed,
    }
    if unexpected is not None:
        metadata["unexpected_count"] = int(unexpected)
        metadata["unexpected_percent"] = round(float(details.get("unexpected_percent") or 0.0), 4)
        metadata["sample_unexpected"] = [str(v) for v in details.get("partial_unexpected_list", [])[:_PARTIAL_LIST]]
    return RuleOutcome(suite, rule, bool(result.success) and not exception, description, metadata)


def _bounds(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in kwargs.items() if k in {"min_value", "max_value", "mostly"})


def _relation_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, table = relation.split(".", 1)
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0])
