"""The GX suites as Dagster asset checks: one check per rule, one step per layer (raw, marts).

A rule's severity becomes the check's: blocking rules are ``blocking=True`` ERROR checks (the
assets downstream wait for them), warnings are WARN checks. Each result carries the table, column,
unexpected count and observed value in its metadata, plus the link to the run's GX data docs.
"""

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.quality.facts import run_facts
from orchestration.quality.rules import Rule, TableSuite
from orchestration.quality.suites import MART_SUITES, RAW_SUITES
from orchestration.quality.validate import build_data_docs, validate_suite
from seamline_core import paths


def check_key(suite: TableSuite, rule: Rule) -> dg.AssetCheckKey:
    """The Dagster key of one rule's check."""
    return dg.AssetCheckKey(dg.AssetKey(list(suite.asset)), suite.check_name(rule))


def _spec(suite: TableSuite, rule: Rule) -> dg.AssetCheckSpec:
    severity = "ERROR, blocks publish" if rule.blocking else "WARN"
    target = f"{suite.relation}.{rule.column}" if rule.column else suite.relation
    return dg.AssetCheckSpec(
        name=suite.check_name(rule),
        asset=dg.AssetKey(list(suite.asset)),
        blocking=rule.blocking,
        description=f"[{severity}] {target}: {rule.why}",
    )


@contextlib.contextmanager
def _connect(database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only, or an empty in-memory database when the file does not exist yet (checks then fail)."""
    target = str(database) if database.exists() else ":memory:"
    with duckdb.connect(target, read_only=database.exists()) as con:
        yield con


def build_layer_checks(layer: str, suites: Sequence[TableSuite]) -> dg.AssetChecksDefinition:
    """One multi-asset check running every selected rule of ``suites``."""

    @dg.multi_asset_check(
        specs=[_spec(suite, rule) for suite in suites for rule in suite.rules],
        name=f"gx_{layer}_checks",
        can_subset=True,
    )
    def gx_checks(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        docs_dir = paths.quality_docs_dir()
        with _connect(paths.raw_db()) as raw:
            facts = run_facts(raw)
        for suite in suites:
            selected = [r for r in suite.rules if check_key(suite, r) in context.selected_asset_check_keys]
            if not selected:
                continue
            database = paths.raw_db() if suite.database == "raw" else paths.warehouse_db()
            with _connect(database) as con:
                outcomes = validate_suite(con, suite, selected, facts, docs_dir)
            for outcome in outcomes:
                yield dg.AssetCheckResult(
                    asset_key=dg.AssetKey(list(suite.asset)),
                    check_name=outcome.check_name,
                    passed=outcome.passed,
                    severity=dg.AssetCheckSeverity.ERROR if outcome.rule.blocking else dg.AssetCheckSeverity.WARN,
                    description=outcome.description,
                    metadata={**outcome.metadata, "data_docs": dg.MetadataValue.path(str(docs_dir / "index.html"))},
                )
        index = build_data_docs(docs_dir)
        context.log.info(f"GX data docs: {index}")

    return gx_checks


def build_quality_checks() -> list[dg.AssetChecksDefinition]:
    """Raw landing tables and public marts."""
    return [build_layer_checks("raw", RAW_SUITES), build_layer_checks("marts", MART_SUITES)]
