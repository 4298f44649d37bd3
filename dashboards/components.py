"""Small building blocks the pages share: KPI tiles with their change, the sentence naming the largest
change, a table with a CSV download, and chart layout every page uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards import formatting


@dataclass(frozen=True)
class Tile:
    """One headline figure: its label, this period's, the previous period's and (when the data covers it)
    the same period's a year earlier value, how to show it, and why a reader should care when it moves."""

    label: str
    current: float | None
    previous: float | None
    formatter: Callable[[float | None], str]
    is_share: bool = False
    help: str | None = None
    year_ago: float | None = None
    matters: str | None = None
    basis: float | None = None  # events behind the figure (e.g. the reviews behind a rating), if few

    def events(self) -> float | None:
        """How many events the figure stands on: `basis`, or for a count the larger of the two periods."""
        if self.basis is None and self.formatter is formatting.count:
            return max(self.current or 0, self.previous or 0)
        return self.basis


def kpi_row(tiles: Sequence[Tile], against: str, year_earlier_covered: bool) -> None:
    """Tiles side by side, each with its change against the previous period and, under it, against the
    same period a year earlier ("no data a year earlier" when the data does not reach back that far)."""
    for column, tile in zip(st.columns(len(tiles)), tiles, strict=True):
        with column:
            delta = formatting.change(tile.current, tile.previous, is_share=tile.is_share)
            st.metric(tile.label, tile.formatter(tile.current), delta=delta,
                      delta_description=f"vs {against}" if delta else None,
                      help=tile.help or (None if delta else "No value in the previous period to compare with."))
            st.caption(year_earlier_text(tile, year_earlier_covered))


def year_earlier_text(tile: Tile, covered: bool) -> str:
    """ "A year earlier: +4.0% (from $1,000.00)", or why there is no such change."""
    if not covered:
        return "No data a year earlier"
    change = formatting.change(tile.current, tile.year_ago, is_share=tile.is_share)
    if change is None:
        return f"A year earlier: {tile.formatter(tile.year_ago)}, no change to show"
    return f"A year earlier: {change} (from {tile.formatter(tile.year_ago)})"


MIN_EVENTS_FOR_A_CHANGE = 20  # below this a figure jumps by chance (1 of 2 is 50 %, 6 to 0 is -100 %)


def what_changed_most(tiles: Sequence[Tile], against: str) -> None:
    """One plain sentence: the headline figure that changed most against the previous period, and why it
    matters. Figures standing on fewer than MIN_EVENTS_FOR_A_CHANGE events are left out."""
    comparable = [tile for tile in tiles if (tile.events() or MIN_EVENTS_FOR_A_CHANGE) >= MIN_EVENTS_FOR_A_CHANGE]
    biggest = max(comparable, key=lambda t: formatting.relative_change(t.current, t.previous, t.is_share), default=None)
    if biggest is None or formatting.relative_change(biggest.current, biggest.previous, biggest.is_share) == 0:
        st.markdown(f"**No headline figure with {MIN_EVENTS_FOR_A_CHANGE} events or more changed against {against}.**")
        return
    phrase = formatting.change_in_words(biggest.label, biggest.current, biggest.previous, biggest.formatter,
                                        biggest.is_share)
    st.markdown(changed_most_sentence(phrase, against, biggest.matters))


def changed_most_sentence(phrase: str, against: str, matters: str | None) -> str:
    """The page's one sentence, in bold: the largest change and, when known, why it matters."""
    return f"**What changed most: {phrase} against {against}" + (
        f"; {matters}.**" if matters else ".**")


# Charts: legends below the plot, horizontal, so a legend never takes half the chart's width.
LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.28, "xanchor": "left", "x": 0, "title_text": ""}


def chart(figure, key: str, height: int = 340, top_margin: int = 10) -> None:
    """Draw a Plotly figure the dashboard's way: full width, legend below, small top margin (more for
    facet titles)."""
    figure.update_layout(legend=LEGEND_BELOW, margin={"t": top_margin}, height=height)
    st.plotly_chart(figure, key=key)


def table(frame: pd.DataFrame, name: str, caption: str | None = None, currency: str = "USD",
          money_columns: Sequence[str] = ()) -> None:
    """A table plus a CSV download of exactly what it shows; an explicit message when it is empty.

    Money columns (by name, see `MONEY_NAMES`, or listed in `money_columns`) show as money in
    `currency`, e.g. "$5,675.35"; the data and so the CSV keep the marts' values.
    """
    if caption:
        st.caption(caption)
    if frame.empty:
        st.info(f"No {name.replace('_', ' ')} for the selected filters.")
        return
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config=_column_config(frame, currency, set(money_columns)))
    st.download_button(
        "Download CSV", frame.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv",
        mime="text/csv", key=f"download_{name}", on_click="ignore",
    )


SHARE_SUFFIXES = ("_rate", "_share", "_pct")
MONEY_NAMES = ("revenue", "amount", "price", "price_gap", "lifetime_value", "value", "difference")


def is_money(name: str) -> bool:
    """Money by its column name: `revenue`, `*_amount`, `*_price`, `price_gap`, `*_value`, ..."""
    return not name.endswith(SHARE_SUFFIXES) and any(
        name == word or name.endswith(f"_{word}") for word in MONEY_NAMES)


def _column_config(frame: pd.DataFrame, currency: str, money_columns: set[str]) -> dict[str, object]:
    """Readable headers and number formats; the data (and so the CSV) stays as the marts hold it."""
    config: dict[str, object] = {}
    for name in frame.columns:
        label = str(name).replace("_", " ")
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            is_date = values.dropna().dt.normalize().eq(values.dropna()).all()
            config[name] = (st.column_config.DateColumn(label) if is_date
                            else st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm"))
        elif pd.api.types.is_numeric_dtype(values) and (name in money_columns or is_money(str(name))):
            money_format = formatting.table_money_format(currency)
            config[name] = st.column_config.NumberColumn(
                label if currency in ("USD", "EUR", "JPY") else f"{label} ({currency})", format=money_format)
        elif pd.api.types.is_float_dtype(values):
            number_format = "percent" if name.endswith(SHARE_SUFFIXES) else "%.2f"
            config[name] = st.column_config.NumberColumn(label, format=number_format)
        else:
            config[name] = st.column_config.Column(label)
    return config


CUSTOMER_ID_SUFFIX_LENGTH = 8


def customer_choice_label(row) -> str:
    """A Customer 360 search match as non-PII context that tells namesakes apart: masked name, first seen, channels, orders."""
    name = row.name_shown if isinstance(row.name_shown, str) and row.name_shown else "(no name)"  # NaN is truthy
    return (f"{name} · first seen {formatting.moment(row.first_seen_at)[:10]} · {row.channels.replace(',', ', ')}"
            f" · {formatting.count(row.orders_count)} orders · id …{row.customer_id[-CUSTOMER_ID_SUFFIX_LENGTH:]}")
