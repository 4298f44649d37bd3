"""Cross-page filters, the address-bar round trip, and the data-health banner on every page."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from dashboard_snapshot import build_small_snapshot
from streamlit.testing.v1 import AppTest

from orchestration.serving import write_run_status

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGES = ["overview", "handoffs", "journeys", "attribution", "customer_360", "reviews_social",
         "prices_fulfilment", "data_health"]


def _revenue(app: AppTest) -> tuple[str, float]:
    """The Revenue tile as (currency, amount): '$1,234.50' is USD, 'CAD 1,234.50' names its currency."""
    shown = next(metric.value for metric in app.metric if metric.label == "Revenue (gross)")
    currency, _, amount = shown.rpartition(" ") if " " in shown else ("USD", "", shown)
    return currency, float(amount.replace("$", "").replace(",", ""))


def test_location_and_channel_filters_apply(open_page, warehouse, default_period):
    start, end = default_period
    (location_id,) = warehouse.execute(
        "select location_id from marts.fct_touchpoints where touchpoint_type = 'purchase' "
        "and location_id is not null group by 1 order by count(*) desc limit 1").fetchone()
    bounds = [dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + dt.timedelta(days=1), dt.time())]
    # a store's sales are in its own currency (the busiest store here is the one abroad, in CAD)
    (currency, store_revenue) = warehouse.execute(
        "select any_value(currency), sum(value_amount) from marts.fct_touchpoints where touchpoint_type = 'purchase' "
        "and channel = 'store' and location_id = ? and occurred_at >= ? and occurred_at < ?",
        [location_id, *bounds]).fetchone()

    app = open_page("overview")
    app.selectbox(key="filter_location").set_value(location_id).run()
    app.multiselect(key="filter_channels").set_value(["store"]).run()

    assert _revenue(app) == (currency, pytest.approx(float(store_revenue), abs=0.005))
    assert app.query_params["location"] == location_id
    assert app.query_params["channel"] == "store"


def test_filters_persist_across_pages(open_page):
    app = open_page("overview")
    app.multiselect(key="filter_channels").set_value(["web", "store"]).run()
    app.switch_page("views/handoffs.py").run()

    assert app.multiselect(key="filter_channels").value == ["web", "store"]
    flows = next(table.value for table in app.dataframe if "from_channel" in table.value.columns)
    assert set(flows["from_channel"]) | set(flows["to_channel"]) == {"web", "store"}


def test_filters_from_the_address_bar(open_page, default_period):
    start, end = default_period
    app = open_page("overview", {"from": (start - dt.timedelta(days=7)).isoformat(), "to": end.isoformat(),
                                 "channel": ["web"]})

    assert app.date_input(key="filter_dates").value == (start - dt.timedelta(days=7), end)
    assert app.multiselect(key="filter_channels").value == ["web"]
    assert not app.warning


def test_stale_banner_on_every_page(open_page, monkeypatch):
    monkeypatch.setenv("SEAMLINE_STALE_AFTER_HOURS", "0")
    app = open_page("overview")
    for page in PAGES:
        app.switch_page(f"views/{page}.py").run()

        assert not app.exception, page
        assert any("Stale data" in warning.value for warning in app.warning), page


def test_fresh_snapshot_has_no_banner(open_page):
    app = open_page("overview")

    assert not app.warning and not app.error


def test_failed_run_banner_names_the_failing_check(tmp_path, monkeypatch):
    build_small_snapshot(tmp_path)
    write_run_status("run-after", "blocked", [{"check_name": "gx_orders_total_non_negative"}],
                     directory=tmp_path / "serving")
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))

    app = AppTest.from_file(str(APP), default_timeout=30).run()

    assert not app.exception
    banner = app.error[0].value
    assert "run-after" in banner and "blocked" in banner and "gx_orders_total_non_negative" in banner
    assert app.metric  # the last good snapshot is still shown


def test_no_snapshot_yet_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))

    app = AppTest.from_file(str(APP), default_timeout=30).run()

    assert not app.exception
    assert "No serving snapshot has been published yet" in app.warning[0].value
    assert not app.metric


def test_new_publish_is_picked_up_without_restart(tmp_path, monkeypatch):
    build_small_snapshot(tmp_path, run_id="first", customers=40)
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))
    app = AppTest.from_file(str(APP), default_timeout=30).run()
    before = _revenue(app)

    build_small_snapshot(tmp_path, run_id="second", customers=12)
    app.run()

    assert _revenue(app) < before
    assert any("warehouse-second.duckdb" in caption.value for caption in app.sidebar.caption)


def test_keeps_answering_while_the_pipeline_writes(tmp_path, monkeypatch):
    """A pipeline process holding the warehouse's write lock does not block the dashboard."""
    build_small_snapshot(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(warehouse=str(tmp_path / "warehouse.duckdb"))],
        stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "holding the write lock"
        monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))
        app = AppTest.from_file(str(APP), default_timeout=30).run()
        for page in PAGES:
            app.switch_page(f"views/{page}.py").run()

            assert not app.exception, page
            assert app.title[0].value, page
        assert writer.poll() is None  # the writer really held the lock throughout
    finally:
        writer.kill()
        writer.wait(timeout=10)


