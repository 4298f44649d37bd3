"""Dashboard: query time per page (p50/p95) on each measured world, and real-browser render time.

Both read the serving snapshot the end-to-end run published for that world (this run's, or with
`--only dashboard` the last one left in the work directory). Query time: every query a page runs,
with a cold cache, summed per page run (AppTest, in-process). Render time: navigation to a finished
Streamlit run in Debian's chromium driven by Playwright, on every measured world, once on a quiet
machine and once while the pipeline's transform stage rebuilds the warehouse.
Targets from issue 17: a page's first render <= 3 s and in-app navigation p95 <= 1 s (small and medium).
"""

from __future__ import annotations

from benchmarks.context import BenchContext, NotMeasured, Section, Table, require
from benchmarks.measure import percentile, run_child
from benchmarks.pipeline import child_env

KEY = "dashboard"
TITLE = "Dashboard (query time per page, real-browser render time)"
FIRST_RENDER_TARGET_S = 3.0
NAVIGATE_P95_TARGET_S = 1.0
CONDITIONS = {False: "idle", True: "while the pipeline rebuilds"}
QUERY_RUNS = 5  # AppTest runs per page (cold cache each)
RELOADS = 3  # full page loads per page after the first
NAVIGATIONS = 5  # in-app navigations to each page


def _data_dir_with_snapshot(ctx: BenchContext, scale: str):
    """The data directory of this run's end-to-end run of `scale`, else the one a previous run left in
    the work directory (`--only dashboard` after `--only end_to_end` with the same --workdir)."""
    runs = ctx.artifacts.get("pipeline_runs", {}).get(scale)
    data_dir = runs[-1].data_dir if runs else ctx.workdir / "pipeline" / scale / "data"
    if not (data_dir / "serving" / "current").exists():
        raise NotMeasured(f"no published serving snapshot for the {scale} world (the end-to-end run did not "
                          "publish one)")
    return data_dir


def _p(values: list[float], q: float) -> float:
    return round(percentile(values, q), 4)


