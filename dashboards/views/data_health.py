"""Data health: when the data was published, how fresh each source is, checks and quarantine.

A published snapshot passed every blocking check by construction (write-audit-publish); what can
still need attention are warnings: checks that legitimate data may trip (a customer with no purchase,
a store nobody reviewed, a location no system agrees on). Each failed warning is listed with why it
only warns and, for checks on the public marts, the rows that tripped it. The Identity section shows
how customer records were resolved: cluster sizes, supersized clusters, links per rule, the
identifier values excluded from linking and how many records changed customer id on the last run.
"""

import pandas as pd
import streamlit as st

from dashboards import components, queries
from dashboards.layout import page_context
from dashboards.snapshot import last_run_status


def identity_section(snapshot) -> None:
    """Cluster QA from marts.rpt_identity_quality and marts.identity_excluded_values."""
    st.subheader("Identity")
    quality = queries.identity_quality(snapshot)
    if quality.empty:
        st.info("No identity QA in this snapshot (published before it existed).")
        return
    totals = quality.groupby("metric_group")["value"].sum()
    columns = st.columns(4)
    columns[0].metric("Customers", f"{int(totals.get('cluster_size', 0)):,}")
    columns[1].metric("Supersized clusters", int(quality.loc[
        quality["metric_group"].eq("supersized_clusters") & quality["metric"].str.startswith("more than"),
        "value"].sum()), help="Customers with more emails and phones than one person types: look at them.")
    columns[2].metric("Excluded values", int(totals.get("excluded_values", 0)),
                      help="Emails/phones typed by too many different people; they link nobody.")
    columns[3].metric("Records re-assigned last run", int(totals.get("id_changes_latest_run", 0)),
                      help="Records whose customer id changed on the latest run (merges, splits).")
    left, right = st.columns(2)
    with left:
        components.table(quality[quality["metric_group"] == "cluster_size"][["metric", "value"]],
                         "identity_cluster_sizes", "Customers by number of records")
    with right:
        components.table(quality[quality["metric_group"] == "links_by_rule"][["metric", "value"]],
                         "identity_links_by_rule", "Links by rule (marts.identity_links)")
    components.table(queries.identity_excluded_values(snapshot), "identity_excluded_values",
                     "Values excluded from linking (masked); lone records stay customers of their own")


snapshot = page_context().snapshot
st.title("Data health")
publish = queries.last_publish(snapshot)
run = last_run_status()
published_at = pd.Timestamp(publish["published_at"]).tz_convert("UTC") if publish else None
checks = queries.quality_results(snapshot)
failed = checks[checks["status"] != "passed"] if not checks.empty else checks
warnings = failed[failed["severity"].str.upper() == "WARN"] if not failed.empty else failed
columns = st.columns(4)
columns[0].metric("Last publish (UTC)", f"{published_at:%Y-%m-%d %H:%M}" if published_at else "unknown")
columns[1].metric("Run", publish["run_id"] if publish else "unknown")
columns[2].metric("Last pipeline run", run.status if run else "unknown",
                  help=f"Run {run.run_id}, finished {run.finished_at}" if run else "No run status file yet.")
columns[3].metric("Checks passed", f"{len(checks) - len(failed)} of {len(checks)}",
                  help="Blocking checks must all pass for a snapshot to be published; warnings are listed below.")

st.subheader("Warnings")
if warnings.empty:
    st.success("No warnings: every check passed on the published data.")
else:
    st.caption(f"{len(warnings)} check(s) warn. They did not stop publishing: legitimate data can trip them, "
               "so they ask a person to look rather than hold back the numbers.")
    rows_by_check = queries.check_failing_rows(snapshot)
    for warning in warnings.itertuples():
        with st.expander(f"{warning.asset}: {warning.check_name} ({warning.observed_value} rows)"):
            st.write(warning.description or "")
            if warning.check_name in rows_by_check:
                components.table(rows_by_check[warning.check_name], f"rows_{warning.check_name}")

identity_section(snapshot)

st.subheader("Sources")
loads = queries.source_loads(snapshot)
freshness = queries.source_freshness(snapshot)
for stale in loads[loads["status"] == "failed"].itertuples():
    st.error(f"STALE {stale.source}: its last load failed: {stale.error}. Published from its last good load "
             f"({stale.last_successful_load_at if pd.notna(stale.last_successful_load_at) else 'never'}).",
             icon=":material/sync_problem:")
if not loads.empty:
    freshness = freshness.merge(
        loads[["source", "status", "error", "last_successful_load_at"]].assign(
            status=lambda frame: frame["status"].map({"failed": "STALE (load failed)"}).fillna(frame["status"])),
        on="source", how="outer").sort_values("source", ignore_index=True)
components.table(freshness, "source_freshness")
st.subheader("Quality check results")
components.table(checks, "quality_results")
st.subheader("Quarantined records")
components.table(queries.quarantine_counts(snapshot), "quarantine_counts")