WRITER = """
import duckdb, time
con = duckdb.connect({warehouse!r})
con.execute("create or replace table marts.pipeline_in_progress as select 1 as step")
print("holding the write lock", flush=True)
time.sleep(60)
"""


def test_half_picked_or_cleared_date_range_still_shows_data(open_page, warehouse, default_period):
    (first_day,) = warehouse.execute("select min(occurred_at)::date from marts.fct_touchpoints").fetchone()
    start, end = default_period
    app = open_page("overview")

    app.date_input(key="filter_dates").set_value((start,)).run()
    assert not app.exception and app.query_params["to"] == end.isoformat()
    assert any("Pick an end date" in caption.value for caption in app.sidebar.caption)

    app.date_input(key="filter_dates").set_value(()).run()
    assert not app.exception and app.query_params["from"] == first_day.isoformat()
    assert any("No dates picked" in caption.value for caption in app.sidebar.caption)


def test_data_health_shows_the_last_run_even_when_it_did_not_publish(tmp_path, monkeypatch):
    build_small_snapshot(tmp_path)
    write_run_status("run-later", "failed", [], directory=tmp_path / "serving")
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))

    app = AppTest.from_file(str(APP), default_timeout=30).run()
    app.switch_page("views/data_health.py").run()

    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Last pipeline run"] == "failed"
    assert shown["Run"] == "test-run"  # the snapshot still shown is the last good one


def test_data_health_lists_each_warning_with_its_rows(open_page):
    """The small snapshot carries two failed warnings; the unmapped location one has its row."""
    app = open_page("data_health")
    labels = [expander.label for expander in app.expander]

    assert len(labels) == 2
    assert any("dim_locations_every_location_mapped" in label for label in labels)
    rows = next(table.value for table in app.dataframe if "shopify_location_id" in table.value.columns)
    assert rows["location_name"].tolist() == ["Pop-up Market Stall"]


def test_a_failed_source_is_marked_stale_on_every_page_and_in_data_health(tmp_path, monkeypatch):
    from orchestration.serving import publish_snapshot

    build_small_snapshot(tmp_path, run_id="before")
    last_good = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    error = "SourceAuthError: bluesky: /xrpc/com.atproto.server.createSession: HTTP 401. Set SOURCES__BLUESKY__APP_PASSWORD"
    publish_snapshot(tmp_path / "warehouse.duckdb", "degraded", {"source_loads": [
        {"source": "bluesky", "status": "failed", "error": error, "last_successful_load_at": last_good,
         "run_id": "degraded"},
        {"source": "shopify", "status": "loaded", "error": None, "last_successful_load_at": last_good,
         "run_id": "degraded"},
    ]}, directory=tmp_path / "serving")
    write_run_status("degraded", "published", [], directory=tmp_path / "serving",
                     stale_sources=[{"source": "bluesky", "error": error, "last_successful_load_at": last_good}])
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path))

    app = AppTest.from_file(str(APP), default_timeout=30).run()
    for page in PAGES:
        app.switch_page(f"views/{page}.py").run()
        assert not app.exception, page
        banner = [warning.value for warning in app.warning if "Stale source" in warning.value]
        assert banner and "bluesky" in banner[0] and "SOURCES__BLUESKY__APP_PASSWORD" in banner[0], page
        assert "2026-12-01 09:30 UTC" in banner[0]
    # on Data health: the source is STALE with its error, in the sources table too
    assert any(error_box.value.startswith("STALE bluesky") and "HTTP 401" in error_box.value for error_box in app.error)
    sources = next(table.value for table in app.dataframe if "last_successful_load_at" in table.value.columns)
    statuses = dict(zip(sources["source"], sources["status"], strict=True))
    assert statuses["bluesky"] == "STALE (load failed)" and statuses["shopify"] == "loaded"
