"""Materialise a simulated world into the directory layout of docs/INTERFACES.md section 1.

generate = simulate up to `as_of` and write everything; advance = the same at a later `as_of` into
an existing directory (hourly web files already there are kept, new hours are added). Because the
simulation is prefix-stable, generate(as_of=D) followed by advance(N) gives the same files as
generate(as_of=D+N). The merchant's dialect (docs/DIALECTS.md) is drawn from the seed unless one is
named; it is recorded in manifest.json so that advance keeps the same merchant.
"""

import json
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from sandbox.world import truth
from sandbox.world.catalog import SHOPIFY_WAREHOUSE_ID
from sandbox.world.dialect import Dialect, resolve
from sandbox.world.ledger import Ledger
from sandbox.world.model import Activity
from sandbox.world.output import BackgroundWriter, write_json, write_jsonl, write_parquet
from sandbox.world.render_places import (
    google_locations,
    locations_table,
    shopify_locations,
    shopify_name,
    square_locations,
    warehouse_name,
)
from sandbox.world.render_shopify import ShopifyRenderer, assign_ids
from sandbox.world.render_social import posts, reviews
from sandbox.world.render_square import SquareRenderer
from sandbox.world.render_web import WebRenderer
from sandbox.world.settings import (
    CURRENCY,
    GOOGLE_ACCOUNT_ID,
    SHOPIFY_SHOP,
    SQUARE_LOYALTY_PROGRAM_ID,
    SQUARE_MERCHANT_ID,
    epoch,
    scale_named,
)
from sandbox.world.simulate import build_world, shop_day, simulate

_SOURCE_DIRS = ("shopify", "square", "google", "bluesky", "truth")


def generate_world(scale: str, seed: int, out: Path, *, as_of: date | None = None,
                   dialect: Dialect | str | None = None) -> Path:
    """Write a fresh world for (scale, seed) as of `as_of` (default: the end of its window) into `out`.

    `dialect`: a Dialect, a preset name (dialect.PRESETS) or None for the seed's own dialect.
    Existing source and truth files in `out` are replaced; the directory itself is kept.
    """
    world = build_world(seed, scale_named(scale), resolve(dialect, seed))
    as_of = as_of or world.end
    if as_of <= world.start:
        raise ValueError(f"generate_world: as_of {as_of} is before the world's start {world.start} "
                         f"(scale {scale}); pick a later date")
    out = Path(out).absolute()
    (out / "manifest.json").unlink(missing_ok=True)  # written last: absent until the new world is complete
    for name in _SOURCE_DIRS + ("web_events",):
        shutil.rmtree(out / name, ignore_errors=True)
    _materialise(world, out, as_of)
    return out


def advance_world(world_dir: Path, days: int) -> None:
    """Move the world in `world_dir` forward by `days`: new activity appears and old records update."""
    if days < 0:
        raise ValueError(f"advance_world: days must be >= 0, got {days}")
    world_dir = Path(world_dir).absolute()
    manifest_path = world_dir / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"advance_world: {manifest_path} not found; generate a world there first")
    manifest = json.loads(manifest_path.read_text())
    world = build_world(int(manifest["seed"]), scale_named(manifest["scale"]),
                        Dialect.from_manifest(manifest["dialect"]))
    _materialise(world, world_dir, date.fromisoformat(manifest["as_of"]) + timedelta(days=days))


def _materialise(world, out: Path, as_of: date) -> None:
    cut = epoch(as_of)
    people_list, activity = simulate(world, cut)
    people = {p.index: p for p in people_list}
    ledger = Ledger()
    counts: dict[str, int] = {}

    def emit(relative: str, records: list[dict]) -> None:
        counts[relative.removesuffix(".jsonl")] = write_jsonl(out / relative, records)

    shopify_ids = assign_ids(world, activity, people)
    accounts = {email: (key[0], shopify_ids.customers[key]) for email, key in shopify_ids.account_customer.items()}
    web = WebRenderer(world, people, accounts, cut, shopify_ids.orders)
    web_batches = web.batches(activity.web_events)
    web_writer = BackgroundWriter(web.write_files, web_batches, out / "web_events")
    shopify = ShopifyRenderer(world, activity, shopify_ids, people, cut, ledger)
    emit("shopify/customers.jsonl", shopify.customers())
    emit("shopify/orders.jsonl", shopify.orders())
    emit("shopify/fulfillment_orders.jsonl", shopify.fulfillment_orders())
    emit("shopify/checkouts.jsonl", shopify.checkouts())
    emit("shopify/products.jsonl", shopify.products_as_of())
    emit("shopify/locations.jsonl", shopify_locations(world))
    square = SquareRenderer(world, activity, people, cut, ledger)
    emit("square/locations.jsonl", square_locations(world))
    emit("square/catalog.jsonl", square.catalog())
    emit("square/customers.jsonl", square.customers())
    emit("square/orders.jsonl", square.orders())
    emit("square/payments.jsonl", square.payments())
    emit("square/refunds.jsonl", square.refunds())
    emit("square/loyalty_accounts.jsonl", square.loyalty_accounts())
    emit("google/locations.jsonl", google_locations(world))
    emit("google/reviews.jsonl", reviews(world, activity, people, cut, ledger))
    emit("bluesky/posts.jsonl", posts(world, activity, people, cut, ledger))
    web_stats = web.note_truth(web_batches, ledger)
    counts["web_events/events"] = web_stats["events"]
    _write_truth(world, out, people_list, activity, ledger, cut)
    web_writer.wait()
    write_json(out / "manifest.json", _manifest(world, as_of, counts, web_stats))


