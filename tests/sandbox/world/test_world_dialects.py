"""Each dialect knob (docs/DIALECTS.md section 1) shows up in the files as the vendors' rules say it should.

Every knob is checked on at least three worlds: the shared tiny world (seed 7's own dialect) and
named presets, all at tiny scale and generated once per session.
"""

import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from contract_checks import square_errors
from world_files import read_jsonl, tree_digests

from sandbox.world import advance_world, generate_world
from sandbox.world.__main__ import main
from sandbox.world.dialect import PRESETS, Dialect, dialect_for_seed
from sandbox.world.people import ContactRegistry, draw_person

SEED = 7


@pytest.fixture(scope="session")
def world(tiny_world: Path, tmp_path_factory: pytest.TempPathFactory):
    """world(name) -> a tiny world for a preset name or "seed-N" (seed 7's own is the shared tiny world)."""
    cache: dict[str, Path] = {f"seed-{SEED}": tiny_world}

    def get(name: str) -> Path:
        if name not in cache:
            seed = int(name[5:]) if name.startswith("seed-") else SEED
            cache[name] = generate_world("tiny", seed, tmp_path_factory.mktemp(name), dialect=name)
        return cache[name]

    return get


def cents(text: str) -> int:
    return round(float(text) * 100)


def manifest(world_dir: Path) -> dict:
    return json.loads((world_dir / "manifest.json").read_text())


def table(world_dir: Path, name: str) -> list[dict]:
    return pq.read_table(world_dir / "truth" / f"{name}.parquet").to_pylist()


def amount(record: dict, key: str) -> int:
    return record[key]["amount"]


def sales(world_dir: Path) -> list[dict]:
    return [o for o in read_jsonl(world_dir / "square" / "orders.jsonl") if "returns" not in o]


# --- pickup titles ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed-7", "eu_click_collect", "messy_pos", "classic"])
def test_pickup_titles_are_free_text_and_the_fulfilment_location_decides(world, name: str) -> None:
    world_dir = world(name)
    locations = {loc["id"]: loc for loc in read_jsonl(world_dir / "shopify" / "locations.jsonl")}
    warehouse = manifest(world_dir)["shopify_warehouse_location"]["id"]
    orders = read_jsonl(world_dir / "shopify" / "orders.jsonl")
    pickups = [o for o in orders if o["shipping_address"] is None]
    assert len(pickups) >= 10
    is_store_name = Counter()
    for order in pickups:
        line = order["shipping_lines"][0]
        assert line["price"] == "0.00"
        for fulfillment in order["fulfillments"]:
            assert fulfillment["location_id"] != warehouse and fulfillment["shipment_status"] == "picked_up"
            is_store_name[line["title"] == locations[fulfillment["location_id"]]["name"]] += 1
    assert sum(is_store_name.values()) > 0
    titles = {o["shipping_lines"][0]["title"] for o in pickups}
    if name == "classic":  # Shopify's default: the pickup location's name
        assert is_store_name[False] == 0
    else:  # apps and themes rename the line: the title is not the store name, the location id is the authority
        assert is_store_name[False] > 0
    if len(manifest(world_dir)["dialect"]["pickup_titles"]) > 1:  # several apps/themes over time
        assert len(titles) > len(locations) - 1 or len({t for t in titles if "{" not in t}) >= 2


def test_pickup_titles_come_in_several_languages(world) -> None:
    titles = {o["shipping_lines"][0]["title"] for o in read_jsonl(world("eu_click_collect") / "shopify" / "orders.jsonl")
              if o["shipping_address"] is None}
    assert {"Click & Collect", "Retrait en magasin", "Abholung im Geschäft"} <= titles


