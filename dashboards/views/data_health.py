"""Data health: when the data was published, how fresh each source is, checks and quarantine."""

import pandas as pd
import streamlit as st

from dashboards import components, queries
from dashboards.layout import page_context
from dashboards.snapshot import last_run_status

snapshot = page_context().snapshot
st.title("Data health")
publish = queries.last_publish(snapshot)
run = last_run_status()
published_at = pd.Timestamp(publish["published_at"]).tz_convert("UTC") if publish else None
checks = queries.quality_results(snapshot)
failing = int((checks["status"] != "pass").sum()) if not checks.empty else 0
columns = st.columns(4)
columns[0].metric("Last publish (UTC)", f"{published_at:%Y-%m-%d %H:%M}" if published_at else "unknown")
columns[1].metric("Run", publish["run_id"] if publish else "unknown")
columns[2].metric("Last pipeline run", run.status if run else "unknown",
                  help=f"Run {run.run_id}, finished {run.finished_at}" if run else "No run status file yet.")
columns[3].metric("Checks not passing", f"{failing} of {len(checks)}")

st.subheader("Source freshness")
components.table(queries.source_freshness(snapshot), "source_freshness")
st.subheader("Quality check results")
components.table(checks, "quality_results")
st.subheader("Quarantined records")
components.table(queries.quarantine_counts(snapshot), "quarantine_counts")
