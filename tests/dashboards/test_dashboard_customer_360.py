"""Customer 360: finding a customer by email, phone, name or id without raw PII in the snapshot."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture
def person(warehouse, restricted_pii) -> dict[str, str]:
    """A customer seen on the web and in store, with a North American phone, and its raw PII."""
    (customer_id,) = warehouse.execute(
        "select customer_id from marts.dim_customers where channels like '%store%' and channels like '%web%' "
        "and email_hash is not null "
        "and phone_masked like '+1%' and length(phone_masked) = 12 and name_masked like '% %' "
        "order by orders_count desc, customer_id limit 1").fetchone()
    return restricted_pii(customer_id)


def _search(open_page, text: str):
    app = open_page("customer_360")
    app.text_input(key="customer_search").set_value(text).run()
    assert not app.exception, [exception.message for exception in app.exception]
    return app


def test_finds_the_customer_and_shows_the_golden_record(open_page, warehouse, person):
    lifetime_value, orders, segment = warehouse.execute(
        "select lifetime_value, orders_count, rfm_segment from marts.dim_customers where customer_id = ?",
        [person["customer_id"]]).fetchone()
    (touchpoints,) = warehouse.execute(
        "select count(*) from marts.fct_touchpoints where customer_id = ?", [person["customer_id"]]).fetchone()
    phone = person["phone"]
    app = open_page("customer_360")

    for typed in (person["email"], f"  {person['email'].upper()} ", f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}",
                  person["customer_id"]):
        app.text_input(key="customer_search").set_value(typed).run()

        assert not app.exception, (typed, [exception.message for exception in app.exception])
        assert person["customer_id"] in app.subheader[0].value, typed
        shown = {metric.label: metric.value for metric in app.metric}
        assert shown["Lifetime value"] == f"${lifetime_value:,.2f}"
        assert shown["Orders"] == f"{orders:,}"
        assert shown["Segment"] == segment
        timeline = next(table.value for table in app.dataframe if "touchpoint_type" in table.value.columns)
        assert len(timeline) == touchpoints
        assert set(timeline["channel"]) >= {"web", "store"}


def test_name_search_lists_every_customer_with_that_masked_name(open_page, warehouse, person):
    matching = [row[0] for row in warehouse.execute(
        "select customer_id from marts.dim_customers where name_masked = (select name_masked "
        "from marts.dim_customers where customer_id = ?) order by customer_id", [person["customer_id"]]).fetchall()]

    app = _search(open_page, f"{person['first_name']} {person['last_name']}")

    if len(matching) > 1:
        options = app.selectbox(key="customer_pick").options
        assert sorted(option.split(" — ")[0] for option in options) == matching
    else:
        assert person["customer_id"] in app.subheader[0].value


def test_masked_values_only_and_no_raw_pii_on_the_page(open_page, person):
    app = _search(open_page, person["email"])

    page_text = " ".join(str(element.value) for element in app.main
                         if hasattr(element, "value") and element.type != "text_input")
    table_text = app.table[0].value.to_string()
    for raw in (person["email"], person["phone"], person["last_name"]):
        assert raw not in page_text and raw not in table_text
    assert "*" in table_text  # masked phone


def test_viewer_never_opens_the_restricted_file(open_page, person, snapshot_path, monkeypatch):
    """The companion is swapped for a file DuckDB cannot open: the viewer's search still works, the
    service role's breaks (so the trap is live)."""
    st.cache_resource.clear()  # no connection to the real companion left over from another test
    st.cache_data.clear()
    restricted = snapshot_path.parent / "restricted"
    hidden = restricted.with_name("restricted-hidden")
    restricted.rename(hidden)
    try:
        restricted.mkdir()
        (restricted / snapshot_path.name.replace("warehouse-", "pii-")).write_bytes(b"not a database" * 512)
        monkeypatch.setenv("SEAMLINE_DASHBOARD_ROLE", "viewer")
        app = _search(open_page, person["email"])
        monkeypatch.setenv("SEAMLINE_DASHBOARD_ROLE", "service")
        trapped = open_page("customer_360")
        trapped.text_input(key="customer_search").set_value(person["email"]).run()
    finally:
        for trap in restricted.iterdir():
            trap.unlink()
        restricted.rmdir()
        hidden.rename(restricted)

    assert person["customer_id"] in app.subheader[0].value
    assert "Email (hashed)" in app.table[0].value.to_string()
    assert trapped.exception


def test_service_role_shows_raw_pii_from_the_restricted_file(open_page, person, monkeypatch):
    monkeypatch.setenv("SEAMLINE_DASHBOARD_ROLE", "service")
    full_name = f"{person['first_name']} {person['last_name']}"

    app = _search(open_page, person["email"])

    assert app.subheader[0].value == f"{full_name} · {person['customer_id']}"
    table_text = app.table[0].value.to_string()
    assert person["email"] in table_text
    assert person["phone"] in table_text


def test_service_role_search_matches_raw_values(open_page, person, monkeypatch):
    monkeypatch.setenv("SEAMLINE_PII_SALT", "not-the-marts-salt")  # the hashed-email match cannot hit
    monkeypatch.setenv("SEAMLINE_DASHBOARD_ROLE", "viewer")
    assert not _search(open_page, person["email"]).subheader
    monkeypatch.setenv("SEAMLINE_DASHBOARD_ROLE", "service")
    assert person["customer_id"] in _search(open_page, person["email"]).subheader[0].value

    for typed in (person["phone"], f"{person['first_name'].upper()} {person['last_name']}"):
        app = _search(open_page, typed)
        picks = [box for box in app.selectbox if box.key == "customer_pick"]
        shown = [header.value for header in app.subheader] + (list(picks[0].options) if picks else [])
        assert any(person["customer_id"] in text for text in shown), (typed, shown)