def _write_truth(world, out: Path, people_list, activity: Activity, ledger: Ledger, cut: int) -> None:
    touchpoints = truth.ordered_touchpoints(ledger)
    channels = truth.channels_by_person(touchpoints)
    journey_rows = truth.journeys(touchpoints, cut)
    handoff_rows = truth.handoffs(touchpoints)
    purchase_channel = {t.order_id: t.channel for t in touchpoints if t.touchpoint_type == "purchase"}
    cross_returns = [
        {"sku": t.sku, "date": shop_day(t.occurred_at).isoformat(), "order_id": t.order_id,
         "purchase_channel": purchase_channel.get(t.order_id), "return_channel": t.channel}
        for t in sorted(touchpoints, key=lambda t: (t.occurred_at, t.record_id))
        if t.touchpoint_type == "return" and purchase_channel.get(t.order_id, t.channel) != t.channel
    ]
    folder = out / "truth"
    location_ids = [loc.square_location_id for loc in world.locations]
    owners = {row[3] for row in ledger.owners if row[3] is not None}
    write_parquet(folder / "persons.parquet", truth.persons_table(people_list, channels, owners, cut, location_ids))
    write_parquet(folder / "record_owners.parquet", truth.owners_table(ledger))
    write_parquet(folder / "touchpoints.parquet", truth.touchpoints_table(touchpoints))
    write_parquet(folder / "journeys.parquet", truth.journeys_table(journey_rows))
    write_parquet(folder / "handoffs.parquet", truth.handoffs_table(handoff_rows))
    write_parquet(folder / "locations.parquet", locations_table(world))
    write_parquet(folder / "brand_mentions.parquet", truth.brand_mentions_table(ledger))
    planted = truth.planted_table(world.price_gaps, world.prices, _orders_per_sku_day(world, activity, cut), cut,
                                  cross_returns)
    write_parquet(folder / "planted.parquet", planted)
    headline = truth.kpis(touchpoints, channels, journey_rows, handoff_rows, people_list, cut)
    gaps = [row for row in planted.to_pylist() if row["kind"] == "price_difference"]
    headline["price_difference_days_planted"] = len(gaps)
    headline["price_difference_days_sold_in_both_channels"] = sum(
        1 for row in gaps if row["web_orders"] and row["store_orders"])
    headline["price_gap_sku_days_sold_both"] = headline["price_difference_days_sold_in_both_channels"]
    headline["brand_mentions"] = sum(1 for _, _, kind in ledger.mentions if kind == "person_post")
    headline = dict(sorted(headline.items()))
    write_json(folder / "kpis.json", headline)


def _orders_per_sku_day(world, activity: Activity, cut: int) -> Counter:
    """Orders per (channel, sku, shop-local day) as the files show them (cancelled web orders excluded).

    Sales of a store abroad are left out: their prices are in another currency, not comparable."""
    sold: Counter = Counter()
    for order in activity.web_orders:
        if order.created < cut and not (order.cancelled_at is not None and order.cancelled_at < cut):
            for sku in {line.sku for line in order.lines}:
                sold[("web", sku, shop_day(order.created))] += 1
    for order in activity.store_orders:
        if order.created < cut and world.locations[order.location].currency == CURRENCY:
            for sku in {line.sku for line in order.lines}:
                sold[("store", sku, shop_day(order.created))] += 1
    return sold


def _manifest(world, as_of: date, counts: dict[str, int], web_stats: dict[str, int]) -> dict:
    return {
        "scale": world.scale.name,
        "seed": world.seed,
        "start": world.start.isoformat(),
        "end": world.end.isoformat(),
        "as_of": as_of.isoformat(),
        "as_of_semantics": "exclusive: every record and change happened before as_of 00:00:00 UTC",
        "currency": CURRENCY,
        "timezone": "America/Los_Angeles",
        "brand": {"name": world.brand.name, "bluesky_handle": world.brand.bluesky_handle,
                  "search_query": world.brand.search_query},
        "dialect": world.dialect.as_manifest(),
        "google_account_id": GOOGLE_ACCOUNT_ID,
        "shopify_shop": SHOPIFY_SHOP,
        "shopify_warehouse_location": {"name": warehouse_name(world), "id": SHOPIFY_WAREHOUSE_ID},
        "square_merchant_id": SQUARE_MERCHANT_ID,
        "square_loyalty_program_id": SQUARE_LOYALTY_PROGRAM_ID,
        "locations": [
            {"name": loc.name, "shopify_name": shopify_name(world, loc), "address": loc.address, "city": loc.city,
             "postal_code": loc.postal_code, "country": loc.country, "currency": loc.currency,
             "timezone": loc.timezone, "square_location_id": loc.square_location_id,
             "shopify_location_id": loc.shopify_location_id, "google_location_name": loc.google_v1_name,
             "google_reviews_parent": loc.google_name}
            for loc in world.locations
        ],
        "web_events": web_stats,
        "counts": dict(sorted(counts.items())),
    }
