"""Fixtures for the dashboard tests: a published snapshot and an AppTest of the app on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from dashboard_snapshot import build_small_snapshot
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
# a limit, not a pause: a page run on a loaded 2-core machine (other test suites running) can take long
APP_RUN_TIMEOUT_S = 120


@pytest.fixture(scope="session")
def snapshot_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with one small snapshot published by these tests (read-only for the tests)."""
    data_dir = tmp_path_factory.mktemp("dashboard_data")
    build_small_snapshot(data_dir)
    return data_dir


@pytest.fixture
def snapshot_path(snapshot_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current snapshot, with SEAMLINE_DATA_DIR pointing at it for the app under test."""
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(snapshot_data_dir))
    monkeypatch.delenv("SEAMLINE_DASHBOARD_ROLE", raising=False)
    monkeypatch.delenv("SEAMLINE_STALE_AFTER_HOURS", raising=False)
    pointer = snapshot_data_dir / "serving" / "current"
    return snapshot_data_dir / "serving" / pointer.read_text().strip()


@pytest.fixture
def restricted_pii(snapshot_data_dir: Path) -> Callable[[str], dict[str, str]]:
    """Raw PII of a customer from the warehouse's `restricted` schema (never in the public snapshot)."""

    def lookup(customer_id: str) -> dict[str, str]:
        with duckdb.connect(str(snapshot_data_dir / "warehouse.duckdb"), read_only=True) as con:
            cursor = con.execute("select customer_id, email, phone, first_name, last_name "
                                 "from restricted.dim_customers_pii where customer_id = ?", [customer_id])
            return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))

    return lookup


@pytest.fixture
def warehouse(snapshot_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the snapshot, for computing the expected values independently."""
    with duckdb.connect(str(snapshot_path), read_only=True) as con:
        yield con


@pytest.fixture
def default_period(warehouse: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date]:
    """The app's default date filter: the last 30 days of data."""
    (last_day,) = warehouse.execute("select max(occurred_at)::date from marts.fct_touchpoints").fetchone()
    return last_day - dt.timedelta(days=29), last_day


@pytest.fixture
def open_page(snapshot_path: Path) -> Callable[..., AppTest]:
    """Run the app on the snapshot, switched to views/<page>.py, and return the AppTest after the run."""

    def run(page: str = "overview", query_params: dict[str, str | list[str]] | None = None) -> AppTest:
        app = AppTest.from_file(str(APP), default_timeout=APP_RUN_TIMEOUT_S)
        for key, value in (query_params or {}).items():
            app.query_params[key] = value
        app.run()
        if page != "overview":
            app.switch_page(f"views/{page}.py")
            app.run()
        assert not app.exception, [exception.message for exception in app.exception]
        return app

    return run
