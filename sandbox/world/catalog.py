"""The retailer's fixed world: stores, products, promotions and the planted price differences.

Prices are a function of (sku, day, channel): a list price, promotion windows that discount both
channels alike, and planted windows where the store charges a different price than the web shop for
one SKU. The planted windows are the ground truth of the price-consistency KPI.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sandbox.world import ids
from sandbox.world.settings import GOOGLE_ACCOUNT_ID, SHOP_TIMEZONE_NAME, Scale

# Stores: (area, alias, street (number, pre-directional, name, suffix, post-directional), city, state,
# postcode, ZIP+4 extension). Each system writes the address its own way (see `street_line`).
_STORES = (
    ("Pearl District", "The Pearl", ("1220", "NW", "Couch", "St", ""), "Portland", "OR", "97209", "1817"),
    ("Hawthorne", "Hawthorne Blvd", ("3625", "SE", "Hawthorne", "Blvd", ""), "Portland", "OR", "97214", "5142"),
    ("Beaverton Town Square", "Beaverton", ("11705", "SW", "Beaverton Hillsdale", "Hwy", ""), "Beaverton", "OR",
     "97005", "2838"),
    ("Lake Oswego", "Lake O", ("333", "S", "State", "St", ""), "Lake Oswego", "OR", "97034", "3907"),
    ("Vancouver Waterfront", "The Waterfront", ("700", "W", "Columbia", "Way", ""), "Vancouver", "WA", "98660",
     "3352"),
    ("Gresham Station", "Gresham", ("699", "NW", "12th", "St", ""), "Gresham", "OR", "97030", "7207"),
    ("Hillsboro Orenco", "Orenco Station", ("1150", "NE", "Orenco Station", "Pkwy", ""), "Hillsboro", "OR", "97124",
     "6612"),
    ("Salem Riverfront", "Downtown Salem", ("220", "", "Commercial", "St", "NE"), "Salem", "OR", "97301", "3410"),
)
# One store abroad (dialect knob `foreign_store`): its own country, currency, time zone and price list.
FOREIGN_STORES = {
    "toronto": {"store": ("Toronto Queen West", "Queen West", ("555", "", "Queen", "St", "W"), "Toronto", "ON",
                          "M5V 2B4", None),
                "country": "CA", "currency": "CAD", "timezone": "America/Toronto", "fx": 1.37},
}
_FX = {spec["currency"]: spec["fx"] for spec in FOREIGN_STORES.values()}
_STATES = {"OR": "Oregon", "WA": "Washington", "ON": "Ontario"}
_COUNTRIES = {"US": "United States", "CA": "Canada"}
_DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West", "NW": "Northwest", "NE": "Northeast",
               "SW": "Southwest", "SE": "Southeast"}
_SUFFIXES = {"Rd": "Road", "St": "Street", "Blvd": "Boulevard", "Hwy": "Highway", "Way": "Way", "Pkwy": "Parkway"}
_PRODUCT_TYPES = (
    ("Rain Shell", 8900, 17900), ("Fleece Pullover", 5500, 9900), ("Trail Runner", 9900, 15900),
    ("Merino Beanie", 2400, 3900), ("Canvas Tote", 1800, 3400), ("Down Vest", 11900, 18900),
    ("Wool Socks", 1400, 2400), ("Daypack", 6900, 12900), ("Flannel Shirt", 4900, 7900),
    ("Insulated Bottle", 2200, 3800), ("Camp Mug", 1200, 2200), ("Hiking Boot", 14900, 22900),
)
_ADJECTIVES = ("Cascade", "Willamette", "Summit", "Alder", "Cedar", "Basalt", "Tillamook", "Fir", "Mist",
               "Ridge", "Columbia", "Juniper", "Hood", "Timber", "Ember")
# The web shop's fulfilment centre (Shopify only): ships and takes back mailed returns.
SHOPIFY_WAREHOUSE_ID = 71450208298
WAREHOUSE_STREET = ("6400", "NE", "Cornfoot", "Rd", "")
WAREHOUSE_ADDRESS = {"city": "Portland", "state": "OR", "zip": "97218", "zip4": "2742"}


@dataclass(frozen=True)
class Location:
    """One physical store, known under a different id, name and address spelling by each system."""

    index: int
    name: str  # the neighbourhood ("Pearl District"); each system's own name comes from `store_name`
    alias: str  # what locals call it ("The Pearl")
    street: tuple[str, str, str, str, str]  # number, pre-directional, name, suffix, post-directional
    city: str
    state: str  # two-letter state or province code
    postal_code: str  # ZIP (5 digits) in the US, the postcode as written locally elsewhere
    zip4: str | None
    country: str  # ISO 3166 alpha-2
    currency: str
    timezone: str
    square_location_id: str
    shopify_location_id: int
    google_location_id: str
    merchant_code: str  # the merchant's own store code ("FER-001"), used as Google storeCode in some dialects

    @property
    def address(self) -> str:
        return street_line(self.street, "abbreviated")

    @property
    def state_name(self) -> str:
        return _STATES[self.state]

    @property
    def country_name(self) -> str:
        return _COUNTRIES[self.country]

    @property
    def is_domestic(self) -> bool:
        return self.country == "US"

    @property
    def google_name(self) -> str:
        """The v4 resource name the location's reviews live under."""
        return f"accounts/{GOOGLE_ACCOUNT_ID}/locations/{self.google_location_id}"

    @property
    def google_v1_name(self) -> str:
        """The Business Information API v1 resource name."""
        return f"locations/{self.google_location_id}"

    def postcode(self, plus4: bool) -> str:
        """The postcode as one system writes it: ZIP or ZIP+4 in the US; with or without the space abroad."""
        if self.country == "US":
            return f"{self.postal_code}-{self.zip4}" if plus4 and self.zip4 else self.postal_code
        return self.postal_code.replace(" ", "") if plus4 else self.postal_code


