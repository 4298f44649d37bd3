"""Overview: the headline KPIs with their change against the previous period, revenue by channel."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
current = queries.headline_kpis(snapshot, filters)
previous = queries.headline_kpis(snapshot, filters.previous_period())

currency = current["currency"]
money = formatting.money_in(currency)

st.title("Overview")
st.caption(f"{filters.start} to {filters.end} ({filters.period_days} days), compared with the "
           f"{filters.period_days} days before. Revenue is net merchandise sales in {currency}: goods sold "
           "after discounts, before tax, shipping, tips and service charges; returns not netted.")
first_row = st.columns(3)
second_row = st.columns(4)
tiles = [
    (first_row[0], "Revenue", "revenue", money, False),
    (first_row[1], "Orders", "orders", formatting.count, False),
    (first_row[2], "Average order value", "aov", money, False),
    (second_row[0], "Active customers", "active_customers", formatting.count, False),
    (second_row[1], "Omnichannel share", "omnichannel_share", formatting.share, True),
    (second_row[2], "Lifetime value, omnichannel", "ltv_omnichannel", money, False),
    (second_row[3], "Lifetime value, single-channel", "ltv_single_channel", money, False),
]
for column, label, key, formatter, is_share in tiles:
    with column:
        components.kpi(label, current[key], previous[key], formatter, is_share=is_share)
other_currencies = queries.other_currency_revenue(snapshot, filters)
if not other_currencies.empty:
    st.caption("Not included above (money is never added across currencies): " + "; ".join(
        f"{formatting.money_in(row.currency)(row.revenue)} from {formatting.count(row.orders)} orders"
        for row in other_currencies.itertuples()) + ". Orders counts every currency.")

st.subheader("Revenue by channel, weekly")
weekly = queries.revenue_by_channel_weekly(snapshot, filters)
if not weekly.empty:
    figure = px.bar(weekly, x="week", y="revenue", color="channel",
                    color_discrete_map=formatting.CHANNEL_COLOURS, labels={"revenue": f"Revenue ({currency}, net merchandise)"})
    figure.update_layout(legend_title_text="Channel", margin={"t": 10})
    st.plotly_chart(figure)
components.table(weekly, "revenue_by_channel_weekly")