# --- SKUs through the catalog -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed-7", "classic", "cross_border"])
def test_every_square_line_resolves_to_a_variation_whose_sku_is_the_truth(world, name: str) -> None:
    world_dir = world(name)
    variations = {v["id"]: v for item in read_jsonl(world_dir / "square" / "catalog.jsonl")
                  for v in item["item_data"]["variations"]}
    skus = {v["item_variation_data"]["sku"] for v in variations.values()}
    orders = {o["id"]: o for o in read_jsonl(world_dir / "square" / "orders.jsonl")}
    lines = [li for o in orders.values() for li in o.get("line_items", [])]
    lines += [li for o in orders.values() for r in o.get("returns", []) for li in r["return_line_items"]]
    assert lines
    for line in lines:
        variation = variations[line["catalog_object_id"]]
        assert line["variation_name"] == variation["item_variation_data"]["name"]
        assert line["variation_name"] in {"Regular", "Standard", "One Size"} and line["variation_name"] not in skus
    touchpoints = [t for t in table(world_dir, "touchpoints") if t["source"] == "square"]
    for touchpoint in touchpoints:
        order = orders[touchpoint["record_id"]]
        first = order["line_items"][0] if touchpoint["touchpoint_type"] == "purchase" else \
            order["returns"][0]["return_line_items"][0]
        assert variations[first["catalog_object_id"]]["item_variation_data"]["sku"] == touchpoint["sku"]


# --- store names and addresses ------------------------------------------------------------------------
_WORDS = {"northwest": "nw", "northeast": "ne", "southwest": "sw", "southeast": "se", "north": "n", "south": "s",
          "east": "e", "west": "w", "street": "st", "boulevard": "blvd", "highway": "hwy", "parkway": "pkwy",
          "road": "rd"}


def street_key(line: str) -> str:
    words = line.lower().replace(".", "").split()
    return " ".join(_WORDS.get(w, w) for w in words)


def postcode_key(postcode: str, country: str) -> str:
    return postcode[:5] if country == "US" else postcode.upper().replace(" ", "")


@pytest.mark.parametrize("name", ["seed-7", "eu_click_collect", "cross_border", "messy_pos"])
def test_store_names_differ_across_systems_while_addresses_agree(world, name: str) -> None:
    world_dir = world(name)
    shopify = {loc["id"]: loc for loc in read_jsonl(world_dir / "shopify" / "locations.jsonl")}
    square = {loc["id"]: loc for loc in read_jsonl(world_dir / "square" / "locations.jsonl")}
    google = {loc["name"]: loc for loc in read_jsonl(world_dir / "google" / "locations.jsonl")}
    raw_postcodes, raw_streets = set(), set()
    for place in table(world_dir, "locations"):
        a, b, c = shopify[place["shopify_location_id"]], square[place["location_id"]], google[place["google_location_name"]]
        assert len({a["name"], b["name"], c["title"]}) == 3, (a["name"], b["name"], c["title"])
        country = place["country_code"]
        assert a["country_code"] == b["country"] == c["storefrontAddress"]["regionCode"] == country
        postcodes = (a["zip"], b["address"]["postal_code"], c["storefrontAddress"]["postalCode"])
        streets = (a["address1"], b["address"]["address_line_1"], c["storefrontAddress"]["addressLines"][0])
        assert len({postcode_key(p, country) for p in postcodes}) == 1, postcodes
        assert len({street_key(s) for s in streets}) == 1, streets
        raw_postcodes.add(len(set(postcodes)))
        raw_streets.add(len(set(streets)))
        assert b["timezone"] == place["timezone"] and b["currency"] == place["currency"]
    assert max(raw_postcodes) > 1 or max(raw_streets) > 1, "each system writes the address its own way"


def test_google_store_code_is_optional_and_not_always_the_square_id(world) -> None:
    codes = {}
    for name in ("seed-7", "eu_click_collect", "common_word_brand"):
        world_dir = world(name)
        square_ids = {loc["id"] for loc in read_jsonl(world_dir / "square" / "locations.jsonl")}
        found = [loc.get("storeCode") for loc in read_jsonl(world_dir / "google" / "locations.jsonl")]
        codes[name] = "square_id" if set(found) == square_ids else "none" if set(found) == {None} else "merchant"
    assert codes == {"seed-7": "square_id", "eu_click_collect": "merchant", "common_word_brand": "none"}


