"""The connectors on the endpoints a real retailer's data needs beyond orders (docs/DIALECTS.md):
Shopify and Google locations, the Square catalog, and a Bluesky session that expires mid-run.

They read the hand-written fixture world (every file the sandboxes serve, in the vendors' shapes) and
are configured only with what a user types (`sandboxes.settings()`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import pytest
from connector_harness import JWT_PREFIXES, query, source_config

from ingestion.common.errors import SourceAuthError
from ingestion.pipelines import run_source
from sandbox.servers import Faults, SessionLifetimes, start_sandboxes
from seamline_core.paths import raw_db
from tests.sandbox.servers.fixture_world import write_fixture_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture_world(tmp_path_factory.mktemp("fixture") / "world")


def lines(world: Path, relative: str) -> list[dict]:
    return [json.loads(line) for line in (world / relative).read_text().splitlines() if line.strip()]


def columns(schema: str, table: str) -> set[str]:
    return {name for (name,) in query(
        f"select column_name from information_schema.columns where table_schema = '{schema}' "
        f"and table_name = '{table}'")}


def settings(sandboxes, world: Path, name: str) -> dict:
    """A source's user settings only (the Bluesky connector finds its search term itself)."""
    return source_config(sandboxes, world)[name]


def test_locations_and_catalog_load_as_returned_and_a_rerun_loads_nothing(world: Path) -> None:
    with start_sandboxes(world) as sandboxes:
        first = {name: run_source(name, **settings(sandboxes, world, name))
                 for name in ("shopify", "square", "google_reviews")}
        again = {name: run_source(name, **settings(sandboxes, world, name))
                 for name in ("shopify", "square", "google_reviews")}
    assert all(result.quarantined == {} for result in first.values())
    assert {name: result.rows_loaded for name, result in again.items()} == {name: {} for name in again}

    shop = lines(world, "shopify/locations.jsonl")
    assert query("select count(*), count(distinct id) from shopify.locations") == [(len(shop), len(shop))]
    assert sorted(query("select id, name, address1, zip, active from shopify.locations")) == sorted(
        (loc["id"], loc["name"], loc["address1"], loc["zip"], loc["active"]) for loc in shop)

    items = lines(world, "square/catalog.jsonl")
    variations = [v for item in items for v in item["item_data"]["variations"]]
    assert query("select count(*), count(*) filter (where is_deleted) from square.catalog_objects") == [
        (len(items), sum(item["is_deleted"] for item in items))]  # deleted items too, flagged
    assert sorted(query(
        "select v.id, v.item_variation_data__sku, v.item_variation_data__price_money__amount, o.id "
        "from square.catalog_objects__item_data__variations v "
        "join square.catalog_objects o on v._dlt_parent_id = o._dlt_id")) == sorted(
        (v["id"], v["item_variation_data"]["sku"], v["item_variation_data"]["price_money"]["amount"],
         v["item_variation_data"]["item_id"]) for v in variations)
    assert {"currency", "country", "timezone", "address__address_line_1", "address__postal_code",
            "address__country", "address__administrative_district_level_1"} <= columns("square", "locations")
    assert {f"{money}__{part}" for money in ("total_tax_money", "total_discount_money", "total_tip_money",
                                             "total_service_charge_money") for part in ("amount", "currency")
            } <= columns("square", "orders")

    google = lines(world, "google/locations.jsonl")
    assert sorted(query("select name, title, storefront_address__postal_code from google_reviews.locations")) == \
        sorted((loc["name"], loc["title"], loc["storefrontAddress"].get("postalCode")) for loc in google)
    assert "account" not in columns("google_reviews", "locations")  # the sandbox's routing key never leaks
    assert query("select count(*) from google_reviews.locations__storefront_address__address_lines") == [
        (sum(len(loc["storefrontAddress"]["addressLines"]) for loc in google),)]
    reviews = lines(world, "google/reviews.jsonl")
    assert query("select count(*), count(distinct location_name) from google_reviews.reviews") == [
        (len(reviews), len({r["name"].rsplit("/reviews/", 1)[0] for r in reviews}))]


