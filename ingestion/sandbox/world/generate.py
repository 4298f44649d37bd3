"""Materialise a simulated world into the directory layout of docs/INTERFACES.md section 1.

generate = simulate up to `as_of` and write everything; advance = the same at a later `as_of` into
an existing directory (hourly web files already there are kept, new hours are added). Because the
simulation is prefix-stable, generate(as_of=D) followed by advance(N) gives the same files as
generate(as_of=D+N).
"""

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

from ingestion.sandbox.world import truth
from ingestion.sandbox.world.catalog import SHOPIFY_WAREHOUSE_LOCATION
from ingestion.sandbox.world.ledger import Ledger
from ingestion.sandbox.world.output import write_json, write_jsonl, write_parquet
from ingestion.sandbox.world.render_shopify import ShopifyRenderer, assign_ids
from ingestion.sandbox.world.render_social import google_locations, posts, reviews
from ingestion.sandbox.world.render_square import SquareRenderer
from ingestion.sandbox.world.render_web import WebRenderer
from ingestion.sandbox.world.settings import (
    BRAND,
    CURRENCY,
    GOOGLE_ACCOUNT_ID,
    SHOPIFY_SHOP,
    SQUARE_LOYALTY_PROGRAM_ID,
    SQUARE_MERCHANT_ID,
    epoch,
    scale_named,
)
from ingestion.sandbox.world.simulate import build_world, simulate

_SOURCE_DIRS = ("shopify", "square", "google", "bluesky", "truth")


def generate_world(scale: str, seed: int, out: Path, *, as_of: date | None = None) -> Path:
    """Write a fresh world for (scale, seed) as of `as_of` (default: the end of its window) into `out`.

    Existing source and truth files in `out` are replaced; the directory itself is kept.
    """
    out = Path(out).absolute()
    for name in _SOURCE_DIRS + ("web_events",):
        shutil.rmtree(out / name, ignore_errors=True)
    world = build_world(seed, scale_named(scale))
    _materialise(world, out, as_of or world.end)
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
    world = build_world(int(manifest["seed"]), scale_named(manifest["scale"]))
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
    shopify = ShopifyRenderer(world, activity, shopify_ids, people, cut, ledger)
    emit("shopify/customers.jsonl", shopify.customers())
    emit("shopify/orders.jsonl", shopify.orders())
    emit("shopify/checkouts.jsonl", shopify.checkouts())
    emit("shopify/products.jsonl", shopify.products_as_of())
    square = SquareRenderer(world, activity, people, cut, ledger)
    emit("square/locations.jsonl", square.locations())
    emit("square/customers.jsonl", square.customers())
    emit("square/orders.jsonl", square.orders())
    emit("square/payments.jsonl", square.payments())
    emit("square/refunds.jsonl", square.refunds())
    emit("square/loyalty_accounts.jsonl", square.loyalty_accounts())
    emit("google/locations.jsonl", google_locations(world))
    emit("google/reviews.jsonl", reviews(world, activity, people, cut, ledger))
    emit("bluesky/posts.jsonl", posts(world, activity, people, cut, ledger))
    accounts = {email: (key[0], shopify_ids.customers[key]) for email, key in shopify_ids.account_customer.items()}
    web = WebRenderer(world, people, accounts, cut, ledger, shopify_ids.orders)
    web_stats = web.write(activity.web_events, out / "web_events")
    counts["web_events/events"] = web_stats["events"]
    _write_truth(world, out, people_list, ledger, cut)
    write_json(out / "manifest.json", _manifest(world, as_of, counts, web_stats))


def _write_truth(world, out: Path, people_list, ledger: Ledger, cut: int) -> None:
    touchpoints = truth.ordered_touchpoints(ledger)
    channels = truth.channels_by_person(touchpoints)
    journey_rows = truth.journeys(touchpoints, cut)
    handoff_rows = truth.handoffs(touchpoints)
    purchase_channel = {t.order_id: t.channel for t in touchpoints if t.touchpoint_type == "purchase"}
    cross_returns = [
        {"sku": t.sku, "date": truth._date(t.occurred_at).isoformat(), "order_id": t.order_id,
         "purchase_channel": purchase_channel.get(t.order_id), "return_channel": t.channel}
        for t in sorted(touchpoints, key=lambda t: (t.occurred_at, t.record_id))
        if t.touchpoint_type == "return" and purchase_channel.get(t.order_id, t.channel) != t.channel
    ]
    folder = out / "truth"
    location_ids = [loc.square_location_id for loc in world.locations]
    write_parquet(folder / "persons.parquet", truth.persons_table(people_list, channels, cut, location_ids))
    write_parquet(folder / "record_owners.parquet", truth.owners_table(ledger))
    write_parquet(folder / "touchpoints.parquet", truth.touchpoints_table(touchpoints))
    write_parquet(folder / "journeys.parquet", truth.journeys_table(journey_rows))
    write_parquet(folder / "handoffs.parquet", truth.handoffs_table(handoff_rows))
    write_parquet(folder / "planted.parquet",
                  truth.planted_table(world.price_gaps, world.prices, touchpoints, cut, cross_returns))
    write_json(folder / "kpis.json", truth.kpis(touchpoints, channels, journey_rows, handoff_rows, people_list, cut))


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
        "brand": dict(BRAND),
        "google_account_id": GOOGLE_ACCOUNT_ID,
        "shopify_shop": SHOPIFY_SHOP,
        "shopify_warehouse_location": {"name": SHOPIFY_WAREHOUSE_LOCATION[0], "id": SHOPIFY_WAREHOUSE_LOCATION[1]},
        "square_merchant_id": SQUARE_MERCHANT_ID,
        "square_loyalty_program_id": SQUARE_LOYALTY_PROGRAM_ID,
        "locations": [
            {"name": loc.name, "address": loc.address, "city": loc.city, "postal_code": loc.postal_code,
             "square_location_id": loc.square_location_id, "shopify_location_id": loc.shopify_location_id,
             "google_location_name": loc.google_name}
            for loc in world.locations
        ],
        "web_events": web_stats,
        "counts": dict(sorted(counts.items())),
    }