# --- store money: tax, discounts, tips ----------------------------------------------------------------
@pytest.mark.parametrize("name, mode, percent", [("seed-7", "INCLUSIVE", 19), ("cross_border", "ADDITIVE", 7),
                                                  ("eu_click_collect", "INCLUSIVE", 20), ("classic", None, 0)])
def test_store_tax_is_added_or_included_as_square_records_it(world, name: str, mode: str | None, percent: int) -> None:
    orders = sales(world(name))
    assert len(orders) > 50
    for order in orders:
        lines = order["line_items"]
        service = sum(amount(s, "total_money") for s in order.get("service_charges", []))
        assert amount(order, "total_money") == (sum(amount(li, "total_money") for li in lines) + service
                                               + amount(order, "total_tip_money"))
        assert amount(order, "total_tax_money") == sum(amount(li, "total_tax_money") for li in lines)
        for line in lines:
            price = amount(line, "gross_sales_money") - amount(line, "total_discount_money")
            tax = amount(line, "total_tax_money")
            if mode == "INCLUSIVE":  # the shelf price contains the tax: total_money includes it without adding
                assert amount(line, "total_money") == price
                assert tax == pytest.approx(price * percent / (100 + percent), abs=1)
            elif mode == "ADDITIVE":
                assert amount(line, "total_money") == price + tax
                assert tax == pytest.approx(price * percent / 100, abs=1)
            else:
                assert tax == 0 and amount(line, "total_money") == price
        if mode:
            assert [(t["type"], t["percentage"]) for t in order["taxes"]] == [(mode, str(percent))]
            assert sum(amount(t, "applied_money") for t in order["taxes"]) == amount(order, "total_tax_money")
        else:
            assert "taxes" not in order
    if mode:
        assert sum(amount(o, "total_tax_money") for o in orders) > 0


@pytest.mark.parametrize("name, mode", [("seed-7", "INCLUSIVE"), ("cross_border", "ADDITIVE"), ("classic", None)])
def test_the_web_shop_charges_tax_the_same_way_in_shopify_fields(world, name: str, mode: str | None) -> None:
    orders = read_jsonl(world(name) / "shopify" / "orders.jsonl")
    for order in orders:
        assert order["taxes_included"] == (mode == "INCLUSIVE")
        tax, subtotal = cents(order["total_tax"]), cents(order["subtotal_price"])
        shipping = sum(cents(line["price"]) for line in order["shipping_lines"])
        assert cents(order["total_price"]) == subtotal + shipping + (tax if mode == "ADDITIVE" else 0)
        assert tax == sum(cents(t["price"]) for li in order["line_items"] for t in li["tax_lines"])
        assert (tax > 0) == (mode is not None)
    for checkout in read_jsonl(world(name) / "shopify" / "checkouts.jsonl"):
        assert checkout["taxes_included"] == (mode == "INCLUSIVE")
        tax = cents(checkout["total_tax"])
        assert cents(checkout["total_price"]) == cents(checkout["subtotal_price"]) + (tax if mode == "ADDITIVE" else 0)
        assert (tax > 0) == (mode is not None)


@pytest.mark.parametrize("name", ["seed-7", "messy_pos", "cross_border"])
def test_discounts_tips_and_service_charges_appear_on_some_sales(world, name: str) -> None:
    world_dir = world(name)
    orders = sales(world_dir)
    discounted = [o for o in orders if amount(o, "total_discount_money") > 0]
    tipped = [o for o in orders if amount(o, "total_tip_money") > 0]
    charged = [o for o in orders if amount(o, "total_service_charge_money") > 0]
    assert discounted and (tipped or charged)
    assert len(discounted) < len(orders) // 2
    for order in discounted:
        assert {d["name"] for d in order["discounts"]} <= {"Loyalty reward", "Staff discount"}
        assert sum(amount(li, "total_discount_money") for li in order["line_items"]) == amount(order, "total_discount_money")
    payments = {p["order_id"]: p for p in read_jsonl(world_dir / "square" / "payments.jsonl")}
    for order in tipped:
        payment = payments[order["id"]]
        assert amount(payment, "total_money") == amount(payment, "amount_money") + amount(payment, "tip_money")
        assert amount(order["tenders"][0], "tip_money") == amount(order, "total_tip_money")
    for order in charged:
        assert order["service_charges"][0]["name"] and amount(order, "total_service_charge_money") > 0
    classic = sales(world("classic"))
    assert not any(amount(o, k) for o in classic for k in ("total_discount_money", "total_tip_money",
                                                            "total_service_charge_money"))


