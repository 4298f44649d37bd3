"""A small world (a few hundred records per source) in the vendors' exact API shapes, written by
hand from their documentation: the sandbox tests serve it next to a simulator world, and the connector
tests load it because it holds every file the sandboxes serve (locations, catalog) whatever the
simulator writes yet."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
GOOGLE_ACCOUNT = "108437612345678901234"
BRAND_HANDLE = "northwind.bsky.social"
BRAND_DID = "did:plc:northwindbrand0000000000"
FIRST_NAMES = ["Ava", "Ben", "Chloe", "Dan", "Eve", "Finn", "Grace", "Hugo", "Iris", "Jack", "Kai", "Lena"]
LAST_NAMES = ["Smith", "Jones", "García", "Nguyen", "Müller", "O'Brien", "Kowalski", "Rossi", "Kim", "Patel"]
BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def _shop_time(moment: datetime) -> str:
    """Shopify: shop-local time with offset, no fraction."""
    return (moment - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%S") + "-05:00"


def _z(moment: datetime, digits: int = 3) -> str:
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{moment.microsecond:06d}000"[:digits]
    return f"{base}.{fraction}Z" if digits else f"{base}Z"


def _money(amount: float) -> str:
    return f"{amount:.2f}"


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _moment(rng: random.Random, days_back: int = 500) -> datetime:
    return AS_OF - timedelta(
        days=rng.randint(2, days_back), seconds=rng.randint(0, 86_399), microseconds=rng.randint(0, 999_999)
    )


def _shopify(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    customers, orders, checkouts = [], [], []
    products = []
    for index in range(12):
        product_id = 8_100_000_000 + index
        updated = _moment(rng)
        products.append(
            {
                "id": product_id,
                "title": f"Linen Shirt {index}",
                "body_html": None,
                "vendor": "Northwind",
                "product_type": "Shirts",
                "created_at": _shop_time(updated - timedelta(days=30)),
                "handle": f"linen-shirt-{index}",
                "updated_at": _shop_time(updated),
                "published_at": None,
                "status": "active",
                "tags": "",
                "admin_graphql_api_id": f"gid://shopify/Product/{product_id}",
                "variants": [
                    {
                        "id": 44_000_000_000 + index,
                        "product_id": product_id,
                        "sku": f"SKU-{index:03d}",
                        "price": _money(20 + index),
                        "compare_at_price": None,
                        "updated_at": _shop_time(updated),
                        "title": "Default Title",
                        "admin_graphql_api_id": f"gid://shopify/ProductVariant/{44_000_000_000 + index}",
                    }
                ],
            }
        )
    for index in range(123):
        customer_id = 7_000_000_000 + index * 7
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = _moment(rng)
        updated = created + timedelta(days=rng.randint(0, 30))
        customers.append(
            {
                "id": customer_id,
                "email": f"{first.lower()}.{index}@example.com",
                "created_at": _shop_time(created),
                "updated_at": _shop_time(min(updated, AS_OF)),
                "first_name": first,
                "last_name": last,
                "orders_count": rng.randint(0, 4),
                "state": "enabled",
                "total_spent": _money(rng.uniform(0, 400)),
                "last_order_id": None,
                "note": None,
                "verified_email": True,
                "tax_exempt": False,
                "tags": "",
                "currency": "USD",
                "phone": f"+1555{index:07d}" if index % 3 else None,
                "default_address": {
                    "city": "Portland",
                    "province": "Oregon",
                    "zip": "97201",
                    "country_code": "US",
                },
                "admin_graphql_api_id": f"gid://shopify/Customer/{customer_id}",
            }
        )
    for index in range(131):
        order_id = 5_500_000_000 + index * 3
        customer = rng.choice(customers)
        created = _moment(rng)
        product = rng.choice(products)
        quantity = rng.randint(1, 3)
        price = float(product["variants"][0]["price"])
        pickup = index % 5 == 0
        cancelled = index % 17 == 0
        closed = index % 4 == 0
        orders.append(
            {
                "id": order_id,
                "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
                "name": f"#{1000 + index}",
                "email": customer["email"],
                "phone": customer["phone"],
                "created_at": _shop_time(created),
                "updated_at": _shop_time(min(created + timedelta(days=rng.randint(0, 20)), AS_OF)),
                "processed_at": _shop_time(created),
                "cancelled_at": _shop_time(created + timedelta(hours=2)) if cancelled else None,
                "closed_at": _shop_time(created + timedelta(days=3)) if closed else None,
                "financial_status": "paid",
                "fulfillment_status": "fulfilled" if closed else None,
                "currency": "USD",
                "total_price": _money(price * quantity * 1.08),
                "subtotal_price": _money(price * quantity),
                "total_discounts": "0.00",
                "total_tax": _money(price * quantity * 0.08),
                "source_name": "pos" if index % 6 == 0 else "web",
                "location_id": 65_000_001 if index % 6 == 0 else None,
                "cart_token": f"c1-{index:08x}",
                "checkout_token": f"{index:032x}",
                "landing_site": "/?utm_source=bluesky",
                "referring_site": "https://bsky.app/",
                "note": None,
                "customer": {
                    "id": customer["id"],
                    "email": customer["email"],
                    "phone": customer["phone"],
                    "first_name": customer["first_name"],
                    "last_name": customer["last_name"],
                },
                "line_items": [
                    {
                        "id": 13_000_000_000 + index,
                        "product_id": product["id"],
                        "variant_id": product["variants"][0]["id"],
                        "sku": product["variants"][0]["sku"],
                        "title": product["title"],
                        "quantity": quantity,
                        "price": _money(price),
                    }
                ],
                "shipping_lines": [{"code": "Pearl District", "title": "Pearl District", "price": "0.00"}]
                if pickup
                else [],
                "fulfillments": [
                    {
                        "id": 4_100_000_000 + index,
                        "status": "success",
                        "location_id": 65_000_002 if pickup else 65_000_001,
                        "created_at": _shop_time(created + timedelta(days=1)),
                    }
                ]
                if closed
                else [],
                "refunds": [
                    {
                        "id": 9_000_000_000 + index,
                        "created_at": _shop_time(created + timedelta(days=9)),
                        "refund_line_items": [
                            {
                                "line_item_id": 13_000_000_000 + index,
                                "quantity": 1,
                                "subtotal": round(price, 2),
                                "total_tax": round(price * 0.08, 2),
                            }
                        ],
                    }
                ]
                if index % 11 == 0
                else [],
            }
        )
    for index in range(37):
        created = _moment(rng)
        customer = rng.choice(customers)
        product = rng.choice(products)
        checkout_id = 3_300_000_000 + index
        checkouts.append(
            {
                "id": checkout_id,
                "token": f"{checkout_id:032x}",
                "cart_token": f"c1-ab{index:06x}",
                "email": customer["email"],
                "phone": None,
                "created_at": _shop_time(created),
                "updated_at": _shop_time(created + timedelta(minutes=20)),
                "completed_at": None,
                "closed_at": _shop_time(created + timedelta(days=2)) if index % 9 == 0 else None,
                "total_price": _money(float(product["variants"][0]["price"])),
                "currency": "USD",
                "abandoned_checkout_url": f"https://northwind.example/checkouts/{checkout_id}/recover",
                "line_items": [
                    {
                        "key": f"{product['variants'][0]['id']}:{index}",
                        "product_id": product["id"],
                        "variant_id": product["variants"][0]["id"],
                        "sku": product["variants"][0]["sku"],
                        "title": product["title"],
                        "quantity": 1,
                        "price": product["variants"][0]["price"],
                    }
                ],
                "shipping_lines": [
                    {
                        "id": f"shopify-Standard-{index}",
                        "code": "Standard",
                        "title": "Standard",
                        "price": "5.00",
                    }
                ],
                "customer": {
                    "id": customer["id"],
                    "email": customer["email"],
                    "first_name": customer["first_name"],
                    "last_name": customer["last_name"],
                },
            }
        )
    locations = []
    for index, (name, address1, city, zip_code) in enumerate(
        [
            ("Northwind - Pearl District", "1 NW Main St", "Portland", "97209"),
            ("Hawthorne", "3402 SE Hawthorne Blvd", "Portland", "97214"),
            ("Northwind Eugene", "44 W Broadway", "Eugene", "97401"),
            ("Northwind Fulfillment", "9 Industrial Way", "Tualatin", "97062"),
            ("Old Pop-up", "12 Market St", "Bend", "97701"),
        ]
    ):
        location_id = 70_000_000_000 + index
        created = _moment(rng, 900)
        locations.append(
            {
                "id": location_id,
                "name": name,
                "address1": address1,
                "address2": None if index % 2 else "Suite 100",
                "city": city,
                "zip": zip_code,
                "province": "Oregon",
                "country": "US",
                "phone": None if index == 3 else f"503555{index:04d}",
                "created_at": _shop_time(created),
                "updated_at": _shop_time(created + timedelta(days=index)),
                "country_code": "US",
                "country_name": "United States",
                "province_code": "OR",
                "legacy": False,
                "active": index != 4,
                "admin_graphql_api_id": f"gid://shopify/Location/{location_id}",
                "localized_country_name": "United States",
                "localized_province_name": "Oregon",
            }
        )
    return {
        "customers": customers,
        "orders": orders,
        "fulfillment_orders": _fulfillment_orders(orders, locations),
        "checkouts": checkouts,
        "products": products,
        "locations": locations,
    }


def _fulfillment_orders(orders: list[dict[str, Any]], locations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each order's fulfillment orders (REST 2024-04 FulfillmentOrder); every tenth order is split
    over two locations, as Shopify does when no one location stocks everything."""
    store, warehouse = locations[0], locations[3]
    records = []
    for index, order in enumerate(orders):
        pickup = bool(order["shipping_lines"])
        status = ("cancelled" if order["cancelled_at"] else "closed" if order["fulfillment_status"] else "open")
        parts = [store if pickup else warehouse] + ([store] if index % 10 == 3 else [])
        for part, location in enumerate(parts):
            fo_id = 6_200_000_000 + index * 4 + part
            item = order["line_items"][0]
            records.append({
                "id": fo_id, "shop_id": 60_000_001, "order_id": order["id"],
                "assigned_location_id": location["id"], "request_status": "unsubmitted", "status": status,
                "supported_actions": ["create_fulfillment"] if status == "open" else [],
                "destination": None if pickup else {
                    "id": fo_id + 1, "address1": None, "address2": None, "city": "Portland", "company": None,
                    "country": "United States", "email": order["email"], "first_name": None, "last_name": None,
                    "phone": None, "province": "Oregon", "zip": "97201"},
                "line_items": [{
                    "id": fo_id * 10, "shop_id": 60_000_001, "fulfillment_order_id": fo_id,
                    "quantity": item["quantity"], "line_item_id": item["id"], "inventory_item_id": item["variant_id"] + 7,
                    "fulfillable_quantity": item["quantity"] if status == "open" else 0, "variant_id": item["variant_id"],
                }],
                "international_duties": None, "fulfill_at": order["created_at"], "fulfill_by": None,
                "fulfillment_holds": [], "created_at": order["created_at"], "updated_at": order["updated_at"],
                "delivery_method": {"id": fo_id + 2, "method_type": "pick_up" if pickup else "shipping",
                                    "min_delivery_date_time": None, "max_delivery_date_time": None},
                "assigned_location": {
                    "address1": location["address1"], "address2": location["address2"], "city": location["city"],
                    "country_code": location["country_code"], "location_id": location["id"],
                    "name": location["name"], "phone": location["phone"], "province": location["province"],
                    "zip": location["zip"]},
                "merchant_requests": [],
            })
    return records


