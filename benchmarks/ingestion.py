"""Ingestion: records per second per source through the dlt connectors vs the bare baseline.

Both sides read the same world from the same sandboxes in the same run; each side of each source
runs `pipeline_repeats` times, alternating, in fresh processes into a fresh database, and the ratio of the medians is
reported (target: the connector at least half as fast as the baseline). Records are the API's
top-level records (orders, not order line items) so both sides count the same thing.
"""

from __future__ import annotations

import shutil

from benchmarks.context import BenchContext, Section, Table, require
from benchmarks.measure import Timing, mib, run_child
from benchmarks.pipeline import child_env, serving_world, world_for

KEY = "ingestion"
TITLE = "Ingestion (dlt connectors vs plain HTTP + DuckDB-from-Arrow baseline)"
TARGET_RATIO = 0.5
# Imported before the clock starts on each side: the figures are throughput, not library start-up.
# dlt imports SQLAlchemy on its first DuckDB load (to print the destination URL): library start-up too.
CONNECTOR_IMPORTS = ("duckdb", "pyarrow", "dlt", "sqlalchemy", "ingestion.pipelines")
BASELINE_IMPORTS = ("duckdb", "pyarrow", "requests")


def top_level_records(rows_loaded: dict[str, int]) -> int:
    """Rows of a source's root tables (no `parent__child` tables, no dlt/quarantine bookkeeping)."""
    return sum(rows for table, rows in rows_loaded.items() if "__" not in table and not table.startswith("_"))


def measure(ctx: BenchContext) -> Section:
    sources = list(require("ingestion.pipelines", "SOURCES"))
    scale = ctx.scales[-1]
    world_dir = world_for(ctx, scale)
    scratch = ctx.scratch("ingestion")
    rows, figures = [], {}
    with serving_world(world_dir) as sources_env:
        base_urls = {s: sources_env.get(f"SOURCES__{s.upper()}__BASE_URL", "") for s in sources}
        token = sources_env.get("SOURCES__SHOPIFY__ACCESS_TOKEN", "")
        for source in sources:
            connector_runs, baseline_runs = [], []
            for i in range(ctx.pipeline_repeats):  # alternating, so machine load hits both sides alike
                data_dir = scratch / f"{source}-{i}"
                connector_runs.append(run_child("benchmarks.stages:ingest", {"sources": [source]},
                                                env=child_env(data_dir, sources_env), preload=CONNECTOR_IMPORTS))
                baseline_runs.append(run_child("benchmarks.baseline:fetch_and_load", {
                    "source": source, "base_url": base_urls[source], "token": token, "world_dir": str(world_dir),
                    "database": str(data_dir / "baseline.duckdb")}, preload=BASELINE_IMPORTS))
                shutil.rmtree(data_dir, ignore_errors=True)
            connector = [run.result[source] for run in connector_runs]
            connector_records = top_level_records(connector[-1]["rows_loaded"])
            baseline_records = sum(baseline_runs[-1].result.values())
            connector_time = Timing([sample["seconds"] for sample in connector])
            baseline_time = Timing([r.seconds for r in baseline_runs])
            connector_rate = connector_records / connector_time.median
            baseline_rate = baseline_records / baseline_time.median
            ratio = connector_rate / baseline_rate if baseline_rate else None
            figures[source] = {
                "connector": {"records": connector_records, "time": connector_time.to_dict(),
                              "records_per_s": round(connector_rate, 1),
                              "peak_rss_mib": mib(max(r.peak_rss_bytes for r in connector_runs)),
                              "rows_loaded_per_table": connector[-1]["rows_loaded"]},
                "baseline": {"records": baseline_records, "time": baseline_time.to_dict(),
                             "records_per_s": round(baseline_rate, 1),
                             "peak_rss_mib": mib(max(r.peak_rss_bytes for r in baseline_runs)),
                             "records_per_table": baseline_runs[-1].result},
                "ratio": round(ratio, 3) if ratio is not None else None,
                "meets_target": ratio is not None and ratio >= TARGET_RATIO,
            }
            rows.append([source, connector_records, baseline_records, round(connector_rate), round(baseline_rate),
                         round(ratio, 2) if ratio is not None else None,
                         "yes" if figures[source]["meets_target"] else "NO"])
    section = Section(KEY, TITLE)
    section.figures = {"world": scale, "sources": figures, "target_ratio": TARGET_RATIO,
                       "headline": ", ".join(f"{s} {f['ratio']:.2f}x" for s, f in figures.items()
                                             if f["ratio"] is not None) + " of baseline"}
    section.tables.append(Table(
        f"{scale} world, {ctx.pipeline_repeats} runs per side, alternating (medians)",
        ["source", "connector records", "baseline records", "connector rec/s", "baseline rec/s",
         "ratio", f">= {TARGET_RATIO}?"], rows))
    mismatched = [s for s, f in figures.items() if f["connector"]["records"] != f["baseline"]["records"]]
    if mismatched:
        section.notes.append(f"Record counts differ between connector and baseline for {mismatched}: "
                             "see rows_loaded_per_table / records_per_table in the JSON.")
    section.notes += [
        ("Connector = `ingestion.pipelines.run_source(name)` (dlt: validation, quarantine, nested tables, "
        "parquet loader, state) into a fresh raw.duckdb. Baseline = `benchmarks/baseline.py`: requests + "
        "pagination + `pyarrow.Table.from_pylist` + one DuckDB `CREATE TABLE AS` per table, nested objects "
        "kept as structs."),
        ("Time = the load itself, one fresh process and database per source, side and run; the libraries "
         "(duckdb, pyarrow, dlt / requests) are imported before the clock starts on both sides."),
    ]
    return section
