"""The cross-page filters (date range, channels, location) and their validation.

Filter values reach SQL only as bound parameters, and only after validation against what the snapshot
actually holds (known channels, known location ids, dates inside the data), so text typed into a widget
or an address bar can never become SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CHANNELS = ("web", "store", "review", "social")
ALL_LOCATIONS = ""
MAX_FILTER_TEXT = 64


@dataclass(frozen=True)
class Filters:
    """The filters every page applies. `end` is inclusive; `location_id` empty means all locations."""

    start: dt.date
    end: dt.date
    channels: tuple[str, ...]
    location_id: str = ALL_LOCATIONS

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous_label(self) -> str:
        """What `previous_period` is, in words: "the previous 30 days"."""
        return f"the previous {self.period_days} days"

    def previous_period(self) -> Filters:
        """The same number of days immediately before, for "change against the previous period"."""
        length = dt.timedelta(days=self.period_days)
        start, end = self.start - length, self.start - dt.timedelta(days=1)
        return Filters(start, end, self.channels, self.location_id)

    def year_earlier(self) -> Filters:
        """The same calendar dates a year earlier (29 February falls back to the 28th)."""
        return Filters(_a_year_earlier(self.start), _a_year_earlier(self.end), self.channels, self.location_id)

    def params(self) -> tuple[dt.datetime, dt.datetime, list[str], str | None, str | None]:
        """Bound parameters for `queries.TOUCHPOINT_FILTER`: [start, end) timestamps, channels, location."""
        location = self.location_id or None
        return (
            dt.datetime.combine(self.start, dt.time()),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()),
            list(self.channels),
            location,
            location,
        )


def _a_year_earlier(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


class FilterError(ValueError):
    """A filter value that is not one the snapshot knows; the message is safe to show to the user."""


def parse_date(text: str, field: str) -> dt.date:
    """An ISO date from the address bar, or a FilterError naming the field."""
    if len(text) > MAX_FILTER_TEXT:
        raise FilterError(f"{field}: value too long ({len(text)} characters); use YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise FilterError(f"{field}: {text[:MAX_FILTER_TEXT]!r} is not a date; use YYYY-MM-DD") from error


def validate_channels(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Keep the channel order stable; reject anything that is not a known channel."""
    unknown = [value for value in values if value not in CHANNELS]
    if unknown:
        shown = ", ".join(repr(value[:MAX_FILTER_TEXT]) for value in unknown)
        raise FilterError(f"channel: {shown} is not one of {', '.join(CHANNELS)}")
    return tuple(channel for channel in CHANNELS if channel in values)


def validate_location(value: str, known_location_ids: list[str]) -> str:
    """A location id the snapshot holds, or empty for all locations."""
    if value in (ALL_LOCATIONS, *known_location_ids):
        return value
    raise FilterError(f"location: {value[:MAX_FILTER_TEXT]!r} is not a known location id")


def validate_range(start: dt.date, end: dt.date, first_day: dt.date,
                   last_day: dt.date) -> tuple[dt.date, dt.date]:
    """Dates inside the snapshot's data, start before end."""
    if start > end:
        raise FilterError(f"date range: start {start} is after end {end}")
    if end < first_day or start > last_day:
        raise FilterError(f"date range: {start}..{end} holds no data (data covers {first_day}..{last_day})")
    return max(start, first_day), min(end, last_day)