# --- the Square directory -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed-7", "messy_pos", "eu_click_collect"])
def test_directory_profiles_exist_that_never_buy(world, name: str) -> None:
    world_dir = world(name)
    customers = read_jsonl(world_dir / "square" / "customers.jsonl")
    buying = {o.get("customer_id") for o in read_jsonl(world_dir / "square" / "orders.jsonl")}
    buying |= {a["customer_id"] for a in read_jsonl(world_dir / "square" / "loyalty_accounts.jsonl")}
    owners = {(r["source"], r["entity"], r["record_id"]): r["person_id"] for r in table(world_dir, "record_owners")}
    channels = {p["person_id"]: set(p["channels"]) for p in table(world_dir, "persons")}
    idle = [c for c in customers if c["id"] not in buying]
    assert len(idle) >= 5
    assert len({c["creation_source"] for c in idle}) >= 3
    idle_owners = [owners[("square", "customers", c["id"])] for c in idle]
    assert None in idle_owners, "junk and test profiles belong to nobody"
    people = [p for p in idle_owners if p is not None]
    assert people and all(p in channels for p in people)
    assert any("web" in channels[p] for p in people), "some sign-ups shop on another channel"


def test_classic_directory_has_only_buying_profiles(world) -> None:
    world_dir = world("classic")
    buying = {o.get("customer_id") for o in read_jsonl(world_dir / "square" / "orders.jsonl")}
    buying |= {a["customer_id"] for a in read_jsonl(world_dir / "square" / "loyalty_accounts.jsonl")}
    assert {c["id"] for c in read_jsonl(world_dir / "square" / "customers.jsonl")} <= buying


@pytest.mark.parametrize("name", ["seed-7", "messy_pos", "cross_border"])
def test_placeholder_contacts_are_shared_by_unrelated_profiles(world, name: str) -> None:
    world_dir = world(name)
    dialect = manifest(world_dir)["dialect"]
    junk = {p.format(domain=dialect["brand"]["domain"]) for p in dialect["placeholders"]}
    owners = {r["record_id"]: r["person_id"] for r in table(world_dir, "record_owners") if r["entity"] == "customers"}
    holders = defaultdict(set)
    for customer in read_jsonl(world_dir / "square" / "customers.jsonl"):
        for value in (customer.get("email_address"), customer.get("phone_number")):
            if value in junk:
                holders[value].add(owners[customer["id"]] or f"nobody-{customer['id']}")
    assert holders and set(holders) <= junk
    assert max(len(people) for people in holders.values()) >= 3


# --- the brand on Bluesky -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed-7", "common_word_brand", "messy_pos"])
def test_common_word_brand_brings_off_topic_posts_that_are_not_touchpoints(world, name: str) -> None:
    world_dir = world(name)
    query = manifest(world_dir)["brand"]["search_query"]
    posts = {p["uri"]: p for p in read_jsonl(world_dir / "bluesky" / "posts.jsonl")}
    mentions = {m["uri"]: m for m in table(world_dir, "brand_mentions")}
    assert set(mentions) == set(posts)
    kinds = Counter(m["kind"] for m in mentions.values())
    assert kinds["off_topic"] > kinds["person_post"] > 0 and kinds["brand_post"] > 0
    assert all(m["about_brand"] == (m["kind"] != "off_topic") for m in mentions.values())
    assert all(query in p["record"]["text"].lower() for p in posts.values())
    touched = {t["record_id"] for t in table(world_dir, "touchpoints") if t["source"] == "bluesky"}
    off_topic = {uri for uri, m in mentions.items() if m["kind"] == "off_topic"}
    assert not touched & off_topic
    assert touched == {uri for uri, m in mentions.items() if m["kind"] == "person_post"}
    owners = {r["record_id"]: r["person_id"] for r in table(world_dir, "record_owners") if r["source"] == "bluesky"}
    assert all(owners[uri] is None and owners[posts[uri]["author"]["did"]] is None for uri in off_topic)
    assert json.loads((world_dir / "truth" / "kpis.json").read_text())["brand_mentions"] == kinds["person_post"]


