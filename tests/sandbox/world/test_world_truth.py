"""The ground truth agrees with the raw records: KPIs recomputed from the files match truth/kpis.json."""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from world_files import read_jsonl, web_events


def owners(world: Path) -> dict[tuple[str, str, str], str | None]:
    table = pq.read_table(world / "truth" / "record_owners.parquet").to_pylist()
    return {(row["source"], row["entity"], row["record_id"]): row["person_id"] for row in table}


def kpis(world: Path) -> dict:
    return json.loads((world / "truth" / "kpis.json").read_text())


def store_net_cents(order: dict) -> int:
    """DIALECTS.md section 6: Square net merchandise = total - tax - tip - service charges."""
    return (order["total_money"]["amount"] - order["total_tax_money"]["amount"] - order["total_tip_money"]["amount"]
            - order["total_service_charge_money"]["amount"])


def web_net_cents(order: dict) -> int:
    """Shopify net merchandise: subtotal (after discounts, before shipping), minus tax when included."""
    return round(float(order["subtotal_price"]) * 100) - (round(float(order["total_tax"]) * 100)
                                                          if order["taxes_included"] else 0)


def revenue_by_channel_currency(world: Path) -> tuple[dict, Counter]:
    """Revenue per channel and currency on the documented basis, and orders per channel, from the raw files."""
    revenue: dict[str, Counter] = defaultdict(Counter)
    orders: Counter = Counter()
    for order in read_jsonl(world / "shopify" / "orders.jsonl"):
        if order["cancelled_at"] is None:
            revenue["web"][order["currency"]] += web_net_cents(order)
            orders["web"] += 1
    for order in read_jsonl(world / "square" / "orders.jsonl"):
        if "returns" not in order:
            revenue["store"][order["total_money"]["currency"]] += store_net_cents(order)
            orders["store"] += 1
    return {channel: {c: cents / 100 for c, cents in sorted(by.items())} for channel, by in revenue.items()}, orders


def test_revenue_and_orders_per_channel_match_raw_records(tiny_world: Path) -> None:
    revenue, orders = revenue_by_channel_currency(tiny_world)
    truth = kpis(tiny_world)
    assert truth["revenue_by_channel_currency"].keys() == revenue.keys()
    for channel, amounts in revenue.items():
        assert truth["revenue_by_channel_currency"][channel] == pytest.approx(amounts, abs=0.005)
    currency = truth["currency"]
    assert truth["revenue_by_channel"] == pytest.approx({c: by[currency] for c, by in revenue.items()}, abs=0.005)
    assert truth["orders_by_channel"] == dict(orders)
    assert revenue["web"][currency] > 1000 and revenue["store"][currency] > 1000


def test_store_purchase_touchpoints_are_net_of_tax_and_tips(tiny_world: Path) -> None:
    orders = {o["id"]: o for o in read_jsonl(tiny_world / "square" / "orders.jsonl") if "returns" not in o}
    purchases = [t for t in pq.read_table(tiny_world / "truth" / "touchpoints.parquet").to_pylist()
                 if t["source"] == "square" and t["touchpoint_type"] == "purchase"]
    assert len(purchases) == len(orders)
    for touchpoint in purchases:
        order = orders[touchpoint["record_id"]]
        assert touchpoint["value"] == pytest.approx(store_net_cents(order) / 100, abs=0.005)
        assert touchpoint["currency"] == order["total_money"]["currency"]


