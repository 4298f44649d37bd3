"""Customer 360: finding a customer by email, phone, name or id without raw PII in the snapshot."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture
def person(warehouse, restricted_pii) -> dict[str, str]:
    """A customer seen on the web and in store, with a North American phone, and its raw PII; an email
    no other customer shares (household members sharing one are separate customers: a search for it
    rightly offers each)."""
    (customer_id,) = warehouse.execute(
        "select customer_id from marts.dim_customers where channels like '%store%' and channels like '%web%' "
        "and email_hash is not null and email_hash not in (select email_hash from marts.dim_customers "
        "where email_hash is not null group by email_hash having count(*) > 1) "
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
    first_day, last_day = warehouse.execute(
        "select min(occurred_at)::date, max(occurred_at)::date from marts.fct_touchpoints").fetchone()
    app = open_page("customer_360", {"from": first_day.isoformat(), "to": last_day.isoformat()})

    for typed in (person["email"], f"  {person['email'].upper()} ", f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}",
                  person["customer_id"]):
        app.text_input(key="customer_search").set_value(typed).run()

        assert not app.exception, (typed, [exception.message for exception in app.exception])
        assert person["customer_id"] in app.subheader[0].value, typed
        shown = {metric.label: metric.value for metric in app.metric}
        assert shown["Lifetime value"] == f"${lifetime_value:,.2f}"
        assert shown["Orders"] == f"{orders:,}"
        assert shown["Segment"] == segment
        timeline = next(table.value for table in app.dataframe if "What" in table.value.columns)
        assert len(timeline) == touchpoints  # the filter covers all the data: every touchpoint
        assert set(timeline["Channel"]) >= {"web", "store"}
        assert [box for box in app.selectbox if box.key == "customer_pick"] == []  # one customer, no choice


def test_name_search_lists_every_customer_with_that_masked_name(open_page, warehouse, person):
    matching = [row[0] for row in warehouse.execute(
        "select customer_id from marts.dim_customers where name_masked = (select name_masked "
        "from marts.dim_customers where customer_id = ?) order by customer_id", [person["customer_id"]]).fetchall()]

    app = _search(open_page, f"{person['first_name']} {person['last_name']}")

    if len(matching) > 1:
        options = app.selectbox(key="customer_pick").options
        assert sorted(option.rsplit("id …", 1)[1] for option in options) == sorted(
            customer_id[-8:] for customer_id in matching)
    else:
        assert person["customer_id"] in app.subheader[0].value


def test_exact_customer_id_finds_that_customer_only(open_page, warehouse, person):
    # the id typed as a "name" masks to "C***", the masked name of a customer known by first name only
    (namesakes,) = warehouse.execute(
        "select count(*) from marts.dim_customers where name_masked = 'C***' and customer_id <> ?",
        [person["customer_id"]]).fetchone()

    app = _search(open_page, person["customer_id"])

    assert namesakes >= 0  # the small snapshot has one; the tiny world may not: the id must win either way
    assert [box for box in app.selectbox if box.key == "customer_pick"] == []
    assert person["customer_id"] in app.subheader[0].value


def test_namesakes_are_told_apart_without_pii(open_page, warehouse):
    name_masked, first_id = warehouse.execute(
        """select name_masked, min(customer_id) from marts.dim_customers where name_masked like '% %'
           group by 1 having count(*) > 1 order by count(*) desc, 1 limit 1""").fetchone()
    first_initial, last_initial = name_masked[0], name_masked.split(" ")[1][0]

    app = _search(open_page, f"{first_initial}x {last_initial}x")
    options = app.selectbox(key="customer_pick").options

    assert len(options) > 1 and len(set(options)) == len(options)
    assert all(" · first seen " in option and " orders · id …" in option for option in options)
    assert any(option.endswith(first_id[-8:]) for option in options)


def test_timeline_is_readable_and_follows_the_date_filter(open_page, warehouse, person, default_period):
    start, end = default_period
    (in_period,) = warehouse.execute(
        "select count(*) from marts.fct_touchpoints where customer_id = ? and occurred_at::date between ? and ?",
        [person["customer_id"], start, end]).fetchone()

    app = _search(open_page, person["customer_id"])
    tables = [table.value for table in app.dataframe if "What" in table.value.columns]

    if in_period == 0:
        assert tables == [] and any("No customer timeline" in info.value for info in app.info)
        return
    (timeline,) = tables
    assert len(timeline) == in_period
    assert not any("_" in column for column in timeline.columns)  # readable headers, not raw names
    text = timeline.drop(columns=["When (UTC)"])
    assert not text.isna().any().any() and not text.isin(["None", "nan"]).any().any()


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


def test_a_customer_without_a_name_is_labelled_so_not_nan():
    """A profile known only by an email (a web sign-up) has no masked name: pandas gives NaN, which is truthy."""
    import pandas as pd

    from dashboards.components import customer_choice_label

    row = next(pd.DataFrame([{"name_shown": float("nan"), "first_seen_at": pd.Timestamp("2026-10-12", tz="UTC"),
                              "channels": "web", "orders_count": 0, "customer_id": "c" * 32}]).itertuples())
    label = customer_choice_label(row)
    assert label.startswith("(no name) · first seen 2026-10-12 · web · 0 orders")
    assert "nan" not in label
