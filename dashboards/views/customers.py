"""Customers: revenue and retention of omnichannel vs single-channel customers, and monthly cohorts by
acquisition channel with their retention curve (marts kpi_customer_segments_monthly, kpi_cohort_retention)."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.components import Tile
from dashboards.layout import page_context
from dashboards.months import Months

SEGMENT_LABELS = {"omnichannel": "omnichannel", "single_channel": "single-channel"}
SEGMENT_COLOURS = {"omnichannel": formatting.QUALITATIVE_COLOURS[0], "single-channel": formatting.QUALITATIVE_COLOURS[1]}
ACQUISITION_CHANNELS = ("web", "store")

context = page_context()
snapshot, filters = context.snapshot, context.filters
months = Months.touched_by(filters)
year_earlier = months.year_earlier()
year_earlier_covered = year_earlier.first >= context.first_day
current = queries.segment_figures(snapshot, months)
previous = queries.segment_figures(snapshot, months.previous())
year_ago = queries.segment_figures(snapshot, year_earlier) if year_earlier_covered else {}
trend = months.trend()
monthly = queries.segments_monthly(snapshot, trend).replace({"segment": SEGMENT_LABELS})
currency = monthly["currency"].dropna().iloc[-1] if monthly["currency"].notna().any() else "USD"
money = formatting.money_in(currency)

st.title("Customers: omnichannel and cohorts")
st.caption(f"Calendar months touched by the date range: {months.label()}, compared with the {months.count} "
           f"month(s) before ({months.previous().label()}) and with {year_earlier.label()}. The channel and "
           "location filters do not apply to the omnichannel comparison, which is about channels itself.")
with st.expander("What the figures mean", expanded=False):
    st.markdown(
        "- **Buyers of a month**: resolved customers who bought in that calendar month, in any channel.\n"
        "- **Omnichannel**: seen in both the web shop and a store (a visit, a purchase or a return in each) "
        "by the end of that month; **single-channel** otherwise. Later visits never reclassify an earlier "
        "month.\n"
        "- **Revenue per buyer**: the buyers' purchases of the month (net merchandise sales, gross of "
        "returns, in the shop's currency) divided by the buyers; over several months, per buyer and month.\n"
        "- **Next-month retention**: the share of a month's buyers who buy again in the next calendar month. "
        "A month whose next month the data does not cover whole has no retention yet.\n"
        "- **Cohort**: the customers whose first purchase in the data fell in a month; the **acquisition "
        "channel** is where that purchase happened (web or store; a web order picked up in a store is web). "
        "**Retention** of a cohort in a later month: the share of its customers who bought in that month.")


def segment_tile(label: str, key: str, formatter, is_share: bool = False, help: str | None = None,
                 matters: str | None = None) -> Tile:
    return Tile(label, current[key], previous[key], formatter, is_share, help, year_ago.get(key), matters)


RETENTION_HELP = (f"Retention into {months.label()}: of the buyers of {months.shifted(-1).label()}, the share "
                  "who bought again the month after.")


tiles = [
    segment_tile("Omnichannel share of buyers", "omnichannel_share", formatting.share, is_share=True,
                 matters="the more buyers use both the web shop and a store, the more of them come back"
                 if (current["omnichannel_retention_rate"] or 0) > (current["single_channel_retention_rate"] or 0)
                 else "it is how many buyers use both the web shop and a store"),
    segment_tile("Revenue per buyer, omnichannel", "omnichannel_revenue_per_buyer", money,
                 matters=formatting.value_ratio_clause(
                     current["omnichannel_revenue_per_buyer"], current["single_channel_revenue_per_buyer"],
                     "an omnichannel buyer spends", "a single-channel one")),
    segment_tile("Revenue per buyer, single-channel", "single_channel_revenue_per_buyer", money,
                 matters="single-channel buyers are most of the buyers"),
    segment_tile("Next-month retention, omnichannel", "omnichannel_retention_rate", formatting.share, is_share=True,
                 help=RETENTION_HELP, matters="a buyer who comes back costs nothing to win again"),
    segment_tile("Next-month retention, single-channel", "single_channel_retention_rate", formatting.share,
                 is_share=True, help=RETENTION_HELP, matters="a buyer who comes back costs nothing to win again"),
]
components.what_changed_most(tiles, months.previous().label())
components.kpi_row(tiles, months.previous().label(), year_earlier_covered)
st.caption(f"Next-month retention into {months.label()}: of the buyers of {months.shifted(-1).label()}, the share "
           "who bought again the month after" + (
               "; none yet, the data does not cover the whole month after."
               if current["omnichannel_retention_rate"] is None and current["single_channel_retention_rate"] is None
               else "."))

st.subheader(f"By month, {trend.label()}")
if monthly.empty:
    st.info("No buyers in these months.")
else:
    left, right = st.columns(2)
    for column, value, axis in ((left, "revenue_per_buyer", "revenue per buyer"),
                                (right, "retention_rate", "next-month retention")):
        with column:
            figure = px.line(monthly, x="month", y=value, color="segment", markers=True,
                             color_discrete_map=SEGMENT_COLOURS, labels={"month": "month", value: axis})
            if value == "retention_rate":
                figure.update_yaxes(tickformat=".0%")
            components.chart(figure, key=f"segments_{value}", height=300)
    components.table(monthly, "customer_segments_monthly", currency=currency)

st.subheader("Monthly cohorts by acquisition channel")
channels = tuple(channel for channel in filters.channels if channel in ACQUISITION_CHANNELS)
if not channels:
    st.info("Customers are acquired in the web shop or a store: pick one of those channels to see cohorts.")
    st.stop()
curve = queries.retention_curve(snapshot, trend, channels)
st.caption(f"Cohorts acquired {trend.label()}. The curve pools them: of all their customers, the share who "
           "bought again N months after the first purchase (month 0 is 100 %). The first month of data is "
           "left out of the curve: it also holds customers who bought before the data starts.")
if curve.empty:
    st.info("No cohort with a whole month of data in these months.")
else:
    figure = px.line(curve, x="months_since_acquisition", y="retention_rate", color="acquisition_channel",
                     markers=True, color_discrete_map=formatting.CHANNEL_COLOURS,
                     hover_data=["cohorts", "customers"],
                     labels={"months_since_acquisition": "months since first purchase",
                             "retention_rate": "buying again that month", "acquisition_channel": "acquired in"})
    figure.update_yaxes(tickformat=".0%")
    components.chart(figure, key="retention_curve", height=320)
    # the grid as a table, not a heatmap: two annotated heatmaps cost the browser more than the rest of the page
    st.markdown("**Each cohort**: the share of its customers buying N months after their first purchase")
    cohort_rows = queries.cohorts(snapshot, trend, channels)
    grid = cohort_rows.pivot(index=["acquisition_channel", "cohort_month", "cohort_customers"],
                             columns="months_since_acquisition", values="retention_rate")
    grid.columns = [f"month {number}" for number in grid.columns]
    st.dataframe(grid.reset_index(), hide_index=True, width="stretch", column_config={
        "acquisition_channel": "acquired in", "cohort_month": st.column_config.DateColumn("cohort", format="MMM YYYY"),
        "cohort_customers": "customers",
        **{name: st.column_config.NumberColumn(name, format="percent") for name in grid.columns}})
    components.table(cohort_rows, "cohort_retention")