@pytest.mark.parametrize("name", ["classic", "eu_click_collect", "seed-1"])
def test_a_distinctive_brand_name_brings_no_off_topic_posts(world, name: str) -> None:
    kinds = Counter(m["kind"] for m in table(world(name), "brand_mentions"))
    assert kinds["off_topic"] == 0 and kinds["person_post"] > 0


def test_brand_names_follow_the_dialect(world) -> None:
    for name in ("classic", "eu_click_collect", "common_word_brand"):
        world_dir = world(name)
        brand = manifest(world_dir)["brand"]
        assert brand["name"] == PRESETS[name].brand.name
        text = " ".join(p["record"]["text"] for p in read_jsonl(world_dir / "bluesky" / "posts.jsonl"))
        assert PRESETS[name].brand.short in text


# --- households ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("share", [0.02, 0.08, 0.2])
def test_household_share_sets_how_many_join_a_household(share: float) -> None:
    registry, previous, joined = ContactRegistry(), None, 0
    for index in range(4000):
        person = draw_person(3, index, previous, 4000, 1_700_000_000, 1_731_536_000, 3, registry, share)
        joined += person.household_id != f"H{index:07d}"
        previous = person
    assert joined / 4000 == pytest.approx(share, abs=0.02)


# --- a store abroad -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["cross_border", "seed-2", "seed-42"])
def test_a_store_abroad_sells_in_its_own_currency_on_its_own_clock(world, name: str) -> None:
    world_dir = world(name)
    abroad = [p for p in table(world_dir, "locations") if p["country_code"] != "US"]
    assert [(p["currency"], p["timezone"]) for p in abroad] == [("CAD", "America/Toronto")]
    toronto = abroad[0]["location_id"]
    orders = read_jsonl(world_dir / "square" / "orders.jsonl")
    for order in orders:
        currencies = {v["currency"] for k, v in order.items() if k.endswith("_money")}
        assert currencies == {"CAD" if order["location_id"] == toronto else "USD"}
    local_hours = {int(o["created_at"][11:13]) for o in orders if o["location_id"] == toronto and "returns" not in o}
    assert local_hours and all(h >= 14 or h < 1 for h in local_hours)  # 10:00-20:00 in Toronto is 14-01 UTC
    web = read_jsonl(world_dir / "shopify" / "orders.jsonl")
    assert {o["currency"] for o in web} == {"USD"}
    toronto_shopify = abroad[0]["shopify_location_id"]
    assert not any(f["location_id"] == toronto_shopify for o in web for f in o["fulfillments"])
    kpis = json.loads((world_dir / "truth" / "kpis.json").read_text())
    assert set(kpis["revenue_by_channel_currency"]["store"]) == {"CAD", "USD"}
    assert set(kpis["revenue_by_channel_currency"]["web"]) == {"USD"}
    catalog = read_jsonl(world_dir / "square" / "catalog.jsonl")
    overrides = [o for item in catalog for v in item["item_data"]["variations"]
                 for o in v["item_variation_data"].get("location_overrides", [])]
    assert overrides and all(o["location_id"] == toronto and o["price_money"]["currency"] == "CAD" for o in overrides)


