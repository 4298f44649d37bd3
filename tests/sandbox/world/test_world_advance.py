"""advance_world moves as_of forward: new activity appears, old records change, deterministically."""

import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from world_files import read_jsonl, seed_of, tree_digests

from sandbox.world import advance_world, generate_world
from sandbox.world.__main__ import main


def updated(world: Path, path: str, key: str, stamp: str) -> dict:
    return {r[key]: r[stamp] for r in read_jsonl(world / path)}


def test_generate_then_advance_equals_generating_later(tiny_world: Path, tmp_path: Path) -> None:
    early = generate_world("tiny", seed_of(tiny_world), tmp_path / "early", as_of=date(2026, 8, 1))
    orders_before = updated(early, "shopify/orders.jsonl", "id", "updated_at")
    reviews_before = updated(early, "google/reviews.jsonl", "reviewId", "updateTime")
    square_before = {**updated(early, "square/payments.jsonl", "id", "updated_at"),
                     **updated(early, "square/customers.jsonl", "id", "updated_at")}
    advance_world(early, 92)
    assert tree_digests(early) == tree_digests(tiny_world)
    orders_after = updated(early, "shopify/orders.jsonl", "id", "updated_at")
    assert len(orders_after) > len(orders_before)
    assert any(orders_after[i] > stamp for i, stamp in orders_before.items())  # refunds, fulfilments
    reviews_after = updated(early, "google/reviews.jsonl", "reviewId", "updateTime")
    assert any(reviews_after[i] > stamp for i, stamp in reviews_before.items())  # edits, replies
    square_after = {**updated(early, "square/payments.jsonl", "id", "updated_at"),
                    **updated(early, "square/customers.jsonl", "id", "updated_at")}
    assert any(square_after[i] > stamp for i, stamp in square_before.items())  # refunds, e-mail captured


def test_advance_past_the_window_brings_newcomers(tiny_world: Path, tmp_path: Path) -> None:
    world = generate_world("tiny", seed_of(tiny_world), tmp_path / "later")
    files_before = set(tree_digests(world))
    advance_world(world, 15)
    manifest = json.loads((world / "manifest.json").read_text())
    assert manifest["as_of"] == "2026-11-16"
    persons = pq.read_table(world / "truth" / "persons.parquet").column("person_id").to_pylist()
    assert any(int(p[1:]) >= 300 for p in persons)  # arrivals after the 300 of the window
    new_files = set(tree_digests(world)) - files_before
    assert any(name.startswith("web_events/events-202611") for name in new_files)
    newest = max(o["created_at"] for o in read_jsonl(world / "shopify" / "orders.jsonl"))
    assert "2026-11-01" <= newest[:10] < "2026-11-16"


def test_advance_without_a_world_names_the_missing_manifest(tmp_path: Path, capsys) -> None:
    assert main(["advance", "--days", "1", "--world", str(tmp_path)]) == 2
    assert f"{tmp_path}/manifest.json not found" in capsys.readouterr().err
    assert main(["generate", "--scale", "tiny", "--seed", "1", "--out", str(tmp_path), "--as-of", "2026-01-01"]) == 2
    assert "before the world's start" in capsys.readouterr().err
