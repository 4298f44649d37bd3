"""The world carries the noise and signals the downstream layers must handle and find."""

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
from world_files import read_jsonl, web_events


def test_identity_noise_is_present(tiny_world: Path) -> None:
    persons = pq.read_table(tiny_world / "truth" / "persons.parquet").to_pylist()
    owners = pq.read_table(tiny_world / "truth" / "record_owners.parquet").to_pylist()
    emails = [o["email"] for o in read_jsonl(tiny_world / "shopify" / "orders.jsonl")]
    emails += [c["email"] for c in read_jsonl(tiny_world / "shopify" / "checkouts.jsonl")]
    emails += [e["traits"]["email"] for e in web_events(tiny_world) if e["type"] == "identify"]
    assert any(e != e.strip() for e in emails), "whitespace around e-mails"
    assert any(e.strip() != e.strip().lower() for e in emails), "upper-case e-mails"
    phones = [c.get("phone_number") for c in read_jsonl(tiny_world / "square" / "customers.jsonl")]
    formats = {re.sub(r"\d", "9", p) for p in phones if p}
    assert len(formats) >= 4, formats
    households = Counter(p["household_id"] for p in persons)
    assert any(n >= 2 for n in households.values()), "families sharing a household"
    per_person = defaultdict(int)
    for row in owners:
        if (row["source"], row["entity"]) == ("shopify", "customers"):
            per_person[row["person_id"]] += 1
    assert any(n >= 2 for n in per_person.values()), "guest checkouts create extra customers"
    orders = read_jsonl(tiny_world / "square" / "orders.jsonl")
    assert sum("customer_id" not in o for o in orders) > len(orders) // 4, "many anonymous POS sales"
    square_customers = read_jsonl(tiny_world / "square" / "customers.jsonl")
    dialect = json.loads((tiny_world / "manifest.json").read_text())["dialect"]
    junk = {value.format(domain=dialect["brand"]["domain"]) for value in dialect["placeholders"]}
    placeholders = [c for c in square_customers if {c.get("phone_number"), c.get("email_address")} & junk]
    assert placeholders, "cashiers' placeholder values that must not merge people"


def test_planted_price_differences_are_visible_in_line_items(tiny_world: Path) -> None:
    planted = [r for r in pq.read_table(tiny_world / "truth" / "planted.parquet").to_pylist()
               if r["kind"] == "price_difference"]
    assert planted and all(r["web_price"] != r["store_price"] for r in planted)
    sku_of = {variation["id"]: variation["item_variation_data"]["sku"]
              for item in read_jsonl(tiny_world / "square" / "catalog.jsonl") for variation in item["item_data"]["variations"]}
    store_prices = defaultdict(set)
    for order in read_jsonl(tiny_world / "square" / "orders.jsonl"):
        for item in order.get("line_items", []):
            if item["base_price_money"]["currency"] == "USD":  # a store abroad prices in its own currency
                store_prices[sku_of[item["catalog_object_id"]]].add(item["base_price_money"]["amount"] / 100)
    sold_at_gap = [r for r in planted if r["store_orders"] and r["store_price"] in store_prices[r["sku"]]]
    assert sold_at_gap, "a store sale at a planted price"


def test_review_text_sentiment_follows_stars(tiny_world: Path) -> None:
    analyzer = SentimentIntensityAnalyzer()
    by_stars = defaultdict(list)
    for review in read_jsonl(tiny_world / "google" / "reviews.jsonl"):
        if "comment" in review and "Update:" not in review["comment"]:
            by_stars[review["starRating"]].append(analyzer.polarity_scores(review["comment"])["compound"])
    high = by_stars["FIVE"] + by_stars["FOUR"]
    low = by_stars["ONE"] + by_stars["TWO"]
    assert high and low
    assert sum(high) / len(high) > 0.3
    assert sum(low) / len(low) < -0.1


def test_reviewers_mostly_show_first_name_and_initial(tiny_world: Path) -> None:
    names = [r["reviewer"]["displayName"] for r in read_jsonl(tiny_world / "google" / "reviews.jsonl")]
    assert sum(bool(re.fullmatch(r"\w+ [A-Z]\.", n)) for n in names) >= len(names) // 3
