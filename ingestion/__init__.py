"""Seamline's connectors: one dlt source per vendor system (see ingestion/common/README.md)."""

from ingestion.common.dlt_runtime import skip_streamlit_probe_outside_streamlit

skip_streamlit_probe_outside_streamlit()  # before anything reads a dlt setting (ingestion/common/dlt_runtime.py)
