"""Journeys, hand-offs and touchpoints vs the demo world's ground truth (count errors).

The marts are built on resolved identities, the truth on true persons, so differences come from
identity errors and from the journey rules; the figure is the total absolute count error relative
to the truth: sum |mart - truth| / sum truth over (from, to) channel pairs for hand-offs, over
outcomes for journeys, and over (channel, touchpoint type) for touchpoints.
"""

from __future__ import annotations

from typing import Any

from benchmarks.context import BenchContext, NotMeasured, Section, Table

KEY = "journeys"
TITLE = "Journeys, hand-offs and touchpoints vs ground truth"

COMPARISONS = {
    # name: (mart, truth file, columns grouped on; the same names in both)
    "handoffs by (from, to) channel": ("fct_channel_handoffs", "handoffs", ["from_channel", "to_channel"]),
    "journeys by outcome": ("fct_journeys", "journeys", ["outcome"]),
    "touchpoints by (channel, type)": ("fct_touchpoints", "touchpoints", ["channel", "touchpoint_type"]),
}


def compare(warehouse: str, truth_dir: str) -> dict[str, Any]:
    """Count per group in the mart and in the truth, and the relative total absolute error."""
    import duckdb

    results: dict[str, Any] = {}
    with duckdb.connect(warehouse, read_only=True) as con:
        marts = {row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        for name, (mart, truth, columns) in COMPARISONS.items():
            if mart not in marts:
                results[name] = {"missing": f"marts.{mart} does not exist"}
                continue
            groups = ", ".join(columns)
            rows = con.execute(f"""
                with built as (select {groups}, count(*) as n from marts.{mart} group by all),
                     truth as (select {groups}, count(*) as n from read_parquet(?) group by all)
                select {groups}, coalesce(built.n, 0) as mart_n, coalesce(truth.n, 0) as truth_n
                from built full join truth using ({groups})
                order by truth_n desc, mart_n desc
            """, [f"{truth_dir}/{truth}.parquet"]).fetchall()
            truth_total = sum(r[-1] for r in rows)
            error = sum(abs(r[-2] - r[-1]) for r in rows)
            results[name] = {
                "groups": [{"group": " / ".join(str(v) for v in r[:-2]), "mart": r[-2], "truth": r[-1]}
                           for r in rows],
                "mart_total": sum(r[-2] for r in rows),
                "truth_total": truth_total,
                "relative_error": round(error / truth_total, 4) if truth_total else None,
            }
    return results


def measure(ctx: BenchContext) -> Section:
    from benchmarks.pipeline import built_runs, scored_against_truth

    section = Section(KEY, TITLE)
    figures: dict[str, Any] = {}
    for scale in ctx.scales:
        figures[scale] = scored_against_truth(built_runs(ctx, scale)[-1], "benchmarks.journeys:compare").result
        rows = [[name, r.get("mart_total"), r.get("truth_total"), r.get("relative_error"), r.get("missing", "")]
                for name, r in figures[scale].items()]
        section.tables.append(Table(f"**{scale} world**", ["comparison", "mart rows", "truth rows",
                                                          "relative count error", "missing"], rows))
    missing = [f"{scale}: {r['missing']}" for scale, f in figures.items() for r in f.values() if "missing" in r]
    if missing and len(missing) == sum(len(f) for f in figures.values()):
        raise NotMeasured("; ".join(missing))
    if missing:
        section.status, section.reason = "partial", "; ".join(missing)
    section.figures = {"scales": figures, "headline": [
        f"{scale}: " + ", ".join(f"{name.split(' ')[0]} error {r['relative_error']:.3f}"
                                 for name, r in f.items() if r.get("relative_error") is not None)
        for scale, f in figures.items()]}
    section.notes.append("Per-group counts are in the JSON results; a relative error of 0 means every group "
                         "count matches the truth exactly.")
    return section
