"""What every page shares: the snapshot, the data-health banner and the cross-page filters.

`app.py` calls `prepare_page()` on every run before the selected page runs; the filter widgets live
there, in the entry point, so their values survive switching pages. Pages read the result through
`page_context()`. Filters also round-trip through the address bar (`?from=...&to=...&channel=...
&location=...`) so a view can be shared; values from the address are validated like any other input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.filters import (
    ALL_LOCATIONS,
    CHANNELS,
    FilterError,
    Filters,
    parse_date,
    validate_channels,
    validate_location,
    validate_range,
)
from dashboards.settings import DashboardSettings, load_settings
from dashboards.snapshot import Snapshot, current_snapshot, last_run_status

CONTEXT_KEY = "seamline_page_context"
DEFAULT_PERIOD_DAYS = 30


@dataclass(frozen=True)
class PageContext:
    """Everything a page needs to draw itself."""

    snapshot: Snapshot
    filters: Filters
    settings: DashboardSettings


def prepare_page() -> PageContext | None:
    """Find the snapshot, show the health banner, draw the filters; None when nothing is published."""
    settings = load_settings()
    snapshot = current_snapshot()
    if snapshot is None:
        st.session_state.pop(CONTEXT_KEY, None)
        st.warning("No serving snapshot has been published yet. Run the pipeline (`seamline demo`) first.")
        return None
    _health_banner(snapshot, settings)
    context = PageContext(snapshot, _filters_sidebar(snapshot), settings)
    st.session_state[CONTEXT_KEY] = context
    return context


def page_context() -> PageContext:
    """The context `app.py` prepared for this run; stops the page when there is no snapshot."""
    context = st.session_state.get(CONTEXT_KEY)
    if context is None:
        st.stop()
    return context


def _health_banner(snapshot: Snapshot, settings: DashboardSettings) -> None:
    """Warn on every page when the data is stale or the last pipeline run failed its checks."""
    run = last_run_status()
    if run is not None and run.status != "published":
        failing = ", ".join(str(check.get("check_name", check)) for check in run.failing_checks)
        since = f" since {run.failing_since[:16].replace('T', ' ')} UTC" if run.failing_since else ""
        st.error(f"The last pipeline run ({run.run_id}) {run.status}{since}"
                 f"{': ' + failing if failing else ''}. The figures below are from the last good snapshot.",
                 icon=":material/error:")
    for stale in queries.stale_sources(snapshot).itertuples():
        st.warning(f"Stale source: {stale.source} did not load ({stale.error}). Its figures are from its last good "
                   f"load, {_when(stale.last_successful_load_at)}; the other sources are current.",
                   icon=":material/sync_problem:")
    publish = queries.last_publish(snapshot)
    if publish is None:
        st.warning("This snapshot has no publish record: its age is unknown.", icon=":material/warning:")
        return
    published_at = pd.Timestamp(publish["published_at"])
    if published_at.tzinfo is None:
        published_at = published_at.tz_localize("UTC")
    age_hours = (pd.Timestamp.now(tz="UTC") - published_at).total_seconds() / 3600
    if age_hours > settings.stale_after_hours:
        st.warning(f"Stale data: the snapshot was published {age_hours:,.0f} hours ago "
                   f"({published_at:%Y-%m-%d %H:%M} UTC), more than {settings.stale_after_hours:g} h.",
                   icon=":material/schedule:")


def _when(timestamp: Any) -> str:
    """``2026-12-07 20:46 UTC``, or "never" when the source has no good load yet."""
    if timestamp is None or pd.isna(timestamp):
        return "never"
    moment = pd.Timestamp(timestamp)
    return f"{(moment.tz_localize('UTC') if moment.tzinfo is None else moment.tz_convert('UTC')):%Y-%m-%d %H:%M} UTC"


def _filters_sidebar(snapshot: Snapshot) -> Filters:
    first_day, last_day = queries.data_range(snapshot)
    location_frame = queries.locations(snapshot)
    location_names = dict(zip(location_frame["location_id"], location_frame["location_name"], strict=True))
    if "filter_dates" not in st.session_state:
        _seed_from_address(first_day, last_day, list(location_names))
    _keep_inside_snapshot(first_day, last_day, list(location_names))

    sidebar = st.sidebar
    sidebar.header("Filters")
    picked = sidebar.date_input("Date range", min_value=first_day, max_value=last_day, key="filter_dates")
    start, end = _date_pair(picked, first_day, last_day)
    channels = sidebar.multiselect("Channels", CHANNELS, key="filter_channels")
    if not channels:
        sidebar.caption("No channel picked: showing all channels.")
    location_id = sidebar.selectbox(
        "Location", [ALL_LOCATIONS, *location_names], key="filter_location",
        format_func=lambda value: location_names.get(value, "All locations"),
    )
    if location_id:
        sidebar.caption("A location keeps only what happened there (store visits, reviews, fulfilment); "
                        "web activity has no location.")
    filters = Filters(start, end, tuple(channels) or CHANNELS, location_id)
    st.query_params.from_dict({"from": start.isoformat(), "to": end.isoformat(),
                               "channel": list(filters.channels), "location": location_id})
    sidebar.caption(f"Snapshot `{snapshot.snapshot_id}` · data {first_day} to {last_day}")
    return filters


def _keep_inside_snapshot(first_day: dt.date, last_day: dt.date, location_ids: list[str]) -> None:
    """A newer snapshot may cover other dates or locations: pull kept filter values back inside it."""
    picked = st.session_state["filter_dates"]
    clamped = tuple(min(max(day, first_day), last_day) for day in picked)
    if clamped != tuple(picked):
        st.session_state["filter_dates"] = clamped
    if st.session_state.get("filter_location") not in (ALL_LOCATIONS, *location_ids):
        st.session_state["filter_location"] = ALL_LOCATIONS


def _date_pair(picked: object, first_day: dt.date, last_day: dt.date) -> tuple[dt.date, dt.date]:
    """The date widget returns one date while the user picks the range's end, none when cleared."""
    dates = list(picked) if isinstance(picked, (tuple, list)) else [picked] if picked else []
    if len(dates) == 2:
        return dates[0], dates[1]
    if dates:
        st.sidebar.caption("Pick an end date; showing up to the last day meanwhile.")
        return dates[0], last_day
    st.sidebar.caption("No dates picked: showing all the data.")
    return first_day, last_day


def _seed_from_address(first_day: dt.date, last_day: dt.date, location_ids: list[str]) -> None:
    """Initial filter values: from the address bar when valid, else the last 30 days, all channels."""
    default_start = max(first_day, last_day - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1))
    start, end, channels, location = default_start, last_day, list(CHANNELS), ALL_LOCATIONS
    params = st.query_params
    try:
        if "from" in params or "to" in params:
            start, end = validate_range(parse_date(params.get("from", default_start.isoformat()), "from"),
                                        parse_date(params.get("to", last_day.isoformat()), "to"),
                                        first_day, last_day)
        if "channel" in params:
            channels = list(validate_channels(params.get_all("channel")))
        if "location" in params:
            location = validate_location(params["location"], location_ids)
    except FilterError as error:
        st.warning(f"Ignored the filters in the address: {error}. Showing the defaults.",
                   icon=":material/warning:")
        start, end, channels, location = default_start, last_day, list(CHANNELS), ALL_LOCATIONS
    st.session_state["filter_dates"] = (start, end)
    st.session_state["filter_channels"] = channels
    st.session_state["filter_location"] = location
