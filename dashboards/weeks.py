"""Whole weeks for weekly charts: 7-day weeks that end on the last day of the date filter.

Why: calendar weeks cut by the filter's edges draw part-weeks next to whole ones (a 7-day filter from
a Thursday showed a 3-day bar beside a 4-day one, a jump that was not real). Weeks here are counted
back from the range's last day, so every bar holds 7 days; the days before the oldest whole week are
left out of weekly charts (the page says how many) and stay in every total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from dashboards.filters import Filters

WEEK = dt.timedelta(days=7)


def week_starts(filters: Filters) -> list[dt.date]:
    """First days of the whole 7-day weeks inside the filter, oldest first (none under 7 days)."""
    whole_weeks = filters.period_days // 7
    newest_start = filters.end - dt.timedelta(days=6)
    return [newest_start - WEEK * back for back in reversed(range(whole_weeks))]


def days_left_out(filters: Filters) -> int:
    """Days at the start of the range that do not fill a whole week (not drawn in weekly charts)."""
    return filters.period_days % 7


def whole_weeks(daily: pd.DataFrame, filters: Filters, by: Sequence[str], values: Sequence[str],
                every: dict[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Daily rows (`day` column) summed into the filter's whole weeks, one row per week and `by` key.

    Weeks and keys without rows are filled with zeros: a week with nothing is drawn at zero, not
    skipped. `every` lists all values a key can take (e.g. every named pattern); other keys use the
    values present in `daily`.
    """
    starts = week_starts(filters)
    columns = ["week", *by, *values]
    if not starts:
        return pd.DataFrame(columns=columns)
    days = pd.to_datetime(daily["day"]).dt.date
    kept = daily.loc[days >= starts[0]].copy()
    kept["week"] = [filters.end - dt.timedelta(days=6) - WEEK * ((filters.end - day).days // 7)
                    for day in days[days >= starts[0]]]
    summed = kept.groupby(["week", *by])[list(values)].sum()
    keys = [sorted(set((every or {}).get(key, [])) | set(daily[key].dropna())) for key in by]
    grid = pd.MultiIndex.from_product([starts, *keys], names=["week", *by])
    filled = summed.reindex(grid, fill_value=0).reset_index()
    filled["week"] = pd.to_datetime(filled["week"])
    return filled[columns]