def measure(ctx: BenchContext) -> Section:
    require("dashboards", "streamlit_command")
    section = Section(KEY, TITLE)
    runs = QUERY_RUNS
    figures: dict = {"query": {}, "render": {}}
    for scale in ctx.scales:
        env = child_env(_data_dir_with_snapshot(ctx, scale))
        per_page = run_child("benchmarks.dashboard_probe:page_query_times", {"runs": runs}, env=env).result
        figures["query"][scale] = {
            page: {"queries": r["queries"], "p50_s": _p(r["query_s"], 50), "p95_s": _p(r["query_s"], 95),
                   "page_run_p50_s": _p(r["run_s"], 50), "page_run_p95_s": _p(r["run_s"], 95),
                   "exceptions": r["exceptions"]}
            for page, r in per_page.items()}
        section.tables.append(Table(
            f"Query time per page, {scale} world (cold cache, {runs} runs per page)",
            ["page", "queries", "query p50 s", "query p95 s", "page run p50 s", "page run p95 s", "exceptions"],
            [[page, f["queries"], f["p50_s"], f["p95_s"], f["page_run_p50_s"], f["page_run_p95_s"],
              len(f["exceptions"])] for page, f in figures["query"][scale].items()]))
    failures = []
    for scale in ctx.scales:
        for while_rebuilding, condition in CONDITIONS.items():
            try:
                rendered = run_child("benchmarks.dashboard_probe:browser_render_times",
                                     {"reloads": RELOADS, "navigations": NAVIGATIONS,
                                      "while_rebuilding": while_rebuilding},
                                     env=child_env(_data_dir_with_snapshot(ctx, scale))).result
            except Exception as error:  # noqa: BLE001 - a browser failure must not hide the query figures
                failures.append(f"{scale} {condition}: {type(error).__name__}: {str(error).splitlines()[-1][:300]}")
                continue
            rebuild = rendered.pop("_rebuild", None)
            pages = {page: _render_figures(r) for page, r in rendered.items()}
            figures["render"].setdefault(scale, {})[condition] = {"pages": pages, "rebuild": rebuild}
            section.tables.append(Table(
                f"Real-browser render time, {scale} world, {condition} (chromium; first load, {RELOADS} reloads "
                f"and {NAVIGATIONS} in-app navigations per page"
                + (f"; dbt builds started {rebuild['builds_started']}, finished {rebuild['builds_finished']}"
                   if rebuild else "") + ")",
                ["page", "first load s", "reload p50 s", "reload p95 s", "navigate p50 s", "navigate p95 s",
                 f"first load <= {FIRST_RENDER_TARGET_S:g} s and navigate p95 <= {NAVIGATE_P95_TARGET_S:g} s?",
                 "server CPU s, first load", "server CPU s per navigation p95",
                 "navigations timed out (60 s)", "exceptions shown"],
                [[page, f["first_load_s"], f["reload_p50_s"], f["reload_p95_s"], f["navigate_p50_s"],
                  f["navigate_p95_s"], "yes" if f["meets_target"] else "NO", f["first_server_cpu_s"],
                  f["navigate_server_cpu_p95_s"], f["navigation_timeouts_60s"], f["exceptions_shown"]]
                 for page, f in pages.items()]))
    if failures:
        section.status = "partial"
        section.reason = "real-browser render failed: " + "; ".join(failures)
    worst_query = {scale: max(f["p95_s"] for f in pages.values()) for scale, pages in figures["query"].items()}
    headline = [f"{scale}: worst page query p95 {value:.3f} s" for scale, value in worst_query.items()]
    for scale, conditions in figures["render"].items():
        for condition, measured in conditions.items():
            pages = measured["pages"].values()
            first = max(f["first_load_s"] for f in pages)
            navigate = max(f["navigate_p95_s"] or float("inf") for f in pages)
            met = all(f["meets_target"] for f in pages)
            headline.append(f"{scale} {condition}: worst first load {first:.2f} s, worst navigation p95 "
                            f"{navigate:.2f} s ({'meets' if met else 'MISSES'} <= {FIRST_RENDER_TARGET_S:g} s / "
                            f"<= {NAVIGATE_P95_TARGET_S:g} s)")
    figures["headline"] = headline
    section.figures = figures
    section.notes += [
        ("Query time = the sum of the page's `dashboards.queries.fetch` calls with Streamlit's cache cleared, "
        "so every statement runs on the snapshot; page run = the whole script run in AppTest (queries, "
        "pandas, Plotly figure building)."),
        ("Render: first load = the page's first `page.goto` on a freshly started server (the server's first "
         "run of the page), to the app reporting script state notRunning and connected, plus two animation "
         "frames; reload = the same for later full loads (a new session each time); navigate = from a sidebar "
         "click to the last DOM change of the page (read once the script run is over and the page has been "
         "quiet for 0.5 s). Server and browser share the 2-core machine. Server CPU = user + system CPU "
         "seconds of the dashboard's server process over the same span: its own work, which unlike wall time "
         "does not grow when other work loads the machine (the browser's rendering is not in it)."),
        ("While the pipeline rebuilds: the pipeline's transform stage (`dbt build` of every model, its "
         "heaviest CPU step) rebuilds the world's warehouse in a loop for the whole measurement; the dashboard "
         "keeps reading the published snapshot, which a rebuild never touches."),
    ]
    return section


def _render_figures(r: dict) -> dict:
    """One page's render figures in seconds, and whether it meets both targets."""
    navigate = r["navigate_s"]
    return {"first_load_s": round(r["first_s"], 3),
            "reload_p50_s": _p(r["reload_s"], 50), "reload_p95_s": _p(r["reload_s"], 95),
            "navigate_p50_s": _p(navigate, 50) if navigate else None,
            "navigate_p95_s": _p(navigate, 95) if navigate else None,
            "first_server_cpu_s": round(r.get("first_server_cpu_s", 0.0), 3),
            "navigate_server_cpu_p95_s": _p(r["navigate_server_cpu_s"], 95) if r.get("navigate_server_cpu_s") else None,
            "navigation_timeouts_60s": r.get("navigation_timeouts", 0),
            "exceptions_shown": r["exceptions_shown"],
            "meets_target": bool(navigate) and not r.get("navigation_timeouts")
            and r["first_s"] <= FIRST_RENDER_TARGET_S and percentile(navigate, 95) <= NAVIGATE_P95_TARGET_S}