def street_line(street: tuple[str, str, str, str, str], style: str) -> str:
    """"1220 NW Couch St" (abbreviated), "1220 Northwest Couch Street" (full) or "1220 N.W. Couch St." (dotted)."""
    number, before, name, suffix, after = street
    if style == "full":
        before, suffix, after = _DIRECTIONS.get(before, before), _SUFFIXES[suffix], _DIRECTIONS.get(after, after)
    elif style == "dotted":
        before, after = (".".join(before) + "." if before else ""), (".".join(after) + "." if after else "")
        suffix = suffix if suffix == "Way" else suffix + "."
    return " ".join(part for part in (number, before, name, suffix, after) if part)


def store_name(location: Location, template: str, brand) -> str:
    """A store's name in one system, from the dialect's template for that system."""
    return template.format(brand=brand.name, short=brand.short, area=location.name, alias=location.alias)


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


def build_locations(seed: int, scale: Scale, brand_short: str = "Larkspur", foreign: str | None = None) -> list[Location]:
    """The first `scale.locations` stores (plus the `foreign` one), each with its ids in every system."""
    stores = [(store, "US", "USD", SHOP_TIMEZONE_NAME) for store in _STORES[: scale.locations]]
    if foreign:
        spec = FOREIGN_STORES[foreign]
        stores.append((spec["store"], spec["country"], spec["currency"], spec["timezone"]))
    return [
        Location(
            index=i, name=name, alias=alias, street=street, city=city, state=state, postal_code=zip_code,
            zip4=zip4, country=country, currency=currency, timezone=timezone,
            square_location_id=ids.square_id(seed, "location", i, 13),
            shopify_location_id=71450208300 + 37 * (i + 1),
            google_location_id=ids.numeric_id(seed, "google-location", i, 19),
            merchant_code=f"{brand_short[:3].upper()}-{i + 1:03d}",
        )
        for i, ((name, alias, street, city, state, zip_code, zip4), country, currency, timezone) in enumerate(stores)
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


_ONE_SIZE = ("Merino Beanie", "Canvas Tote", "Wool Socks", "Insulated Bottle", "Camp Mug")


def variation_label(product: Product) -> str:
    """The Square variation's display name: what a cashier sees, never the SKU."""
    if product.product_type in _ONE_SIZE:
        return "One Size"
    return ("Regular", "Standard")[product.index % 2]


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

    def store_price(self, sku: str, day: date, currency: str = "USD") -> int:
        """The shelf price on the store's own day; a store abroad converts the web price to its currency."""
        web = self.web_price(sku, day)
        if currency != "USD":
            return _round_to_99(web * _FX[currency])
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
