"""Child-process bodies of the dashboard measurement: query time per page, real-browser render time.

Both read the serving snapshot under `$SEAMLINE_DATA_DIR` exactly as the app does.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def pages() -> list[str]:
    """Page names (views/<name>.py), the default page (overview) first."""
    from dashboards import APP

    names = sorted(p.stem for p in (APP.parent / "views").glob("*.py") if not p.stem.startswith("_"))
    return sorted(names, key=lambda name: name != "overview")


def page_query_times(runs: int) -> dict[str, Any]:
    """Per page and run: seconds spent in the dashboard's queries with a cold cache, and the page's run.

    Runs the app with Streamlit's AppTest; every query goes through `dashboards.queries.fetch`, which
    is wrapped with a timer; `st.cache_data` is cleared before each measured run so each query
    really executes on DuckDB.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards import APP, queries

    original, spent = queries.fetch, []

    def timed_fetch(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    queries.fetch = timed_fetch
    results: dict[str, Any] = {}
    for page in pages():
        query_seconds, run_seconds, counts, errors = [], [], [], []
        for _ in range(runs):
            app = AppTest.from_file(str(APP), default_timeout=120)
            if page != "overview":
                app.run()
                app.switch_page(f"views/{page}.py")
            st.cache_data.clear()
            spent.clear()
            started = time.perf_counter()
            app.run()
            run_seconds.append(time.perf_counter() - started)
            query_seconds.append(sum(spent))
            counts.append(len(spent))
            errors += [e.message for e in app.exception]
        results[page] = {"query_s": query_seconds, "run_s": run_seconds, "queries": max(counts),
                         "exceptions": errors[:3]}
    return results


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the dashboard did not answer on {url} within {seconds:.0f} s")


# Before a click: remember when it happened and the time of every later DOM change in the app.
ARM_WATCH = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__benchWatch) window.__benchWatch.disconnect();
  window.__bench = {start: performance.now(), last: performance.now()};
  window.__benchWatch = new MutationObserver(() => { window.__bench.last = performance.now(); });
  window.__benchWatch.observe(app, {subtree: true, childList: true, attributes: true, characterData: true});
}"""
# The page is rendered when the URL is the target's, Streamlit's script run is over and the DOM has
# been quiet for QUIET_MS. (A script run can finish before React ever paints the "running" state,
# so the state attribute alone cannot tell that a run happened.)
QUIET_MS = 500
RENDERED = """(path) => location.pathname.replace(/\\/$/, '') === path
  && document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') === 'notRunning'
  && performance.now() - window.__bench.last > """ + str(QUIET_MS)


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _settle(page: Any) -> None:
    page.wait_for_selector(DONE, timeout=120_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@contextlib.contextmanager
def pipeline_rebuilding(data_dir: Path) -> Iterator[dict[str, int]]:
    """While the block runs, the pipeline's transform stage (`dbt build` of every model, the heaviest
    CPU step of a run) rebuilds `data_dir`'s warehouse over and over in a child process, as a scheduled
    run would beside people reading the dashboard. The serving snapshot is not touched (publish is a
    separate step). Yields counts of the builds started and finished."""
    from benchmarks.pipeline import TRANSFORM_ARGS

    counts = {"builds_started": 0, "builds_finished": 0}
    stop = threading.Event()
    current: list[subprocess.Popen] = []

    def loop() -> None:
        with tempfile.TemporaryDirectory(prefix="seamline-rebuild-") as tmp:
            kwargs = {"args": TRANSFORM_ARGS, "target_path": str(data_dir / "dbt_target_rebuild")}
            while not stop.is_set():
                current[:] = [subprocess.Popen(
                    [sys.executable, "-m", "benchmarks.child", "benchmarks.stages:dbt", json.dumps(kwargs),
                     str(Path(tmp) / "result.json")], env=dict(os.environ),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
                counts["builds_started"] += 1
                if current[0].wait() == 0:
                    counts["builds_finished"] += 1

    worker = threading.Thread(target=loop, daemon=True)
    worker.start()
    try:
        while counts["builds_started"] == 0:
            time.sleep(0.05)
        yield counts
    finally:
        stop.set()
        for build in current:
            build.terminate()
        worker.join(timeout=60)


def browser_render_times(reloads: int, navigations: int, while_rebuilding: bool = False) -> dict[str, Any]:
    """Per page, in Debian's chromium driven by Playwright: seconds to a finished render.

    With `while_rebuilding`, the pipeline's transform stage rebuilds the warehouse the whole time
    (`pipeline_rebuilding`); the result then carries `_rebuild` with the builds started and finished.
    """
    if not while_rebuilding:
        return _browser_render_times(reloads, navigations)
    with pipeline_rebuilding(Path(os.environ["SEAMLINE_DATA_DIR"])) as counts:
        results = _browser_render_times(reloads, navigations)
    return {**results, "_rebuild": dict(counts)}


def _browser_render_times(reloads: int, navigations: int) -> dict[str, Any]:
    """Per page, in Debian's chromium driven by Playwright: seconds to a finished render.

    - `first_s`: the first full load of the page (cold: the server's first run of it);
    - `reload_s`: `reloads` further full page loads (new session each time);
    - `navigate_s`: `navigations` in-app navigations to the page from another page through the sidebar
      (what a reader does after the first load): from the click to the last change of the page's
      DOM, once the script run is over and the page has been quiet for QUIET_MS;
    - `first_server_cpu_s`, `navigate_server_cpu_s`: CPU seconds the dashboard server spent meanwhile.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from dashboards import streamlit_command

    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} not found: install it with `make browser`")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(streamlit_command(port), env=dict(os.environ), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    names = pages()
    results: dict[str, Any] = {name: {"navigate_s": [], "navigate_server_cpu_s": []} for name in names}
    try:
        _wait_for_server(url, 60)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for name in names:
                target = url if name == "overview" else f"{url}/{name}"
                seconds = []
                for _ in range(reloads + 1):
                    started, cpu = time.perf_counter(), _cpu_seconds(server.pid)
                    page.goto(target, wait_until="commit")
                    _settle(page)
                    seconds.append(time.perf_counter() - started)
                    if len(seconds) == 1:
                        results[name]["first_server_cpu_s"] = _cpu_seconds(server.pid) - cpu
                results[name].update(first_s=seconds[0], reload_s=seconds[1:],
                                     exceptions_shown=page.locator('[data-testid="stException"]').count())
            for _ in range(navigations):
                for name in [*names[1:], names[0]]:
                    link = page.locator(f'[data-testid="stSidebarNav"] a[href="{url}/{"" if name == "overview" else name}"]')
                    page.evaluate(ARM_WATCH)
                    cpu = _cpu_seconds(server.pid)
                    link.click()
                    path = urllib.parse.urlparse(url).path.rstrip("/") + ("" if name == "overview" else f"/{name}")
                    try:
                        page.wait_for_function(RENDERED, arg=path, timeout=60_000)
                    except PlaywrightTimeout:
                        results[name]["navigation_timeouts"] = results[name].get("navigation_timeouts", 0) + 1
                        page.goto(f"{url}/{'' if name == 'overview' else name}", wait_until="commit")
                        _settle(page)
                        continue
                    elapsed_ms = page.evaluate("() => window.__bench.last - window.__bench.start")
                    results[name]["navigate_s"].append(elapsed_ms / 1000)
                    # the server's own work for the navigation (script run, queries, figures): unlike wall
                    # time it does not grow with other work on the machine (includes the 0.5 s quiet wait's
                    # idle server, which costs no CPU)
                    results[name]["navigate_server_cpu_s"].append(_cpu_seconds(server.pid) - cpu)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results
