"""The running app in a real browser (Debian's chromium driven by Playwright): every page renders.

Starts `streamlit run` exactly as `dashboards.serve` does, on a free loopback port, over a published
snapshot; opens each page through the sidebar like a reader, waits for Streamlit's script run to end,
checks for exception text and the page's key elements, and saves a screenshot under `screenshots/`.

Every wait is for a condition (the page's script run ended, an element is there), with a generous
limit so the tests pass on a loaded machine: a cold page took up to 43 s on a busy 2-core box. Speed is
measured by `seamline bench`, not asserted here; the seconds each page took are written next to the
screenshots. Every request the browser makes is recorded: none may leave the machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from dashboards import streamlit_command
from seamline_core.snapshots import current_snapshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUN_FINISHED = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
                '[data-test-connection-state="CONNECTED"]')
# page url path -> (title, minimal count of KPI tiles, of Plotly charts, of tables)
PAGES = {
    "": ("Overview", 7, 1, 1),
    "customers": ("Customers: omnichannel and cohorts", 5, 3, 3),
    "handoffs": ("Hand-offs", 5, 4, 2),
    "journeys": ("Journeys and drop-offs", 0, 2, 3),
    "attribution": ("Attribution", 2, 2, 2),
    "customer_360": ("Customer 360", 0, 0, 0),
    "reviews_social": ("Reviews and social", 4, 2, 2),
    "prices_fulfilment": ("Prices and fulfilment", 4, 1, 2),
    "data_health": ("Data health", 3, 0, 3),
}
EMPTY_TABLE = re.compile(r"^No .+ for the selected filters\.$")  # components.table on an empty result
READY_TIMEOUT_MS = 180_000  # a limit for waits on a condition, never a pause
SERVER_START_TIMEOUT_S = 180
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(snapshot_data_dir: Path) -> Iterator[str]:
    """A running dashboard on a free loopback port, stopped after the module."""
    port = _free_port()
    env = {**os.environ, "SEAMLINE_DATA_DIR": str(snapshot_data_dir)}
    env.pop("SEAMLINE_STALE_AFTER_HOURS", None)
    server = subprocess.Popen(streamlit_command(port), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {server.stderr.read()[-2000:]}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def requested_urls() -> list[str]:
    """Every URL the browser requested during the module (pages, scripts, fonts, icons, websockets)."""
    return []


@pytest.fixture(scope="module")
def browser_page(dashboard_url: str, requested_urls: list[str]):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Debian's chromium is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(READY_TIMEOUT_MS)
        page.on("request", lambda request: requested_urls.append(request.url))
        page.on("websocket", lambda websocket: requested_urls.append(websocket.url))
        yield page
        browser.close()


def _finished(page) -> None:
    page.wait_for_selector(RUN_FINISHED)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")


def _assert_rendered(page, title: str, metrics: int, charts: int, tables: int) -> None:
    page.wait_for_selector(f'h1:has-text("{title}")')
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
    assert "Traceback" not in body and "Error" not in body.split("\n")[0]
    assert page.locator('[data-testid="stMetric"]').count() >= metrics
    if charts:
        page.wait_for_selector(".js-plotly-plot")
    assert page.locator(".js-plotly-plot").count() >= charts
    empty_tables = page.get_by_text(EMPTY_TABLE).count()
    assert page.locator('[data-testid="stDataFrame"]').count() + empty_tables >= tables


def test_every_page_renders_in_chromium(dashboard_url: str, browser_page) -> None:
    page = browser_page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(dashboard_url)
    _finished(page)
    _assert_rendered(page, *PAGES[""])
    seconds: dict[str, float] = {}
    for path, expected in [*list(PAGES.items())[1:], ("", PAGES[""])]:
        link = page.locator(f'[data-testid="stSidebarNav"] a[href="{dashboard_url}/{path}"]')
        started = time.perf_counter()
        link.click()
        page.wait_for_url(f"{dashboard_url}/{path}*")
        page.wait_for_selector(f'h1:has-text("{expected[0]}")')
        _finished(page)
        seconds[path or "overview"] = round(time.perf_counter() - started, 3)
        _assert_rendered(page, *expected)
        if path == "customers":  # the new marts' figures, not placeholders
            values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
            assert len(values) == 5 and all(re.search(r"\d", value) for value in values), values
        page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)
    (SCREENSHOTS / "render_seconds.json").write_text(json.dumps(seconds, indent=2))


def test_no_request_leaves_the_machine(dashboard_url: str, browser_page, requested_urls: list[str]) -> None:
    """Fonts, icons, the favicon and scripts all come from the dashboard itself (an offline product)."""
    page = browser_page
    for path in PAGES:
        page.goto(f"{dashboard_url}/{path}")
        _finished(page)
        page.wait_for_load_state("networkidle")
    assert any(url.startswith(dashboard_url) for url in requested_urls)
    outside = sorted({url for url in requested_urls
                      if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname not in LOCAL_HOSTS})
    assert outside == [], f"requests that left the machine: {outside}"


def test_customer_search_in_chromium(dashboard_url: str, browser_page, snapshot_data_dir: Path) -> None:
    snapshot = current_snapshot(snapshot_data_dir / "serving")
    with duckdb.connect(str(snapshot), read_only=True) as con:
        (customer_id,) = con.execute("select customer_id from marts.dim_customers "
                                     "order by orders_count desc, customer_id limit 1").fetchone()
        first_day, last_day = con.execute(
            "select min(occurred_at)::date, max(occurred_at)::date from marts.fct_touchpoints").fetchone()
    page = browser_page
    # all the dates: the timeline follows the date filter, and this customer's whole history is drawn
    page.goto(f"{dashboard_url}/customer_360?from={first_day}&to={last_day}")
    _finished(page)
    search = page.get_by_label("Find a customer by email, phone, name or customer id")
    search.fill("'; DROP TABLE marts.dim_customers; --")
    search.press("Enter")
    page.wait_for_selector('text="No customer matches this name (or customer id)."')
    search.fill(customer_id)
    search.press("Enter")
    page.wait_for_selector(f'h3:has-text("{customer_id}")')
    _finished(page)
    _assert_rendered(page, "Customer 360", 4, 1, 1)
    page.screenshot(path=str(SCREENSHOTS / "customer_360_found.png"), full_page=True)