def test_catalog_changes_load_incrementally_including_deletions(world: Path, tmp_path: Path) -> None:
    own = tmp_path / "world"
    write_fixture_world(own)
    with start_sandboxes(own) as sandboxes:
        config = settings(sandboxes, own, "square")
        run_source("square", resources=["catalog_objects"], **config)
        items = lines(own, "square/catalog.jsonl")
        items[0] = {**items[0], "updated_at": "2026-11-02T10:00:00.000Z", "version": items[0]["version"] + 1,
                    "item_data": {**items[0]["item_data"], "name": "Linen Shirt, renamed"}}
        items[1] = {**items[1], "updated_at": "2026-11-02T11:00:00.000Z", "is_deleted": True}
        (own / "square/catalog.jsonl").write_text("".join(json.dumps(item) + "\n" for item in items))
        sandboxes.reload()
        changed = run_source("square", resources=["catalog_objects"], **config)
    assert changed.rows_loaded["catalog_objects"] == 2
    assert query(f"select item_data__name, is_deleted from square.catalog_objects where id in "
                 f"('{items[0]['id']}', '{items[1]['id']}') order by updated_at") == [
        ("Linen Shirt, renamed", False), (items[1]["item_data"]["name"], True)]
    assert query("select count(*) from square.catalog_objects") == [(len(items),)]


def expected_posts(world: Path) -> set[str]:
    """What search (every post containing the brand profile's display name) and the author feed find."""
    posts = lines(world, "bluesky/posts.jsonl")
    handle = json.loads((world / "manifest.json").read_text())["brand"]["bluesky_handle"]
    name = next(p["author"]["displayName"] for p in posts if p["author"]["handle"] == handle)
    return {p["uri"] for p in posts if name.lower() in p["record"]["text"].lower() or p["author"]["handle"] == handle}


def secrets_in_database(*secrets: str) -> list[str]:
    """Every secret (or JWT prefix) found in any text of any table of the raw database."""
    found = []
    with duckdb.connect(str(raw_db()), read_only=True) as connection:
        tables = connection.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in tables:
            text = repr(connection.execute(f'select * from "{schema}"."{table}"').fetchall())
            found += [f"{schema}.{table}: {secret[:8]}..." for secret in secrets if secret in text]
    return found


@pytest.mark.parametrize("expire", ["access", "access and refresh"])
def test_bluesky_logs_in_and_renews_an_expired_session_mid_run(
    world: Path, expire: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """A 0.5 s access JWT, and every 2nd request slowed past it: the session surely expires mid-run.
    With a live refresh JWT the connector refreshes; with an expired one it logs in again."""
    caplog.set_level(logging.DEBUG)
    lifetimes = SessionLifetimes(access_seconds=0.5, refresh_seconds=0.5 if "refresh" in expire else 3600)
    slow = Faults(slow_every=2, slow_seconds=0.6, vendors=("bluesky",))
    with start_sandboxes(world, session_lifetimes=lifetimes, faults=slow) as sandboxes:
        result = run_source("bluesky", **settings(sandboxes, world, "bluesky"))
        calls, password = sandboxes.session_calls, sandboxes.app_password
    if "refresh" in expire:
        assert calls.get("refreshSession", 0) == 0 and calls["createSession"] >= 2
        assert "session refresh refused" in caplog.text
    else:
        assert calls["createSession"] == 1 and calls["refreshSession"] >= 1
        assert "session refreshed" in caplog.text
    expected = expected_posts(world)
    assert result.rows_loaded["posts"] == len(expected) and result.quarantined == {}
    assert query("select count(*), count(distinct uri) from bluesky.posts") == [(len(expected), len(expected))]
    assert {uri for (uri,) in query("select uri from bluesky.posts")} == expected
    printed = capfd.readouterr()
    for secret in (password, *JWT_PREFIXES):
        assert secret not in caplog.text + printed.out + printed.err
    assert secrets_in_database(password, *JWT_PREFIXES) == []


def test_bluesky_wrong_app_password_names_the_setting(world: Path) -> None:
    with start_sandboxes(world) as sandboxes:
        config = {**settings(sandboxes, world, "bluesky"), "app_password": "wrong-app-password"}
        with pytest.raises(SourceAuthError) as failure:
            run_source("bluesky", **config)
    message = str(failure.value)
    assert "createSession" in message and "HTTP 401" in message
    assert "SOURCES__BLUESKY__APP_PASSWORD" in message and "wrong-app-password" not in message
