"""Calendar months for the pages whose marts are monthly (customer segments, cohorts).

Why: the date filter picks days, the marts hold whole calendar months. A page shows the months the
range touches, compares them with as many months just before and with the same months a year earlier,
and draws trends over the year that ends with the range's last month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboards.filters import Filters

TREND_MONTHS = 12


def _add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Months:
    """Calendar months `first` to `last` (first days of the months, both included)."""

    first: dt.date
    last: dt.date

    @classmethod
    def touched_by(cls, filters: Filters) -> Months:
        return cls(filters.start.replace(day=1), filters.end.replace(day=1))

    @property
    def count(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def shifted(self, months: int) -> Months:
        return Months(_add_months(self.first, months), _add_months(self.last, months))

    def previous(self) -> Months:
        """As many months just before."""
        return self.shifted(-self.count)

    def year_earlier(self) -> Months:
        return self.shifted(-12)

    def trend(self) -> Months:
        """The year (TREND_MONTHS) that ends with the last month, for charts."""
        return Months(_add_months(self.last, 1 - TREND_MONTHS), self.last)

    def label(self) -> str:
        """ "October 2026" or "August to October 2026" or "December 2025 to January 2026"."""
        if self.first == self.last:
            return f"{self.last:%B %Y}"
        first = f"{self.first:%B}" if self.first.year == self.last.year else f"{self.first:%B %Y}"
        return f"{first} to {self.last:%B %Y}"
