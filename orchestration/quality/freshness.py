"""How stale a source may get, declared once: the dbt sources' ``freshness:`` config.

``dbt_project/models/staging/<source>/_<source>__sources.yml`` holds each source's ``warn_after`` /
``error_after`` (dbt's own source-freshness vocabulary, so ``dbt source freshness`` reads it as is).
This module reads the same YAML for everyone else: the Great Expectations freshness checks (newest
record vs the newest record of any source: an ``error_after`` blocks the publish, a ``warn_after``
alone warns) and Dagster's freshness policies on the raw assets. Changing a threshold is one edit.

Read from the project's YAML files, not the manifest, so it needs neither a dbt parse nor
``SEAMLINE_DATA_DIR``; the layout it reads (a source-level ``config.freshness`` that a table's own
``config.freshness`` replaces, ``null`` switching it off) is dbt's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from seamline_core.paths import DBT_PROJECT_DIR

SOURCES_DIR = DBT_PROJECT_DIR / "models" / "staging"
_PERIODS = {"minute": "minutes", "hour": "hours", "day": "days"}


@dataclass(frozen=True)
class Freshness:
    """One source table's thresholds (either may be None)."""

    warn_after: timedelta | None
    error_after: timedelta | None

    @property
    def blocking(self) -> bool:
        """An ``error_after`` makes staleness an ERROR (the publish waits); ``warn_after`` alone warns."""
        return self.error_after is not None

    @property
    def max_lag(self) -> timedelta:
        """The lag the check judges: the blocking threshold when there is one, else the warning's."""
        lag = self.error_after or self.warn_after
        if lag is None:
            raise ValueError("a freshness declaration needs warn_after or error_after")
        return lag


def declared_freshness(source: str, table: str) -> Freshness:
    """The freshness dbt declares for ``source.table`` (the table's own config, else the source's)."""
    declared = _declarations().get((source, table))
    if declared is None:
        raise LookupError(f"dbt declares no freshness for source {source}.{table} "
                          f"(add `config: {{freshness: ...}}` in {SOURCES_DIR}/{source}/)")
    return declared


@functools.cache
def _declarations(sources_dir: Path = SOURCES_DIR) -> dict[tuple[str, str], Freshness]:
    found = {}
    for path in sorted(sources_dir.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text()).get("sources", []):
            source_config = (source.get("config") or {}).get("freshness")
            for table in source.get("tables", []):
                table_config = table.get("config") or {}
                config = table_config.get("freshness", source_config)
                if config:
                    found[(source["name"], table["name"])] = Freshness(
                        _duration(config.get("warn_after")), _duration(config.get("error_after")))
    return found


def _duration(threshold: dict[str, Any] | None) -> timedelta | None:
    if not threshold:
        return None
    return timedelta(**{_PERIODS[threshold["period"]]: threshold["count"]})
