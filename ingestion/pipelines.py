"""One dlt pipeline per source into `<SEAMLINE_DATA_DIR>/raw.duckdb`, and `run_source` to run it.

The orchestration layer (Dagster) and the CLI both go through `SOURCES`, `make_pipeline` and
`run_source`, so names, destination and loader format are decided here once.
Run one from a shell: `python -m ingestion.pipelines shopify square`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector, LogCollector
from dlt.extract.source import DltSource
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.bluesky import bluesky_source
from ingestion.common.dlt_runtime import apply_dlt_runtime_defaults
from ingestion.common.errors import ConfigurationError, SourceError
from ingestion.common.private_files import private_dir, restrict_data_dir
from ingestion.common.quarantine import QUARANTINE_TABLE
from ingestion.common.settings import check_settings
from ingestion.google_reviews import google_reviews_source
from ingestion.shopify import shopify_source
from ingestion.square import square_source
from ingestion.web_events import web_events_source
from seamline_core.paths import dlt_pipelines_dir, raw_db

logger = logging.getLogger("seamline.ingestion")

# source name = dlt dataset = dbt source name = Dagster key prefix
SOURCES: dict[str, Callable[..., DltSource]] = {
    "shopify": shopify_source,
    "square": square_source,
    "google_reviews": google_reviews_source,
    "bluesky": bluesky_source,
    "web_events": web_events_source,
}


@dataclass(frozen=True)
class RunResult:
    """What one run loaded: dlt's LoadInfo plus rows per table and quarantined records per resource."""

    source: str
    load_info: LoadInfo | None
    rows_loaded: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows_loaded.values())


def pipeline_name(source: str) -> str:
    """A unique pipeline name per source: same-name pipelines would share (and race on) state."""
    return f"seamline_{source}"


def make_pipeline(source: str, progress: Collector | None = None) -> dlt.Pipeline:
    """The pipeline for `source`: DuckDB at raw.duckdb, dataset = source name, state under the data dir.

    Progress (rows per table, every 5 s) goes to the `seamline.ingestion` logger unless `progress`
    says otherwise.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; known sources: {', '.join(SOURCES)}")
    apply_dlt_runtime_defaults()
    database = raw_db()
    private_dir(database.parent)  # raw records are owner-only from the first byte written
    private_dir(dlt_pipelines_dir())
    return dlt.pipeline(
        pipeline_name=pipeline_name(source),
        destination=dlt.destinations.duckdb(str(database)),
        dataset_name=source,
        pipelines_dir=str(dlt_pipelines_dir()),
        progress=progress or LogCollector(log_period=5.0, logger=logger, dump_system_stats=False),
    )


def _source_error_in(error: BaseException) -> SourceError | None:
    """The SourceError at the root of a dlt step failure, if that is what went wrong."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, SourceError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _quarantined_by_resource(pipeline: dlt.Pipeline, load_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """Quarantined records of these loads per resource and reason, read back from the destination."""
    if QUARANTINE_TABLE not in pipeline.default_schema.tables or not load_ids:
        return {}
    with pipeline.sql_client() as client:
        table = client.make_qualified_table_name(QUARANTINE_TABLE)
        rows = client.execute_sql(
            f"SELECT resource, reason, count(*) FROM {table} WHERE _dlt_load_id IN "
            f"({', '.join(['%s'] * len(load_ids))}) GROUP BY ALL ORDER BY ALL",
            *load_ids,
        )
    counts: dict[str, dict[str, int]] = {}
    for resource, reason, records in rows or []:
        counts.setdefault(resource, {})[reason] = records
    return counts


def run_source(
    name: str,
    *,
    source: DltSource | None = None,
    resources: Sequence[str] | None = None,
    pipeline: dlt.Pipeline | None = None,
    **source_kwargs: Any,
) -> RunResult:
    """Run one source end to end (extract, normalize, load as parquet) and report what landed.

    `source_kwargs` override configuration (e.g. `base_url=...`); otherwise dlt reads
    `SOURCES__<NAME>__*` env vars or .dlt/ files. A failure to read the API raises the
    `SourceError` naming source, endpoint and fix, and a bad or missing setting raises one
    `ConfigurationError` listing them all before any request; data of earlier runs stays untouched and the
    next run resumes from the last committed cursor.
    """
    if source is None:
        check_settings(name, source_kwargs)  # every bad setting named at once, before any request
    pipeline = pipeline or make_pipeline(name)
    source = source if source is not None else SOURCES[name](**source_kwargs)
    if resources:
        source = source.with_resources(*resources)
    try:
        load_info = pipeline.run(source, loader_file_format="parquet")
    except PipelineStepFailed as failure:
        root = _source_error_in(failure)
        if root is not None:
            raise root from None
        raise
    finally:
        restrict_data_dir()  # DuckDB and dlt created their files under the umask
    normalize_info = pipeline.last_trace.last_normalize_info if pipeline.last_trace else None
    row_counts = normalize_info.row_counts if normalize_info else {}
    rows = {t: n for t, n in row_counts.items() if not t.startswith("_dlt") and t != QUARANTINE_TABLE}
    result = RunResult(name, load_info, rows, _quarantined_by_resource(pipeline, load_info.loads_ids))
    logger.info("%s: loaded %d rows %s; quarantined %s", name, result.total_rows, rows, result.quarantined)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: run the named sources (all by default) and print rows loaded and quarantined."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help=f"any of {', '.join(SOURCES)} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sources) - set(SOURCES))
    if unknown:
        parser.error(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for name in args.sources or SOURCES:
        try:
            result = run_source(name)
        except ConfigurationError as error:
            print(error, file=sys.stderr)
            return 2
        except (SourceError, ConfigFieldMissingException) as error:
            print(f"FAILED {name}: {error}", file=sys.stderr)
            return 1
        print(f"{name}: {result.total_rows} rows {result.rows_loaded}, quarantined {result.quarantined}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
