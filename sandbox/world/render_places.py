"""The stores as each system lists them: Shopify Locations, Square Locations, Google Business Profile locations.

A merchant names a store independently in every system and each system writes its address its own
way (the dialect decides: abbreviations or full words, ZIP or ZIP+4, trailing dots), while the place
is the same. Matching stores across systems therefore has to go by street and postcode, names being
weak evidence (docs/DIALECTS.md). truth/locations.parquet records which ids are the same place.
"""

import pyarrow as pa

from sandbox.world.catalog import (
    SHOPIFY_WAREHOUSE_ID,
    WAREHOUSE_ADDRESS,
    WAREHOUSE_STREET,
    Location,
    store_name,
    street_line,
)
from sandbox.world.output import shop_time, utc_millis
from sandbox.world.settings import GOOGLE_ACCOUNT_ID, SQUARE_MERCHANT_ID
from sandbox.world.simulate import World

SHOPIFY, SQUARE, GOOGLE = 0, 1, 2  # index of each system in the dialect's per-system tuples
_LANGUAGE = {"US": "en-US", "CA": "en-CA"}
_PHONE_AREA = {"US": "503", "CA": "416"}


def _name(world: World, location: Location, system: int) -> str:
    return store_name(location, world.dialect.store_names[system], world.brand)


def _street(world: World, location: Location, system: int) -> str:
    return street_line(location.street, world.dialect.address_styles[system])


def _postcode(world: World, location: Location, system: int) -> str:
    return location.postcode(world.dialect.zip_plus4[system])


def shopify_name(world: World, location: Location) -> str:
    """The store's name in Shopify: the default title of a local-pickup shipping line."""
    return _name(world, location, SHOPIFY)


def warehouse_name(world: World) -> str:
    return f"{world.brand.short} Fulfilment Center"


def _phone(location: Location) -> str:
    return f"+1{_PHONE_AREA[location.country]}555{location.index:04d}"


def shopify_locations(world: World) -> list[dict]:
    """Shopify Location objects (Admin REST 2024-04): the stores, then the fulfilment centre."""
    opened = shop_time(world.start_ts - 900 * 86_400)
    records = []
    for location in world.locations:
        records.append(_shopify_location(location.shopify_location_id, shopify_name(world, location),
                                         _street(world, location, SHOPIFY), location.city,
                                         _postcode(world, location, SHOPIFY), location.state, location.state_name,
                                         location.country, location.country_name, _phone(location), opened))
    warehouse_zip = WAREHOUSE_ADDRESS["zip"] + (f"-{WAREHOUSE_ADDRESS['zip4']}" if world.dialect.zip_plus4[SHOPIFY]
                                               else "")
    records.append(_shopify_location(
        SHOPIFY_WAREHOUSE_ID, warehouse_name(world), street_line(WAREHOUSE_STREET, world.dialect.address_styles[SHOPIFY]),
        WAREHOUSE_ADDRESS["city"], warehouse_zip, WAREHOUSE_ADDRESS["state"], "Oregon", "US", "United States", None,
        opened))
    return sorted(records, key=lambda r: r["id"])


def _shopify_location(location_id: int, name: str, address1: str, city: str, zip_code: str, province_code: str,
                      province: str, country: str, country_name: str, phone: str | None, opened: str) -> dict:
    return {
        "id": location_id, "name": name, "address1": address1, "address2": None, "city": city, "zip": zip_code,
        "province": province, "country": country, "phone": phone, "created_at": opened, "updated_at": opened,
        "country_code": country, "country_name": country_name, "province_code": province_code, "legacy": False,
        "active": True, "admin_graphql_api_id": f"gid://shopify/Location/{location_id}",
        "localized_country_name": country_name, "localized_province_name": province,
    }


def square_locations(world: World) -> list[dict]:
    """Square Location objects: each store with its address, country, currency and its own time zone."""
    opened = utc_millis(world.start_ts - 900 * 86_400)
    return [{
        "id": location.square_location_id, "name": _name(world, location, SQUARE),
        "address": {"address_line_1": _street(world, location, SQUARE), "locality": location.city,
                    "administrative_district_level_1": location.state,
                    "postal_code": _postcode(world, location, SQUARE), "country": location.country},
        "timezone": location.timezone, "capabilities": ["CREDIT_CARD_PROCESSING"], "status": "ACTIVE",
        "created_at": opened, "merchant_id": SQUARE_MERCHANT_ID, "country": location.country,
        "language_code": _LANGUAGE[location.country], "currency": location.currency,
        "phone_number": _phone(location), "business_name": world.brand.name, "type": "PHYSICAL",
        "business_email": f"stores@{world.brand.domain}", "mcc": "5699",
    } for location in world.locations]


def google_store_code(world: World, location: Location) -> str | None:
    return {"square_id": location.square_location_id, "merchant_code": location.merchant_code,
            "none": None}[world.dialect.google_store_codes]


def google_locations(world: World) -> list[dict]:
    """Business Information API v1 Locations; "account" only routes the sandbox (a server never returns it)."""
    records = []
    for location in world.locations:
        record = {"name": location.google_v1_name, "title": _name(world, location, GOOGLE)}
        code = google_store_code(world, location)
        if code:
            record["storeCode"] = code
        record["storefrontAddress"] = {
            "regionCode": location.country, "languageCode": "en", "postalCode": _postcode(world, location, GOOGLE),
            "administrativeArea": location.state, "locality": location.city,
            "addressLines": [_street(world, location, GOOGLE)],
        }
        record["account"] = f"accounts/{GOOGLE_ACCOUNT_ID}"
        records.append(record)
    return records


def locations_table(world: World) -> pa.Table:
    """truth/locations.parquet: which Square, Shopify and Google ids are one place."""
    locations = world.locations
    return pa.table({
        "location_id": [loc.square_location_id for loc in locations],
        "shopify_location_id": pa.array([loc.shopify_location_id for loc in locations], type=pa.int64()),
        "google_location_name": [loc.google_v1_name for loc in locations],
        "country_code": [loc.country for loc in locations],
        "currency": [loc.currency for loc in locations],
        "timezone": [loc.timezone for loc in locations],
    })
