"""Small building blocks the pages share: a KPI tile with its change, a table with a CSV download."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboards import formatting


def kpi(label: str, current: float | None, previous: float | None,
        formatter: Callable[[float | None], str], is_share: bool = False) -> None:
    """A metric tile: this period's value and its change against the previous period."""
    delta = formatting.change(current, previous, is_share=is_share)
    st.metric(label, formatter(current), delta=delta,
              help=None if delta else "No value in the previous period to compare with.")


def table(frame: pd.DataFrame, name: str, caption: str | None = None) -> None:
    """A table plus a CSV download of exactly what it shows; an explicit message when it is empty."""
    if caption:
        st.caption(caption)
    if frame.empty:
        st.info(f"No {name.replace('_', ' ')} for the selected filters.")
        return
    st.dataframe(frame, hide_index=True, width="stretch", column_config=_column_config(frame))
    st.download_button(
        "Download CSV", frame.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv",
        mime="text/csv", key=f"download_{name}", on_click="ignore",
    )


SHARE_SUFFIXES = ("_rate", "_share", "_pct")


def _column_config(frame: pd.DataFrame) -> dict[str, object]:
    """Readable headers and number formats; the data (and so the CSV) stays as the marts hold it."""
    config: dict[str, object] = {}
    for name in frame.columns:
        label = name.replace("_", " ")
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            is_date = values.dropna().dt.normalize().eq(values.dropna()).all()
            config[name] = (st.column_config.DateColumn(label) if is_date
                            else st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm"))
        elif pd.api.types.is_float_dtype(values):
            number_format = "percent" if name.endswith(SHARE_SUFFIXES) else "%.2f"
            config[name] = st.column_config.NumberColumn(label, format=number_format)
        else:
            config[name] = st.column_config.Column(label)
    return config