def test_people_per_channel_combination_match_raw_records(tiny_world: Path) -> None:
    owner = owners(tiny_world)
    manifest = json.loads((tiny_world / "manifest.json").read_text())
    warehouse = manifest["shopify_warehouse_location"]["id"]
    channels: dict[str, set[str]] = defaultdict(set)

    def note(source: str, entity: str, record_id: object, channel: str) -> None:
        person = owner[(source, entity, str(record_id))]
        if person is not None:
            channels[person].add(channel)

    for order in read_jsonl(tiny_world / "shopify" / "orders.jsonl"):
        if order["cancelled_at"] is None:
            note("shopify", "orders", order["id"], "web")
        for refund in order["refunds"]:
            in_store = any(item["location_id"] != warehouse for item in refund["refund_line_items"])
            note("shopify", "refunds", refund["id"], "store" if in_store else "web")
    for checkout in read_jsonl(tiny_world / "shopify" / "checkouts.jsonl"):
        note("shopify", "checkouts", checkout["id"], "web")
    for order in read_jsonl(tiny_world / "square" / "orders.jsonl"):
        note("square", "orders", order["id"], "store")
    for review in read_jsonl(tiny_world / "google" / "reviews.jsonl"):
        note("google_reviews", "reviews", review["reviewId"], "review")
    for post in read_jsonl(tiny_world / "bluesky" / "posts.jsonl"):
        note("bluesky", "posts", post["uri"], "social")
    for event in web_events(tiny_world):
        note("web_events", "anonymous_ids", event["anonymousId"], "web")
    recomputed = Counter(",".join(sorted(found)) for found in channels.values())
    truth = kpis(tiny_world)
    assert dict(recomputed) == truth["people_by_channel_combination"]
    assert truth["people_total"] == len(channels)
    assert sum(1 for combo in recomputed if "," in combo) >= 5  # omnichannel people exist


def test_every_source_record_has_an_owner_row(tiny_world: Path) -> None:
    owner = owners(tiny_world)
    keyed = {
        ("shopify", "customers"): ("shopify/customers.jsonl", "id"),
        ("shopify", "orders"): ("shopify/orders.jsonl", "id"),
        ("shopify", "checkouts"): ("shopify/checkouts.jsonl", "id"),
        ("square", "customers"): ("square/customers.jsonl", "id"),
        ("square", "orders"): ("square/orders.jsonl", "id"),
        ("square", "payments"): ("square/payments.jsonl", "id"),
        ("square", "refunds"): ("square/refunds.jsonl", "id"),
        ("square", "loyalty_accounts"): ("square/loyalty_accounts.jsonl", "id"),
        ("google_reviews", "reviews"): ("google/reviews.jsonl", "reviewId"),
        ("bluesky", "posts"): ("bluesky/posts.jsonl", "uri"),
    }
    for (source, entity), (path, field) in keyed.items():
        records = read_jsonl(tiny_world / path)
        assert records, path
        missing = [r[field] for r in records if (source, entity, str(r[field])) not in owner]
        assert missing == [], f"{path}: records without an owner: {missing[:3]}"
    anonymous_ids = {event["anonymousId"] for event in web_events(tiny_world)}
    assert all(("web_events", "anonymous_ids", a) in owner for a in anonymous_ids)
    persons = set(pq.read_table(tiny_world / "truth" / "persons.parquet").column("person_id").to_pylist())
    assert {p for p in owner.values() if p is not None} <= persons


def test_journeys_close_on_every_purchase(tiny_world: Path) -> None:
    journeys = pq.read_table(tiny_world / "truth" / "journeys.parquet").to_pylist()
    truth = kpis(tiny_world)
    assert Counter(j["outcome"] for j in journeys)["purchase"] == sum(truth["orders_by_channel"].values())
    assert {j["outcome"] for j in journeys} == {"purchase", "abandoned", "dropped"}
    handoffs = pq.read_table(tiny_world / "truth" / "handoffs.parquet").to_pylist()
    assert all(h["from_channel"] != h["to_channel"] for h in handoffs)
    assert Counter(f"{h['from_channel']}>{h['to_channel']}" for h in handoffs) == truth["handoffs_by_channel_pair"]


def test_touchpoints_use_the_interface_vocabulary(tiny_world: Path) -> None:
    table = pq.read_table(tiny_world / "truth" / "touchpoints.parquet")
    assert set(table.column("channel").to_pylist()) == {"web", "store", "review", "social"}
    assert set(table.column("touchpoint_type").to_pylist()) == {
        "page_view", "product_view", "add_to_cart", "checkout_started", "cart_abandoned", "purchase", "return",
        "review", "social_mention", "identify"}
    assert set(table.column("fulfilment_type").drop_null().to_pylist()) == {
        "ship_to_home", "pickup_in_store", "ship_from_store", "in_store"}
