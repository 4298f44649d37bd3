"""How numbers look on the dashboard: one formatter per kind of number, shared by every page."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

# One colour per channel on every chart, so "web" looks the same on each page.
CHANNEL_COLOURS = {"web": "#1f77b4", "store": "#ff7f0e", "review": "#2ca02c", "social": "#9467bd"}
# For categories without a fixed colour (stores, patterns): Okabe-Ito, distinct hues that stay apart
# for colour-blind readers too (Streamlit's default palette puts two near-identical blues side by side).
QUALITATIVE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]


def colour_map(names: list[str]) -> dict[str, str]:
    """A distinct colour per name, in the order given (pass every name, so a store keeps its colour)."""
    return {name: QUALITATIVE_COLOURS[number % len(QUALITATIVE_COLOURS)] for number, name in enumerate(names)}


def money(value: float | None) -> str:
    return "–" if _missing(value) else f"${value:,.2f}"


def money_in(currency: str) -> Callable[[float | None], str]:
    """A money formatter for `currency`: "$" for USD, the ISO code otherwise (never mixed in one figure)."""
    if currency == "USD":
        return money
    return lambda value: "–" if _missing(value) else f"{currency} {value:,.2f}"


def table_money_format(currency: str) -> str:
    """The `st.column_config.NumberColumn` format for money in `currency` ("$1,234.57" for USD)."""
    return {"USD": "dollar", "EUR": "euro", "JPY": "yen"}.get(currency, "accounting")


def count(value: float | None) -> str:
    return "–" if _missing(value) else f"{value:,.0f}"


def share(value: float | None) -> str:
    return "–" if _missing(value) else f"{value:.1%}"


def rating(value: float | None) -> str:
    return "–" if _missing(value) else f"{value:.2f} ★"


def moment(value: object) -> str:
    """A timestamp to the minute (UTC, as the marts hold it)."""
    return "–" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def change(current: float | None, previous: float | None, is_share: bool = False) -> str | None:
    """Change against the previous period: percentage points for shares, relative % otherwise.

    None (no delta shown) when the previous period has no value to compare with.
    """
    if _missing(current) or _missing(previous):
        return None
    if is_share:
        return f"{(current - previous) * 100:+.1f} pp"
    if previous == 0:
        return None
    return f"{(current - previous) / abs(previous):+.1%}"


def change_in_words(label: str, current: float | None, previous: float | None,
                    formatter: Callable[[float | None], str], is_share: bool = False) -> str:
    """ "Revenue rose 12.0% ($1,000.00 to $1,120.00)": one change as a plain phrase."""
    delta = change(current, previous, is_share=is_share)
    if delta is None:
        return f"{label} has no previous value to compare with ({formatter(current)} now)"
    verb = "rose" if delta.startswith("+") else "fell" if delta.startswith("-") else "held"
    return f"{label} {verb} {delta.lstrip('+-')} ({formatter(previous)} to {formatter(current)})"


def value_ratio_clause(value: float | None, other: float | None, subject: str, other_subject: str) -> str | None:
    """ "an omnichannel customer's lifetime value is 2.1 times a single-channel one's", from the data;
    None when either value is missing or not positive."""
    if _missing(value) or _missing(other) or not value or not other or value <= 0 or other <= 0:
        return None
    return f"{subject} is {value / other:.1f} times {other_subject}"


def relative_change(current: float | None, previous: float | None, is_share: bool = False) -> float:
    """Size of a change for ranking changes: relative, or in points for shares; 0 when not comparable."""
    if _missing(current) or _missing(previous):
        return 0.0
    if is_share:
        return abs(current - previous)
    return abs(current - previous) / abs(previous) if previous else 0.0


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
