"""The ground truth agrees with the raw records: KPIs recomputed from the files match truth/kpis.json."""

import json
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
from world_files import read_jsonl, web_events


def owners(world: Path) -> dict[tuple[str, str, str], str | None]:
    table = pq.read_table(world / "truth" / "record_owners.parquet").to_pylist()
    return {(row["source"], row["entity"], row["record_id"]): row["person_id"] for row in table}


def kpis(world: Path) -> dict:
    return json.loads((world / "truth" / "kpis.json").read_text())


def test_revenue_and_orders_per_channel_match_raw_records(tiny_world: Path) -> None:
    shopify = [o for o in read_jsonl(tiny_world / "shopify" / "orders.jsonl") if o["cancelled_at"] is None]
    square = [o for o in read_jsonl(tiny_world / "square" / "orders.jsonl") if "returns" not in o]
    web_revenue = sum(float(o["subtotal_price"]) for o in shopify)
    store_revenue = sum(o["total_money"]["amount"] for o in square) / 100
    truth = kpis(tiny_world)
    assert abs(truth["revenue_by_channel"]["web"] - web_revenue) < 0.005
    assert abs(truth["revenue_by_channel"]["store"] - store_revenue) < 0.005
    assert truth["orders_by_channel"] == {"store": len(square), "web": len(shopify)}
    assert web_revenue > 1000 and store_revenue > 1000


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
