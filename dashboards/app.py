"""Seamline executive dashboard: the entry point `streamlit run dashboards/app.py` starts.

It reads only the published serving snapshot (read-only). The banner and filters are drawn here, on
every run, before the selected page. The pages live in `views/`, not `pages/`: a folder named
`pages` beside the entry point switches Streamlit into its legacy multipage mode for the first run of
a process, and `AppTest` resets into it on every run, which then skips this entry point on reruns.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.layout import prepare_page

# A file, not ":material/...:" or an emoji: Streamlit fetches those favicons from Google's and
# Twemoji's servers, and this product must not send a request off the machine.
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"

st.set_page_config(page_title="Seamline", page_icon=str(FAVICON), layout="wide")
navigation = st.navigation([
    st.Page("views/overview.py", title="Overview", icon=":material/monitoring:", default=True),
    st.Page("views/customers.py", title="Customers and cohorts", icon=":material/groups:"),
    st.Page("views/handoffs.py", title="Hand-offs", icon=":material/swap_horiz:"),
    st.Page("views/journeys.py", title="Journeys and drop-offs", icon=":material/route:"),
    st.Page("views/attribution.py", title="Attribution", icon=":material/target:"),
    st.Page("views/customer_360.py", title="Customer 360", icon=":material/person_search:"),
    st.Page("views/reviews_social.py", title="Reviews and social", icon=":material/reviews:"),
    st.Page("views/prices_fulfilment.py", title="Prices and fulfilment", icon=":material/sell:"),
    st.Page("views/data_health.py", title="Data health", icon=":material/health_and_safety:"),
])
if prepare_page() is not None:
    navigation.run()
