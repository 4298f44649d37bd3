"""Degrade, don't stop: what each source's load did in a run, and how a failed load is described.

A source whose load fails (a refused token, an API down past its retry budget, a missing setting, a
connector bug) does not fail its Dagster step: a failed step makes Dagster skip every step downstream,
so the other sources' fresh data would never be built, checked or published (issue 18 item 2). The
source's asset instead reports the failure on its materializations (``load_status="failed"``, the error,
``rows_loaded=0``, ``dagster/last_updated_timestamp`` = its last good load) and fails its WARN check
``loaded_this_run`` with the error text; dbt then builds on that source's last good raw tables.

Every caught error is reported, never swallowed: in the check, in ``ops.source_loads`` of the
published snapshot (Data health marks the source STALE with its error and since when), in
``serving/last_run.json`` (``stale_sources``) and in the run summary. Blocking checks still block.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

LOADED_CHECK = "loaded_this_run"
LOADED = "loaded"
FAILED = "failed"
NOT_RUN = "not run"  # the source was not part of the run and never reported before
MAX_ERROR_CHARS = 600
# Settings whose values must never reach a message (dlt names secrets this way: SOURCES__<SRC>__<NAME>).
SECRET_SETTING = re.compile(r"^SOURCES__.*(TOKEN|PASSWORD|SECRET|KEY|CREDENTIALS)", re.IGNORECASE)


@dataclass(frozen=True)
class SourceFailure:
    """Why one source did not load: the error's class and its message, secrets masked."""

    source: str
    error_class: str
    message: str

    @property
    def text(self) -> str:
        return f"{self.error_class}: {self.message}"


def describe_failure(source: str, error: BaseException) -> SourceFailure:
    """The error a person can act on, from the chain dlt wraps around it.

    The connector's own ``SourceError`` (it names the endpoint and the setting to fix) wins; then a
    missing setting (dlt names the variables); else the innermost error, so a connector bug shows
    its real exception rather than dlt's "Pipeline execution failed at stage extract".
    """
    from dlt.common.configuration.exceptions import ConfigFieldMissingException

    from ingestion.common.errors import SourceError

    chain: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    root = (next((e for e in chain if isinstance(e, SourceError)), None)
            or next((e for e in chain if isinstance(e, ConfigFieldMissingException)), None)
            or chain[-1])
    message = " ".join(str(root).split()) or "(no message)"
    if len(message) > MAX_ERROR_CHARS:
        message = message[: MAX_ERROR_CHARS - 4] + " ..."
    return SourceFailure(source, type(root).__name__, mask_secrets(message))


def mask_secrets(text: str, environ: Mapping[str, str] | None = None) -> str:
    """``text`` with the value of every secret-looking ``SOURCES__*`` setting replaced by ``***``."""
    environ = os.environ if environ is None else environ
    for name, value in environ.items():
        if SECRET_SETTING.match(name) and len(value) >= 4 and value in text:
            text = text.replace(value, "***")
    return text


def last_successful_load(raw_db: Path, source: str) -> datetime | None:
    """When dlt last completed a load of ``source`` into raw.duckdb (None: never)."""
    if not raw_db.exists():
        return None
    with duckdb.connect(str(raw_db), read_only=True) as con:
        (present,) = con.execute("select count(*) from information_schema.tables "
                                 "where table_schema = ? and table_name = '_dlt_loads'", [source]).fetchone()
        if not present:
            return None
        (value,) = con.execute(f'select max(inserted_at) from "{source}"._dlt_loads where status = 0').fetchone()
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def source_loads_in_run(instance: Any, run_id: str, sources: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per source that loaded in ``run_id``: status and error, read from its materializations' metadata.

    Sources absent from the run (not selected, or their step never ran) are absent from the answer.
    """
    import dagster as dg

    sources = set(sources)
    loads: dict[str, dict[str, Any]] = {}
    for event in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = event.dagster_event.event_specific_data.materialization
        source = materialization.asset_key.path[0]
        if source not in sources:
            continue
        metadata = materialization.metadata or {}
        status = _plain(metadata.get("load_status")) or LOADED
        entry = loads.setdefault(source, {"source": source, "status": LOADED, "error": None})
        if status == FAILED:
            entry.update(status=FAILED, error=_plain(metadata.get("error")))
    return loads


def source_load_rows(
    instance: Any, run_id: str, sources: Sequence[str], raw_db: Path, previous: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """``ops.source_loads``: one row per source; a source this run did not load keeps its previous row.

    ``last_successful_load_at`` always comes from raw.duckdb (dlt's own load log), so "stale since"
    is the time of the data readers actually get.
    """
    this_run = source_loads_in_run(instance, run_id, sources)
    before = {row["source"]: row for row in previous}
    rows = []
    for source in sources:
        row = this_run.get(source)
        if row is not None:
            row = {**row, "run_id": run_id}
        elif source in before:
            row = {key: before[source].get(key) for key in ("source", "status", "error", "run_id")}
        else:
            row = {"source": source, "status": NOT_RUN, "error": None, "run_id": None}
        rows.append({**row, "last_successful_load_at": last_successful_load(raw_db, source)})
    return rows


def stale_sources(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The failed sources of ``source_load_rows``, as ``last_run.json`` lists them.

    ``run_id`` is the run whose load failed: an earlier one when this run did not load the source.
    """
    return [
        {"source": row["source"], "error": row["error"], "run_id": row.get("run_id"),
         "last_successful_load_at": row["last_successful_load_at"].isoformat()
         if isinstance(row["last_successful_load_at"], datetime) else row["last_successful_load_at"]}
        for row in rows if row["status"] == FAILED
    ]


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)
