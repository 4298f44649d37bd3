"""Dashboard: query time per page (p50/p95) on each measured world, and real-browser render time.

Both read the serving snapshot the end-to-end run published for that world. Query time: every
query a page runs, with a cold cache, summed per page run (AppTest, in-process). Render time:
navigation to a finished Streamlit run in Debian's chromium driven by Playwright, first load apart.
Target from the dashboard issue: every page renders in under 2 s after the first load (small world).
"""

from __future__ import annotations

from benchmarks.context import BenchContext, NotMeasured, Section, Table, require
from benchmarks.measure import percentile, run_child
from benchmarks.pipeline import child_env

KEY = "dashboard"
TITLE = "Dashboard (query time per page, real-browser render time)"
RENDER_TARGET_S = 2.0
QUERY_RUNS = 5  # AppTest runs per page (cold cache each)
RELOADS = 3  # full page loads per page after the first
NAVIGATIONS = 5  # in-app navigations to each page


def _data_dir_with_snapshot(ctx: BenchContext, scale: str):
    runs = ctx.artifacts.get("pipeline_runs", {}).get(scale)
    if not runs or not (runs[-1].data_dir / "serving" / "current").exists():
        raise NotMeasured(f"no published serving snapshot for the {scale} world (the end-to-end run did not "
                          "publish one)")
    return runs[-1].data_dir


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
    render_scale = ctx.scales[0]
    try:
        rendered = run_child("benchmarks.dashboard_probe:browser_render_times",
                             {"reloads": RELOADS, "navigations": NAVIGATIONS},
                             env=child_env(_data_dir_with_snapshot(ctx, render_scale))).result
    except Exception as error:  # noqa: BLE001 - a browser failure must not hide the query figures
        section.status = "partial"
        section.reason = f"real-browser render failed: {type(error).__name__}: {str(error).splitlines()[-1][:300]}"
    else:
        figures["render"][render_scale] = {
            page: {"first_load_s": round(r["first_s"], 3),
                   "reload_p50_s": _p(r["reload_s"], 50), "reload_p95_s": _p(r["reload_s"], 95),
                   "navigate_p50_s": _p(r["navigate_s"], 50) if r["navigate_s"] else None,
                   "navigate_p95_s": _p(r["navigate_s"], 95) if r["navigate_s"] else None,
                   "navigation_timeouts_60s": r.get("navigation_timeouts", 0),
                   "exceptions_shown": r["exceptions_shown"],
                   "meets_target": bool(r["navigate_s"]) and not r.get("navigation_timeouts")
                   and percentile(r["navigate_s"], 95) < RENDER_TARGET_S}
            for page, r in rendered.items()}
        section.tables.append(Table(
            f"Real-browser render time, {render_scale} world (chromium; first load, {RELOADS} reloads and "
            f"{NAVIGATIONS} in-app navigations per page)",
            ["page", "first load s", "reload p50 s", "reload p95 s", "navigate p50 s", "navigate p95 s",
             f"navigate p95 < {RENDER_TARGET_S} s?", "navigations timed out (60 s)", "exceptions shown"],
            [[page, f["first_load_s"], f["reload_p50_s"], f["reload_p95_s"], f["navigate_p50_s"],
              f["navigate_p95_s"], "yes" if f["meets_target"] else "NO", f["navigation_timeouts_60s"],
              f["exceptions_shown"]]
             for page, f in figures["render"][render_scale].items()]))
    worst_query = {scale: max(f["p95_s"] for f in pages.values()) for scale, pages in figures["query"].items()}
    headline = [f"{scale}: worst page query p95 {value:.3f} s" for scale, value in worst_query.items()]
    if figures["render"]:
        worst_render = max(f["navigate_p95_s"] or float("inf") for f in figures["render"][render_scale].values())
        headline.append(f"{render_scale}: worst in-app navigation p95 {worst_render:.2f} s in chromium")
    figures["headline"] = headline
    section.figures = figures
    section.notes += [
        ("Query time = the sum of the page's `dashboards.queries.fetch` calls with Streamlit's cache cleared, "
        "so every statement runs on the snapshot; page run = the whole script run in AppTest (queries, "
        "pandas, Plotly figure building)."),
        ("Render: reload = from `page.goto` to the app reporting script state notRunning and connected, "
         "plus two animation frames; navigate = from a sidebar click to the last DOM change of the page "
         "(read once the script run is over and the page has been quiet for 0.5 s). Server and browser "
         "share the 2-core machine."),
    ]
    return section
