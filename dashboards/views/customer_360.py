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
snapshot, settings = context.snapshot, context.settings

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
    st.caption(f"{len(matches)} customers match (names and phones are compared masked, so several can fit).")
    options = matches["customer_id"].tolist()
    descriptions = matches["name_shown"].fillna("(no name)") + " · " + matches["channels"]
    labels = dict(zip(options, descriptions, strict=True))
    customer_id = st.selectbox("Customer", options, key="customer_pick",
                               format_func=lambda value: f"{value} — {labels[value]}")
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

st.subheader("Timeline of every touchpoint")
timeline = queries.customer_timeline(snapshot, customer_id)
if not timeline.empty:
    figure = px.scatter(timeline, x="occurred_at", y="channel", color="touchpoint_type",
                        hover_data=["order_id", "value_amount", "location_id"])
    figure.update_traces(marker={"size": 11})
    figure.update_layout(margin={"t": 10}, height=280)
    st.plotly_chart(figure, key="customer_timeline")
components.table(timeline, "customer_timeline")
