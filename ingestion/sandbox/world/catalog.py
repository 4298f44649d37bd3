"""The retailer's fixed world: stores, products, promotions and the planted price differences.

Prices are a function of (sku, day, channel): a list price, promotion windows that discount both
channels alike, and planted windows where the store charges a different price than the web shop for
one SKU. The planted windows are the ground truth of the price-consistency KPI.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ingestion.sandbox.world import ids
from ingestion.sandbox.world.settings import GOOGLE_ACCOUNT_ID, Scale

_STORES = (
    ("Pearl District", "1220 NW Couch St", "Portland", "97209"),
    ("Hawthorne", "3625 SE Hawthorne Blvd", "Portland", "97214"),
    ("Beaverton Town Square", "11705 SW Beaverton Hillsdale Hwy", "Beaverton", "97005"),
    ("Lake Oswego", "333 S State St", "Lake Oswego", "97034"),
    ("Vancouver Waterfront", "700 W Columbia Way", "Vancouver", "98660"),
    ("Gresham Station", "699 NW 12th St", "Gresham", "97030"),
    ("Hillsboro Orenco", "1150 NE Orenco Station Pkwy", "Hillsboro", "97124"),
    ("Salem Riverfront", "220 Commercial St NE", "Salem", "97301"),
)
_PRODUCT_TYPES = (
    ("Rain Shell", 8900, 17900), ("Fleece Pullover", 5500, 9900), ("Trail Runner", 9900, 15900),
    ("Merino Beanie", 2400, 3900), ("Canvas Tote", 1800, 3400), ("Down Vest", 11900, 18900),
    ("Wool Socks", 1400, 2400), ("Daypack", 6900, 12900), ("Flannel Shirt", 4900, 7900),
    ("Insulated Bottle", 2200, 3800), ("Camp Mug", 1200, 2200), ("Hiking Boot", 14900, 22900),
)
_ADJECTIVES = ("Cascade", "Willamette", "Summit", "Alder", "Cedar", "Basalt", "Tillamook", "Fir", "Mist",
               "Ridge", "Columbia", "Juniper", "Hood", "Timber", "Ember")
SHOPIFY_WAREHOUSE_LOCATION = ("Larkspur Fulfilment Center", 71450208298)


@dataclass(frozen=True)
class Location:
    """One physical store, known under a different id by each system."""

    index: int
    name: str
    address: str
    city: str
    postal_code: str
    square_location_id: str
    shopify_location_id: int
    google_location_id: str

    @property
    def google_name(self) -> str:
        return f"accounts/{GOOGLE_ACCOUNT_ID}/locations/{self.google_location_id}"


@dataclass(frozen=True)
class Product:
    """One sellable item; a single variant per product keeps SKU = variant."""

    index: int
    sku: str
    title: str
    product_type: str
    list_cents: int
    popularity: float
    shopify_product_id: int
    shopify_variant_id: int
    square_variation_id: str


@dataclass(frozen=True)
class Promotion:
    """A sale window: every price in both channels is discounted by `percent_off`."""

    name: str
    start: date
    end: date  # inclusive
    percent_off: int


@dataclass(frozen=True)
class PlantedPriceGap:
    """A window in which the store charges `store_factor` times the web price for one SKU."""

    sku: str
    start: date
    end: date  # inclusive
    store_factor: float


def build_locations(seed: int, scale: Scale) -> list[Location]:
    """The first `scale.locations` stores, each with its Square, Shopify and Google ids."""
    return [
        Location(
            index=i, name=name, address=address, city=city, postal_code=zip_code,
            square_location_id=ids.square_id(seed, "location", i, 13),
            shopify_location_id=71450208300 + 37 * (i + 1),
            google_location_id=ids.numeric_id(seed, "google-location", i, 19),
        )
        for i, (name, address, city, zip_code) in enumerate(_STORES[: scale.locations])
    ]


def build_products(seed: int, scale: Scale) -> list[Product]:
    """`scale.products` products with Zipf-like popularity, so some SKUs sell every day."""
    rng = random.Random(f"{seed}:products")
    products = []
    for i in range(scale.products):
        product_type, low, high = _PRODUCT_TYPES[i % len(_PRODUCT_TYPES)]
        adjective = _ADJECTIVES[(i // len(_PRODUCT_TYPES)) % len(_ADJECTIVES)]
        price = (rng.randrange(low, high) // 100) * 100 + 99 - 100
        products.append(Product(
            index=i,
            sku=f"LS-{product_type[:3].upper()}-{1000 + i}",
            title=f"{adjective} {product_type}",
            product_type=product_type,
            list_cents=price,
            popularity=1.0 / (1 + i) ** 0.9,
            shopify_product_id=8_812_340_000_000 + 1_157 * i,
            shopify_variant_id=45_201_880_000_000 + 2_311 * i,
            square_variation_id=ids.square_id(seed, "variation", i, 24),
        ))
    return products


def build_promotions(start: date, end: date) -> list[Promotion]:
    """Recurring retail sale windows for every year the world may reach (with room for advances)."""
    promos = []
    for year in range(start.year, end.year + 3):
        promos += [
            Promotion("spring-refresh", date(year, 4, 10), date(year, 4, 16), 15),
            Promotion("summer-trail", date(year, 7, 1), date(year, 7, 7), 20),
            Promotion("black-friday", _black_friday(year), _black_friday(year) + timedelta(days=3), 25),
            Promotion("holiday", date(year, 12, 12), date(year, 12, 22), 10),
        ]
    return promos


def _black_friday(year: int) -> date:
    november_first = date(year, 11, 1)
    first_thursday = november_first + timedelta(days=(3 - november_first.weekday()) % 7)
    return first_thursday + timedelta(days=22)


def build_planted_gaps(seed: int, products: list[Product], start: date, end: date) -> list[PlantedPriceGap]:
    """About two store/web price gaps a month on popular SKUs, over the window plus a reserve year."""
    rng = random.Random(f"{seed}:planted-prices")
    popular = products[: max(4, len(products) // 3)]
    gaps = []
    day = start + timedelta(days=rng.randrange(3, 12))
    horizon = end + timedelta(days=400)
    while day < horizon:
        length = rng.randrange(2, 6)
        factor = rng.choice((0.85, 0.9, 0.95, 1.05, 1.1, 1.2))
        gaps.append(PlantedPriceGap(rng.choice(popular).sku, day, day + timedelta(days=length - 1), factor))
        day += timedelta(days=rng.randrange(8, 22))
    return gaps


class PriceBook:
    """Unit prices in cents for a SKU on a day in a channel (`web` or `store`)."""

    def __init__(self, products: list[Product], promotions: list[Promotion], gaps: list[PlantedPriceGap]):
        self._list = {p.sku: p.list_cents for p in products}
        self._promo_by_day: dict[date, Promotion] = {}
        for promo in promotions:
            day = promo.start
            while day <= promo.end:
                self._promo_by_day[day] = promo
                day += timedelta(days=1)
        self._gap: dict[tuple[str, date], float] = {}
        for gap in gaps:
            day = gap.start
            while day <= gap.end:
                self._gap[(gap.sku, day)] = gap.store_factor
                day += timedelta(days=1)

    def promotion_on(self, day: date) -> Promotion | None:
        return self._promo_by_day.get(day)

    def web_price(self, sku: str, day: date) -> int:
        promo = self._promo_by_day.get(day)
        cents = self._list[sku]
        if promo:
            cents = _round_to_99(cents * (100 - promo.percent_off) / 100)
        return cents

    def store_price(self, sku: str, day: date) -> int:
        web = self.web_price(sku, day)
        factor = self._gap.get((sku, day))
        if factor is None:
            return web
        planted = _round_to_99(web * factor)
        return planted if planted != web else web + (100 if factor > 1 else -100)

    def price(self, sku: str, day: date, channel: str) -> int:
        return self.web_price(sku, day) if channel == "web" else self.store_price(sku, day)


def _round_to_99(cents: float) -> int:
    """Retail rounding: x.99 just below the computed price."""
    return max(99, int(cents // 100) * 100 + 99 - (100 if cents % 100 < 99 else 0))
