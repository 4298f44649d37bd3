"""Overview: the headline KPIs with their change against the previous period and a year earlier,
revenue by channel."""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, queries, weeks
from dashboards.components import Tile
from dashboards.layout import page_context

context = page_context()
snapshot, filters = context.snapshot, context.filters
current = queries.headline_kpis(snapshot, filters)
previous = queries.headline_kpis(snapshot, filters.previous_period())
year_earlier = context.year_earlier()
year_ago = queries.headline_kpis(snapshot, year_earlier) if year_earlier else {}

currency = current["currency"]
money = formatting.money_in(currency)


def tile(label: str, key: str, formatter, is_share: bool = False, help: str | None = None,
         matters: str | None = None) -> Tile:
    return Tile(label, current[key], previous[key], formatter, is_share, help, year_ago.get(key), matters)


st.title("Overview")
st.caption(f"{filters.start} to {filters.end} ({filters.period_days} days), compared with the "
           f"{filters.period_days} days before and with the same dates a year earlier. Revenue is net "
           f"merchandise sales in {currency}: goods sold "
           "after discounts, before tax, shipping, tips and service charges. Net revenue also takes off "
           "the merchandise returned in the period (by the day of the return).")
money_tiles = [
    tile("Revenue (gross)", "revenue", money, help="Net merchandise sales of the period, before returns.",
         matters="it is the top line every other figure is measured against"),
    tile("Net revenue (after returns)", "net_revenue", money,
         help="Revenue minus the merchandise returned in the period (kpi_channel_daily.net_revenue).",
         matters="it is what the business keeps once returns are taken back"),
    tile("Orders", "orders", formatting.count, matters="orders are how often customers choose to buy"),
    tile("Average order value", "aov", money, matters="a larger basket raises revenue without more customers"),
]
customer_tiles = [
    tile("Active customers", "active_customers", formatting.count,
         help="Resolved customers with any touchpoint in the period.",
         matters="active customers are the pool every future sale comes from"),
    tile("Omnichannel share of active customers", "omnichannel_share", formatting.share, is_share=True,
         help="Of the period's active customers, the share ever seen both in the web shop and in a store "
              "(dim_customers.is_omnichannel).",
         matters=formatting.value_ratio_clause(current["ltv_omnichannel"], current["ltv_single_channel"],
                                               "an omnichannel customer's lifetime value", "a single-channel one's")),
    tile("Lifetime value, omnichannel", "ltv_omnichannel", money,
         matters="it is what an omnichannel customer has brought in so far"),
    tile("Lifetime value, single-channel", "ltv_single_channel", money,
         matters="it is what a single-channel customer has brought in so far"),
]
components.what_changed_most([*money_tiles, *customer_tiles], filters.previous_label)
components.kpi_row(money_tiles, filters.previous_label, year_earlier is not None)
components.kpi_row(customer_tiles, filters.previous_label, year_earlier is not None)
if current["returned_amount"]:
    st.caption(f"Returns in the period: {money(current['returned_amount'])} "
               f"({formatting.share(current['returned_amount'] / current['revenue'] if current['revenue'] else None)}"
               " of gross revenue).")
other_currencies = queries.other_currency_revenue(snapshot, filters)
if not other_currencies.empty:
    st.caption("Not included above (money is never added across currencies): " + "; ".join(
        f"{formatting.money_in(row.currency)(row.revenue)} from {formatting.count(row.orders)} orders"
        for row in other_currencies.itertuples()) + ". Orders counts every currency.")

st.subheader("Revenue by channel, weekly")
weekly = queries.revenue_by_channel_weekly(snapshot, filters)
left_out = weeks.days_left_out(filters)
st.caption(f"Whole 7-day weeks ending {filters.end:%A} {filters.end}, labelled by their first day."
           + (f" The first {left_out} day(s) of the range do not fill a week and are not drawn here "
              "(they are in the figures above)." if left_out else ""))
if weekly.empty:
    st.info("The range is shorter than a week: pick 7 days or more to see weekly revenue.")
else:
    figure = px.bar(weekly, x="week", y="revenue", color="channel",
                    color_discrete_map=formatting.CHANNEL_COLOURS,
                    labels={"revenue": f"Revenue ({currency}, net merchandise)", "week": "week starting"})
    components.chart(figure, key="revenue_weekly")
    components.table(weekly, "revenue_by_channel_weekly", currency=currency)