# --- truth KPIs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["seed-7", "classic", "cross_border"])
def test_new_kpis_match_the_raw_files(world, name: str) -> None:
    world_dir = world(name)
    kpis = json.loads((world_dir / "truth" / "kpis.json").read_text())
    assert "after discounts, before tax, shipping, tips and service charges" in kpis["revenue_basis"]
    warehouse = manifest(world_dir)["shopify_warehouse_location"]["id"]
    live = [o for o in read_jsonl(world_dir / "shopify" / "orders.jsonl") if o["cancelled_at"] is None]
    pickups = [o for o in live if o["shipping_address"] is None]
    from_store = [o for o in live if o["shipping_address"] is not None
                  and any(f["location_id"] != warehouse for f in o["fulfillments"])]
    assert kpis["pickup_in_store_orders"] == len(pickups) > 0
    assert kpis["ship_from_store_orders"] >= len(from_store) > 0  # unfulfilled ones have no fulfilment yet
    returned_in_store = [r for o in read_jsonl(world_dir / "shopify" / "orders.jsonl") for r in o["refunds"]
                         if any(i["location_id"] != warehouse for i in r["refund_line_items"])]
    assert kpis["cross_channel_returns"] == len(returned_in_store) > 0
    planted = [r for r in table(world_dir, "planted") if r["kind"] == "price_difference"]
    assert kpis["price_gap_sku_days_sold_both"] == sum(1 for r in planted if r["web_orders"] and r["store_orders"])


# --- drawing, naming, determinism ---------------------------------------------------------------------
def test_seeds_draw_visibly_different_dialects() -> None:
    drawn = [dialect_for_seed(seed) for seed in range(1, 9)]
    for knob in ("brand_key", "store_tax", "pickup_titles", "store_names", "foreign_store", "google_store_codes"):
        assert len({getattr(d, knob) for d in drawn}) >= 2, knob
    assert len({(d.brand_key, d.store_tax, d.pickup_titles, d.store_names) for d in drawn}) == len(drawn)
    assert dialect_for_seed(5) == dialect_for_seed(5)


def test_the_manifest_records_the_dialect_and_rebuilds_it(world) -> None:
    for name in ("seed-7", "classic", "cross_border"):
        recorded = manifest(world(name))["dialect"]
        assert recorded["name"] == name
        expected = dialect_for_seed(SEED) if name == "seed-7" else PRESETS[name]
        assert Dialect.from_manifest(recorded) == expected


def test_an_unknown_dialect_is_refused_with_the_choices(capsys) -> None:
    assert main(["generate", "--scale", "tiny", "--out", "/nonexistent/x", "--dialect", "nope"]) == 2
    assert "cross_border" in capsys.readouterr().err


def test_a_non_classic_world_is_deterministic_and_advance_equals_generate(world, tmp_path: Path) -> None:
    full = world("cross_border")
    again = tmp_path / "again"
    assert main(["generate", "--scale", "tiny", "--seed", str(SEED), "--out", str(again),
                 "--dialect", "cross_border"]) == 0
    assert tree_digests(again) == tree_digests(full)
    early = generate_world("tiny", SEED, tmp_path / "early", as_of=date(2026, 8, 1), dialect="cross_border")
    advance_world(early, 92)
    assert tree_digests(early) == tree_digests(full)


def test_square_catalog_objects_are_items_with_nested_variations(world) -> None:
    for name in ("seed-7", "classic", "cross_border"):
        for item in read_jsonl(world(name) / "square" / "catalog.jsonl"):
            assert item["type"] == "ITEM" and len(item["item_data"]["variations"]) == 1
            variation = item["item_data"]["variations"][0]
            assert variation["type"] == "ITEM_VARIATION" and variation["item_variation_data"]["item_id"] == item["id"]
            assert re.fullmatch(r"LS-[A-Z]{3}-\d{4}", variation["item_variation_data"]["sku"])


@pytest.mark.parametrize("name", ["cross_border", "messy_pos", "eu_click_collect"])
def test_square_records_of_other_dialects_validate_against_the_openapi_schemas(world, name: str) -> None:
    schemas = {"locations": "Location", "catalog": "CatalogObject", "customers": "Customer", "orders": "Order",
               "payments": "Payment", "refunds": "PaymentRefund", "loyalty_accounts": "LoyaltyAccount"}
    for entity, schema in schemas.items():
        for record in read_jsonl(world(name) / "square" / f"{entity}.jsonl"):
            errors = square_errors(record, schema)
            assert errors == [], f"{name} square/{entity} {record.get('id')}: {errors[:3]}"
