"""The vocabulary the suites are written in: a table suite is a SQL projection plus rules.

Why a projection: the raw landing tables hold vendor strings (timestamps as text), and only a few
columns matter to the whole-table rules GX owns (volume, freshness, distributions). DuckDB computes
those columns (and selects only them), Great Expectations judges the result. That keeps GX on its
well-trodden pandas route (its SQL route over duckdb-engine is broken, see STACK_NOTES.md) and keeps
the data pulled into Python small. Row-level rules live in dbt (suites.py says why).

Severity is chosen per rule: ``blocking=True`` rules are Dagster ERROR checks and stop the publish
(write-audit-publish), ``blocking=False`` rules are WARN checks that show in the UI and the serving
snapshot's ``ops.quality_results`` but publish anyway. Every rule states why it has its severity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from orchestration.quality.freshness import declared_freshness

if TYPE_CHECKING:  # GX costs seconds to import: only validation imports it, never loading the definitions
    import great_expectations.expectations as gxe

Database = Literal["raw", "warehouse"]


@dataclass(frozen=True)
class RunFacts:
    """What a run knows only when it runs: the previous published row counts and the world's "now".

    ``reference_time`` is the newest record across all sources: a source lagging far behind the
    others has stopped delivering, whether the world is real (wall clock) or simulated (its as_of).
    """

    previous_row_counts: Mapping[str, int] = field(default_factory=dict)
    reference_time: datetime | None = None


@dataclass(frozen=True)
class Rule:
    """One expectation, as one Dagster asset check named ``name``."""

    name: str
    column: str | None
    blocking: bool
    why: str
    expectation: Callable[[RunFacts, str], gxe.Expectation | None]

    def build(self, facts: RunFacts, relation: str) -> gxe.Expectation | None:
        """The GX expectation for this run, or None when the run lacks what it needs (first run)."""
        from great_expectations.expectations.metadata_types import FailureSeverity

        expectation = self.expectation(facts, relation)
        if expectation is not None:
            expectation.severity = FailureSeverity.CRITICAL if self.blocking else FailureSeverity.WARNING
            expectation.meta = {"check_name": self.name, "why": self.why}
        return expectation


@dataclass(frozen=True)
class TableSuite:
    """Rules for one relation; its checks attach to the Dagster asset ``asset``.

    ``columns`` maps each projected column to its SQL expression over ``relation`` (aliased ``t``).
    Child tables of a dlt resource (``orders__line_items``) attach to the parent resource's asset.
    """

    asset: tuple[str, ...]
    database: Database
    relation: str
    columns: Mapping[str, str]
    rules: Sequence[Rule]

    def __post_init__(self) -> None:
        names = [rule.name for rule in self.rules]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            raise ValueError(f"suite {self.relation}: rule names must be unique, repeated: {duplicated}")

    @property
    def label(self) -> str:
        """``schema.table``, the name failing checks report."""
        return self.relation

    def check_name(self, rule: Rule) -> str:
        """Check names are unique per asset: the table part keeps child-table rules apart."""
        table = self.relation.split(".", 1)[1]
        return f"{table}__{rule.name}"


def _static(kind: str, **arguments: object) -> Callable[[RunFacts, str], gxe.Expectation]:
    """The expectation class ``kind`` with fixed arguments, built (and GX imported) only when a run validates."""
    return lambda _facts, _relation: _expectation(kind, **arguments)


def _expectation(kind: str, **arguments: object) -> gxe.Expectation:
    import great_expectations.expectations as gxe

    return getattr(gxe, kind)(**arguments)


def unique(column: str, why: str = "a duplicated key double counts everything downstream") -> Rule:
    """The key column has no duplicates (blocking)."""
    return Rule(f"{column}_unique", column, True, why, _static("ExpectColumnValuesToBeUnique", column=column))


def not_null(column: str, why: str = "a row without its key cannot be joined or deduplicated",
             blocking: bool = True, mostly: float = 1.0) -> Rule:
    """The column is filled (in at least ``mostly`` of the rows)."""
    name = f"{column}_not_null" if mostly == 1.0 else f"{column}_mostly_not_null"
    return Rule(name, column, blocking, why,
                _static("ExpectColumnValuesToNotBeNull", column=column, mostly=mostly))


def between(column: str, low: float | None, high: float | None, why: str, blocking: bool = True,
            name: str | None = None) -> Rule:
    """Every value lies in [low, high] (nulls are ignored; pair with not_null where needed)."""
    return Rule(name or f"{column}_in_range", column, blocking, why,
                _static("ExpectColumnValuesToBeBetween", column=column, min_value=low, max_value=high))


def mean_between(column: str, low: float, high: float, why: str) -> Rule:
    """A distribution check: the column's mean stays in a plausible band (warning)."""
    return Rule(f"{column}_mean_in_band", column, False, why,
                _static("ExpectColumnMeanToBeBetween", column=column, min_value=low, max_value=high))


def volume(min_ratio: float = 0.5, max_ratio: float = 10.0) -> Rule:
    """Row count within [min_ratio, max_ratio] x the previous published run (at least 1 row).

    Blocking: a table that lost half its rows, or exploded tenfold, is a broken load or a fan-out
    join, and either would mislead every dashboard number built on it.
    """

    def expectation(facts: RunFacts, relation: str) -> gxe.Expectation:
        previous = facts.previous_row_counts.get(relation)
        if not previous:
            return _expectation("ExpectTableRowCountToBeBetween", min_value=1, max_value=None)
        return _expectation("ExpectTableRowCountToBeBetween", min_value=max(1, int(previous * min_ratio)),
                            max_value=int(previous * max_ratio) + 1)

    why = f"row count must stay within {min_ratio}x-{max_ratio}x of the last published run"
    return Rule("row_count_vs_previous_run", None, True, why, expectation)


def fresh(column: str, source: str, table: str) -> Rule:
    """The newest record is at most the declared lag behind the newest record of any source.

    The lag and the severity are the dbt source's ``freshness:`` declaration (``error_after`` blocks,
    ``warn_after`` alone warns; ``freshness.py``). Skipped (no expectation) when no source has a record yet.
    """
    declared = declared_freshness(source, table)

    def expectation(facts: RunFacts, _relation: str) -> gxe.Expectation | None:
        if facts.reference_time is None:
            return None
        return _expectation("ExpectColumnMaxToBeBetween", column=column,
                            min_value=facts.reference_time - declared.max_lag)

    why = (f"a source whose newest record lags the others by more than {declared.max_lag} has stopped "
           f"delivering (threshold: the dbt source's freshness {'error_after' if declared.blocking else 'warn_after'})")
    return Rule("freshness", column, declared.blocking, why, expectation)
