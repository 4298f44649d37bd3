"""Customer 360 for customer service: find a customer, see the golden record and one timeline.

PII: the serving snapshot holds only hashed emails and masked phones and names; an email is found by
hashing the typed address with the marts' salt, a phone or name by masking it the way the marts do.
Only the `service` role opens the snapshot's restricted companion file, to match raw values too and
to show the raw email, phone and name; any other role never touches it (docs/INTERFACES.md, section 6).
"""

import plotly.express as px
import streamlit as st

from dashboards import components, formatting, pii, queries
from dashboards.layout import page_context
from dashboards.snapshot import restricted_pii_file

context = page_context()
snapshot, settings, filters = context.snapshot, context.settings, context.filters
TIMELINE_COLUMNS = {"occurred_at": "When (UTC)", "channel": "Channel", "what": "What",
                    "location_name": "Where", "order_id": "Order", "sku": "Product (SKU)", "amount": "Amount",
                    "fulfilment": "Fulfilment", "campaign": "Campaign"}


def readable_timeline(timeline):
    """The timeline with readable headers and no empty "None" cells; amounts as money in their currency."""
    shown = timeline.assign(
        what=timeline["touchpoint_type"].str.replace("_", " "),
        amount=[formatting.money_in(currency)(value) if currency else ""
                for value, currency in zip(timeline["value_amount"], timeline["currency"], strict=True)],
        fulfilment=timeline["fulfilment_type"].fillna("").str.replace("_", " "),
    )[list(TIMELINE_COLUMNS)].rename(columns=TIMELINE_COLUMNS)
    text_columns = [column for column in shown.columns if column != "When (UTC)"]
    shown[text_columns] = shown[text_columns].fillna("")
    return shown


st.title("Customer 360")
typed = st.text_input("Find a customer by email, phone, name or customer id", key="customer_search",
                      max_chars=pii.MAX_SEARCH_LENGTH * 4)
if not typed.strip():
    st.caption("Type an email address, a phone number, a first and last name, or a customer id.")
    st.stop()
try:
    text = pii.clean_search(typed)
except ValueError as error:
    st.warning(str(error))
    st.stop()

kind = pii.search_kind(text)
restricted = restricted_pii_file(snapshot) if settings.shows_raw_pii else None
if settings.shows_raw_pii and restricted is None:
    st.caption("Role `service`: no restricted PII file was published with this snapshot, so values stay masked.")
ids_by_raw_pii = queries.customer_ids_by_raw_pii(restricted, text, kind) if restricted else []
matches = queries.find_customers(snapshot, text, kind, settings.pii_salt, ids_by_raw_pii)
if matches.empty:
    st.info(f"No customer matches this {kind} (or customer id).")
    st.stop()
if restricted:
    raw = queries.customer_raw_pii(restricted, matches["customer_id"].tolist())
    raw_names = (raw["first_name"].fillna("") + " " + raw["last_name"].fillna("")).str.strip()
    matches["name_shown"] = matches["customer_id"].map(raw_names).fillna(matches["name_masked"])
    matches["phone_shown"] = matches["customer_id"].map(raw["phone"]).fillna(matches["phone_masked"]).fillna("")
    matches["email_shown"] = matches["customer_id"].map(raw["email"]).fillna("")
else:
    matches["name_shown"] = matches["name_masked"]
    matches["phone_shown"] = matches["phone_masked"]
    matches["email_shown"] = None
if len(matches) > 1:
    st.caption(f"{len(matches)} customers match (names and phones are compared masked, so several can fit); "
               "first seen, channels, orders and the end of the customer id tell them apart.")
    labels = {row.customer_id: components.customer_choice_label(row) for row in matches.itertuples()}
    customer_id = st.selectbox("Customer", list(labels), key="customer_pick", format_func=labels.get)
else:
    customer_id = matches["customer_id"].iloc[0]
customer = matches.set_index("customer_id").loc[customer_id]

st.subheader(f"{customer['name_shown'] or 'Unnamed customer'} · {customer_id}")
columns = st.columns(4)
columns[0].metric("Lifetime value", formatting.money(customer["lifetime_value"]))
columns[1].metric("Revenue", formatting.money(customer["revenue"]))
columns[2].metric("Orders", formatting.count(customer["orders_count"]))
columns[3].metric("Segment", str(customer["rfm_segment"] or "–"))
record = {
    "Channels": customer["channels"], "Omnichannel": "yes" if customer["is_omnichannel"] else "no",
    "Journey stage": customer["journey_stage"], "Phone": customer["phone_shown"] or "–",
    **({"Email": customer["email_shown"] or "–"} if restricted else
       {"Email (hashed)": (customer["email_hash"] or "–")[:12] + "…"}),
    "First seen": formatting.moment(customer["first_seen_at"]),
    "Last seen": formatting.moment(customer["last_seen_at"]),
    "Reviews": formatting.count(customer["review_count"]),
    "Average rating": formatting.rating(customer["avg_rating"]),
}
st.table({"field": list(record), "value": [str(value) for value in record.values()]})

st.subheader("Timeline")
timeline = queries.customer_timeline(snapshot, customer_id, filters)
all_touchpoints = queries.customer_touchpoint_count(snapshot, customer_id)
st.caption(f"{len(timeline)} of the customer's {all_touchpoints} touchpoints fall in the selected dates "
           f"({filters.start} to {filters.end}) and channels; widen the filters to see the rest.")
shown = readable_timeline(timeline)
if not timeline.empty:
    figure = px.scatter(shown, x="When (UTC)", y="Channel", color="What",
                        hover_data=["Order", "Amount", "Where"],
                        color_discrete_sequence=formatting.QUALITATIVE_COLOURS)
    figure.update_traces(marker={"size": 11})
    components.chart(figure, key="customer_timeline", height=300)
components.table(shown, "customer_timeline")