def _square_id(rng: random.Random, length: int = 26) -> str:
    return "".join(rng.choice("ABCDEFGHJKMNPQRSTVWXYZ0123456789") for _ in range(length))


def _square(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    locations = [
        {
            "id": f"L{index}PEARL{index:04d}",
            "name": name,
            "address": {
                "address_line_1": "1 Main St",
                "locality": city,
                "administrative_district_level_1": "OR",
                "postal_code": postal,
                "country": "US",
            },
            "timezone": "America/Los_Angeles",
            "capabilities": ["CREDIT_CARD_PROCESSING"],
            "status": "ACTIVE",
            "created_at": _z(AS_OF - timedelta(days=900 - index)),
            "merchant_id": "MLNORTHWIND01",
            "country": "US",
            "language_code": "en-US",
            "currency": "USD",
            "business_name": "Northwind",
            "type": "PHYSICAL",
        }
        for index, (name, city, postal) in enumerate(
            [
                ("Pearl District", "Portland", "97209"),
                ("Hawthorne", "Portland", "97214"),
                ("Eugene Downtown", "Eugene", "97401"),
            ]
        )
    ]
    customers = []
    for index in range(157):
        created = _moment(rng)
        given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        customer = {
            "id": _square_id(rng),
            "created_at": _z(created),
            "updated_at": _z(min(created + timedelta(days=rng.randint(0, 40)), AS_OF)),
            "given_name": given,
            "family_name": family,
            "email_address": f"{given.lower()}{index}@example.net",
            "phone_number": f"+1503555{index:04d}",
            "reference_id": f"LOY-{index}",
            "creation_source": "THIRD_PARTY",
            "preferences": {"email_unsubscribed": False},
            "version": rng.randint(0, 5),
        }
        if index % 10 == 0:
            del customer["email_address"]
        customers.append(customer)
    orders, payments, refunds = [], [], []
    for index in range(611):
        location = locations[index % 3]
        created = _moment(rng)
        quantity = rng.randint(1, 4)
        price = rng.randint(1500, 9000)
        order_id = _square_id(rng, 29)
        customer = rng.choice(customers) if index % 4 else None
        state = "COMPLETED" if index % 13 else "OPEN"
        order = {
            "id": order_id,
            "location_id": location["id"],
            "source": {"name": "Square Point of Sale"},
            "line_items": [
                {
                    "uid": _square_id(rng, 22),
                    "catalog_object_id": _square_id(rng),
                    "name": f"Linen Shirt {index % 12}",
                    "quantity": str(quantity),
                    "base_price_money": {"amount": price, "currency": "USD"},
                    "total_money": {"amount": price * quantity, "currency": "USD"},
                }
            ],
            "created_at": _z(created),
            "updated_at": _z(min(created + timedelta(hours=rng.randint(0, 300)), AS_OF)),
            "state": state,
            "version": 4,
            "total_money": {"amount": price * quantity, "currency": "USD"},
            "total_tax_money": {"amount": 0, "currency": "USD"},
        }
        if customer:
            order["customer_id"] = customer["id"]
        if state == "COMPLETED":
            order["closed_at"] = order["created_at"]
            payment_id = _square_id(rng, 29)
            order["tenders"] = [
                {
                    "id": payment_id,
                    "location_id": location["id"],
                    "transaction_id": order_id,
                    "created_at": order["created_at"],
                    "amount_money": order["total_money"],
                    "type": "CARD",
                    "card_details": {"status": "CAPTURED", "entry_method": "EMV"},
                }
            ]
            payments.append(
                {
                    "id": payment_id,
                    "created_at": order["created_at"],
                    "updated_at": order["updated_at"],
                    "amount_money": order["total_money"],
                    "total_money": order["total_money"],
                    "status": "COMPLETED",
                    "source_type": "CARD",
                    "location_id": location["id"],
                    "order_id": order_id,
                    **({"customer_id": customer["id"]} if customer else {}),
                    "receipt_number": payment_id[:4],
                    "version_token": _square_id(rng, 20),
                }
            )
            if index % 15 == 0:
                refund_at = min(created + timedelta(days=5), AS_OF)
                refunds.append(
                    {
                        "id": f"{payment_id}_{_square_id(rng, 20)}",
                        "status": "COMPLETED",
                        "location_id": location["id"],
                        "amount_money": {"amount": price, "currency": "USD"},
                        "payment_id": payment_id,
                        "order_id": order_id,
                        "reason": "Returned in store",
                        "created_at": _z(refund_at),
                        "updated_at": _z(refund_at),
                    }
                )
        orders.append(order)
    loyalty = []
    for index, customer in enumerate(customers[:64]):
        created = customer["created_at"]
        loyalty.append(
            {
                "id": f"{index:08x}-aaaa-bbbb-cccc-{index:012x}",
                "program_id": "d619f755-2d17-41f3-990d-c04ecedd64dd",
                "balance": rng.randint(0, 300),
                "lifetime_points": rng.randint(300, 900),
                "customer_id": customer["id"],
                "enrolled_at": created,
                "created_at": created,
                "updated_at": customer["updated_at"],
                "mapping": {
                    "id": f"{index:08x}-mmmm-0000-0000-{index:012x}",
                    "created_at": created,
                    "phone_number": customer["phone_number"],
                },
            }
        )
    return {
        "locations": locations,
        "catalog": _square_catalog(rng),
        "customers": customers,
        "orders": orders,
        "payments": payments,
        "refunds": refunds,
        "loyalty_accounts": loyalty,
    }


def _square_catalog(rng: random.Random) -> list[dict[str, Any]]:
    """CatalogObject ITEMs with their ITEM_VARIATIONs nested, one item deleted, one variation deleted."""
    items = []
    for index in range(40):  # items and their variations exceed ListCatalog's page of 100
        item_id = _square_id(rng, 24)
        updated = _z(_moment(rng))
        version = 1_700_000_000_000 + index
        variations = []
        for number, label in enumerate(["Regular", "Large", "One Size"][: 1 + index % 3]):
            variations.append(
                {
                    "type": "ITEM_VARIATION",
                    "id": _square_id(rng, 24),
                    "updated_at": updated,
                    "version": version,
                    "is_deleted": index == 5 and number == 1,
                    "present_at_all_locations": True,
                    "item_variation_data": {
                        "item_id": item_id,
                        "name": label,
                        "sku": f"NW-{index:03d}-{number}",
                        "ordinal": number,
                        "pricing_type": "FIXED_PRICING",
                        "price_money": {"amount": 1500 + 250 * index + 100 * number, "currency": "USD"},
                    },
                }
            )
        items.append(
            {
                "type": "ITEM",
                "id": item_id,
                "updated_at": updated,
                "version": version,
                "is_deleted": index == 7,
                "present_at_all_locations": True,
                "item_data": {"name": f"Linen Shirt {index}", "variations": variations},
            }
        )
    return items


def _google(rng: random.Random, square_locations: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Business Information v1 Locations (plus the sandbox's `account` routing key) and v4 reviews."""
    locations = [
        {
            "name": f"locations/{1000 + index}",
            "title": f"Northwind {location['name']}",
            "storeCode": f"NW-{index:02d}",
            "storefrontAddress": {
                "regionCode": "US",
                "languageCode": "en",
                "postalCode": f"{location['address']['postal_code']}-0{index}12",
                "administrativeArea": "OR",
                "locality": location["address"]["locality"],
                "addressLines": ["1 Main Street", "Suite 100"] if index == 0 else ["1 Main Street"],
            },
            "account": f"accounts/{GOOGLE_ACCOUNT}",
        }
        for index, location in enumerate(square_locations)
    ]
    for index in range(9):  # enough locations for v1 pages of the default size (10) to matter
        locations.append({
            "name": f"locations/{2000 + index}",
            "title": f"Northwind outlet {index}",
            "storefrontAddress": {"regionCode": "US", "postalCode": "97000", "addressLines": [f"{index} Oak St"]},
            "account": f"accounts/{GOOGLE_ACCOUNT}",
        })
    reviews = []
    stars = ["ONE", "TWO", "THREE", "FOUR", "FIVE"]
    for index in range(143):
        location = locations[0] if index % 3 else locations[1]
        created = _moment(rng)
        review_id = f"AbFvOq{index:05d}{_square_id(rng, 12)}"
        review: dict[str, Any] = {
            "name": f"{location['account']}/{location['name']}/reviews/{review_id}",
            "reviewId": review_id,
            "reviewer": {
                "displayName": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.",
                "profilePhotoUrl": f"https://lh3.googleusercontent.com/a/{review_id}",
            },
            "starRating": stars[index % 5],
            "createTime": _z(created, digits=(0, 3, 6, 9)[index % 4]),
            "updateTime": _z(min(created + timedelta(days=index % 7), AS_OF), digits=3),
        }
        if index % 4:
            review["comment"] = "Lovely linen, friendly staff at the Pearl store."
        if index % 5 == 0:
            review["reviewReply"] = {
                "comment": "Thank you!",
                "updateTime": _z(min(created + timedelta(days=8), AS_OF)),
            }
        if index % 23 == 0:
            review["reviewer"] = {"displayName": "A Google User", "isAnonymous": True}
        reviews.append(review)
    return {"locations": locations, "reviews": reviews}


def _bluesky(rng: random.Random) -> list[dict[str, Any]]:
    posts = []
    for index in range(263):
        own = index % 4 == 0
        created = _moment(rng)
        did = BRAND_DID if own else f"did:plc:{''.join(rng.choice(BASE32) for _ in range(24))}"
        handle = BRAND_HANDLE if own else f"{rng.choice(FIRST_NAMES).lower()}{index}.bsky.social"
        text = (
            "New linen drop at Northwind! https://northwind.example/?utm_source=bluesky&utm_campaign=linen"
            if own
            else f"Just picked up a shirt from Northwind {'Pearl' if index % 2 else 'online'}, love it"
        )
        if index % 31 == 0:
            text = "Thinking about summer shirts"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": _z(created),
            "langs": ["en"],
        }
        rkey = "3k" + "".join(rng.choice(BASE32) for _ in range(11))
        posts.append(
            {
                "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
                "cid": "bafyrei" + "".join(rng.choice(BASE32) for _ in range(52)),
                "author": {
                    "did": did,
                    "handle": handle,
                    "displayName": "Northwind" if own else handle.split(".")[0].title(),
                },
                "record": record,
                "replyCount": rng.randint(0, 4),
                "repostCount": rng.randint(0, 9),
                "likeCount": rng.randint(0, 60),
                "quoteCount": rng.randint(0, 2),
                "indexedAt": _z(created + timedelta(seconds=rng.randint(1, 90))),
                "labels": [],
            }
        )
    return posts


def write_fixture_world(world: Path, seed: int = 7) -> Path:
    """A small world (a few hundred records per source) in the vendors' exact API shapes."""
    rng = random.Random(seed)
    for name, records in _shopify(rng).items():
        _write(world / "shopify" / f"{name}.jsonl", records)
    square = _square(rng)
    for name, records in square.items():
        _write(world / "square" / f"{name}.jsonl", records)
    google = _google(rng, square["locations"])
    _write(world / "google" / "locations.jsonl", google["locations"])
    _write(world / "google" / "reviews.jsonl", google["reviews"])
    _write(world / "bluesky" / "posts.jsonl", _bluesky(rng))
    manifest = {
        "scale": "fixture",
        "seed": seed,
        "start": "2025-06-01T00:00:00Z",
        "end": _z(AS_OF, 0),
        "as_of": _z(AS_OF, 0),
        "currency": "USD",
        "brand": {"name": "Northwind", "bluesky_handle": BRAND_HANDLE, "search_query": "Northwind"},
        "google_account_id": GOOGLE_ACCOUNT,
        "counts": {},
    }
    (world / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return world


