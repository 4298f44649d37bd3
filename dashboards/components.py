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
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV", frame.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv",
        mime="text/csv", key=f"download_{name}", on_click="ignore",
    )
