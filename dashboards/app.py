"""Seamline executive dashboard: the entry point `streamlit run dashboards/app.py` starts.

It reads only the published serving snapshot (read-only). The banner and filters are drawn here, on
every run, before the selected page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.layout import prepare_page

PAGES_DIR = Path(__file__).parent / "pages"

st.set_page_config(page_title="Seamline", page_icon=":material/hub:", layout="wide")
navigation = st.navigation([
    st.Page(PAGES_DIR / "overview.py", title="Overview", icon=":material/monitoring:", default=True),
    st.Page(PAGES_DIR / "handoffs.py", title="Hand-offs", icon=":material/swap_horiz:"),
    st.Page(PAGES_DIR / "journeys.py", title="Journeys and drop-offs", icon=":material/route:"),
    st.Page(PAGES_DIR / "attribution.py", title="Attribution", icon=":material/target:"),
    st.Page(PAGES_DIR / "customer_360.py", title="Customer 360", icon=":material/person_search:"),
    st.Page(PAGES_DIR / "reviews_social.py", title="Reviews and social", icon=":material/reviews:"),
    st.Page(PAGES_DIR / "prices_fulfilment.py", title="Prices and fulfilment", icon=":material/sell:"),
    st.Page(PAGES_DIR / "data_health.py", title="Data health", icon=":material/health_and_safety:"),
])
if prepare_page() is not None:
    navigation.run()
