"""Merchant dialects: the ways real retailers' data differ while every vendor contract stays the same.

The project must follow the vendors' published semantics, not one simulated merchant's habits, so a
world is one member of a family (docs/DIALECTS.md section 1). A `Dialect` fixes the merchant's habits:
how the pickup shipping line is titled, what each system calls a store and how it writes the address,
whether the stores charge tax (added or included), how often cashiers give discounts and take tips,
how much of the Square directory never buys, which placeholder contacts staff type, whether the brand
name is an ordinary word (so Bluesky search returns strangers' posts), how many people share a
household contact, and whether one store sits in another country with its own currency.

`dialect_for_seed(seed)` draws one from the seed (different seeds give visibly different merchants);
`PRESETS` name a few (`classic` is the original single-merchant world). The chosen dialect is written
to manifest.json under "dialect", and `Dialect.from_manifest` rebuilds it for `advance`.
"""

import random
from dataclasses import asdict, dataclass, fields, replace
from decimal import ROUND_HALF_EVEN, Decimal


@dataclass(frozen=True)
class Brand:
    """The retailer's name as people write it, its Bluesky account and the web shop's domain."""

    name: str  # "Larkspur Supply Co."
    short: str  # what people call it in posts and reviews: "Larkspur"
    bluesky_handle: str
    search_query: str  # what a connector searches Bluesky for (the brand's word, lower case)
    domain: str  # e-mail and web domain: shop.<domain>, noemail@<domain>

    @property
    def shop_domain(self) -> str:
        return f"shop.{self.domain}"


BRANDS: dict[str, Brand] = {
    "larkspur": Brand("Larkspur Supply Co.", "Larkspur", "larkspursupply.bsky.social", "larkspur",
                      "larkspur.example"),
    "juniper": Brand("Juniper Outfitters", "Juniper", "juniperoutfitters.bsky.social", "juniper",
                     "juniperoutfitters.example"),
    "basalt": Brand("Basalt Mercantile", "Basalt", "basaltmercantile.bsky.social", "basalt",
                    "basaltmercantile.example"),
    "fernhollow": Brand("Fernhollow Goods", "Fernhollow", "fernhollowgoods.bsky.social", "fernhollow",
                        "fernhollow.example"),
}
# Brands whose word also has ordinary senses (render_social's off-topic post bank has text for them).
COMMON_WORD_BRANDS = ("larkspur", "juniper", "basalt")

# Shopify local-pickup shipping-line titles seen in the wild; {name} = the Shopify location's name.
PICKUP_TITLES = ("{name}", "Pickup at {name}", "In-store pickup", "Retrait en magasin", "Abholung im Geschäft",
                 "Click & Collect")
# What each system calls a store: {brand} full name, {short} brand word, {area} / {alias} the place.
STORE_NAME_TEMPLATES = ("{area}", "{short} {area}", "{brand} - {area}", "{short} - {area}", "{alias}",
                        "{brand} {area}", "{short} {alias}")
# How an address is written: USPS abbreviations, full words, or abbreviations with trailing dots.
ADDRESS_STYLES = ("abbreviated", "full", "dotted")
# Staff placeholders typed to get past a form; {domain} = the brand's domain.
PLACEHOLDERS = ("555-555-5555", "0000000000", "test@example.com", "none@none.com", "noemail@{domain}")
# What Google's storeCode holds: the Square location id, a merchant's own code, or nothing.
STORE_CODES = ("square_id", "merchant_code", "none")
SYSTEMS = ("shopify", "square", "google")


@dataclass(frozen=True)
class Dialect:
    """One merchant's habits (docs/DIALECTS.md section 1). Per-system tuples are (shopify, square, google)."""

    name: str
    pickup_titles: tuple[str, ...]  # templates; each pickup order uses one (fixed per order)
    store_names: tuple[str, str, str]  # name templates per system
    address_styles: tuple[str, str, str]  # ADDRESS_STYLES per system
    zip_plus4: tuple[bool, bool, bool]  # US postcodes written as ZIP+4 per system
    google_store_codes: str  # STORE_CODES
    store_tax: str  # none | additive | inclusive (the web shop charges the same way: Shopify taxes_included)
    tax_percent: str  # Square's percentage string, e.g. "8.5"; "0" without tax
    store_discount_share: float  # store sales with a loyalty reward or staff discount
    store_tip_share: float  # store sales with a tip or a service charge
    directory_share: float  # people with a Square profile that never buys (sign-ups, marketing, staff)
    orphan_profiles_per_store_month: float  # staff-typed profiles that belong to nobody
    placeholders: tuple[str, ...]  # PLACEHOLDERS templates staff type
    placeholder_share: float  # of cashier-typed profiles per field
    brand_key: str  # key of BRANDS
    brand_is_common_word: bool  # Bluesky search also returns strangers' posts using the word
    household_share: float  # people who join the previous person's household
    foreign_store: str | None  # None or a key of catalog.FOREIGN_STORES (one store abroad)

    @property
    def brand(self) -> Brand:
        return BRANDS[self.brand_key]

    def placeholder_values(self) -> tuple[list[str], list[str]]:
        """(phone placeholders, e-mail placeholders) with the brand's domain filled in."""
        values = [p.format(domain=self.brand.domain) for p in self.placeholders]
        return [v for v in values if "@" not in v], [v for v in values if "@" in v]

    def tax_on(self, price_cents: int) -> int:
        """The tax on a price after discounts: added on top (additive) or contained in it (inclusive)."""
        rate = Decimal(self.tax_percent) / 100
        if self.store_tax == "additive":
            return int((price_cents * rate).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        if self.store_tax == "inclusive":
            return int((price_cents * rate / (1 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        return 0

    @property
    def tax_added(self) -> bool:
        """Whether tax comes on top of the price (else it is included in it, or there is none)."""
        return self.store_tax == "additive"

    def as_manifest(self) -> dict:
        return {**asdict(self), "brand": asdict(self.brand)}

    @classmethod
    def from_manifest(cls, document: dict) -> "Dialect":
        """The dialect a manifest recorded (lists back to tuples; the derived "brand" entry dropped)."""
        values = {}
        for field in fields(cls):
            value = document[field.name]
            values[field.name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)


CLASSIC = Dialect(
    name="classic", pickup_titles=("{name}",), store_names=("{area}", "{short} {area}", "{brand} - {area}"),
    address_styles=("abbreviated", "abbreviated", "abbreviated"), zip_plus4=(False, False, False),
    google_store_codes="square_id", store_tax="none", tax_percent="0", store_discount_share=0.0,
    store_tip_share=0.0, directory_share=0.0, orphan_profiles_per_store_month=0.0,
    placeholders=("555-555-5555", "noemail@{domain}"), placeholder_share=0.05, brand_key="larkspur",
    brand_is_common_word=False, household_share=0.07, foreign_store=None,
)

PRESETS: dict[str, Dialect] = {
    "classic": CLASSIC,
    # A European-style merchant: VAT included in shelf prices, click & collect in several languages.
    "eu_click_collect": replace(
        CLASSIC, name="eu_click_collect",
        pickup_titles=("Click & Collect", "Retrait en magasin", "Abholung im Geschäft"),
        store_names=("{short} - {area}", "{alias}", "{brand} {area}"),
        address_styles=("abbreviated", "full", "dotted"), zip_plus4=(False, True, False),
        google_store_codes="merchant_code", store_tax="inclusive", tax_percent="20",
        store_discount_share=0.12, store_tip_share=0.0, directory_share=0.15, orphan_profiles_per_store_month=0.5,
        placeholders=("0000000000", "none@none.com", "noemail@{domain}"), brand_key="fernhollow",
        household_share=0.08),
    # The brand's name is an ordinary word: search returns flowers, towns and colours too.
    "common_word_brand": replace(
        CLASSIC, name="common_word_brand", pickup_titles=("Pickup at {name}", "In-store pickup"),
        store_names=("{brand} - {area}", "{area}", "{short} {alias}"),
        address_styles=("full", "abbreviated", "abbreviated"), zip_plus4=(False, False, True),
        google_store_codes="none", store_tax="additive", tax_percent="8.5", store_discount_share=0.08,
        store_tip_share=0.05, directory_share=0.1, orphan_profiles_per_store_month=0.3,
        placeholders=("555-555-5555", "test@example.com"), brand_key="juniper", brand_is_common_word=True),
    # One store across the border: Toronto, in CAD, on Toronto's calendar.
    "cross_border": replace(
        CLASSIC, name="cross_border", pickup_titles=("{name}", "In-store pickup"),
        store_names=("{short} {area}", "{brand} {area}", "{alias}"),
        address_styles=("dotted", "abbreviated", "full"), zip_plus4=(True, False, False),
        google_store_codes="square_id", store_tax="additive", tax_percent="7", store_discount_share=0.1,
        store_tip_share=0.1, directory_share=0.12, orphan_profiles_per_store_month=0.4,
        placeholders=PLACEHOLDERS, placeholder_share=0.06, brand_key="basalt", brand_is_common_word=True,
        household_share=0.1, foreign_store="toronto"),
    # A busy POS: tips and service charges, staff discounts, many sign-up profiles and placeholders.
    "messy_pos": replace(
        CLASSIC, name="messy_pos", pickup_titles=("Pickup at {name}", "{name}", "Click & Collect"),
        store_names=("{area}", "{short} - {alias}", "{brand} {area}"),
        address_styles=("abbreviated", "dotted", "full"), zip_plus4=(False, True, True),
        google_store_codes="merchant_code", store_discount_share=0.2, store_tip_share=0.25,
        directory_share=0.3, orphan_profiles_per_store_month=1.5, placeholders=PLACEHOLDERS,
        placeholder_share=0.1, brand_is_common_word=True, household_share=0.12),
}


def dialect_named(name: str) -> Dialect:
    """The preset called `name`, or the seed-drawn dialect for "seed-N"; the error lists the presets."""
    if name in PRESETS:
        return PRESETS[name]
    if name.startswith("seed-") and name[5:].lstrip("-").isdigit():
        return dialect_for_seed(int(name[5:]))
    raise ValueError(f"unknown dialect {name!r}; choose one of {', '.join(PRESETS)} or seed-<N>")


def dialect_for_seed(seed: int) -> Dialect:
    """A merchant drawn from the seed alone: every knob varies, so different seeds differ visibly."""
    rng = random.Random(f"{seed}:dialect")
    brand_key = rng.choice(sorted(BRANDS))
    titles = rng.sample(PICKUP_TITLES, rng.randint(1, 3))
    names = tuple(rng.sample(STORE_NAME_TEMPLATES, 3))
    tax = rng.choice(("none", "additive", "inclusive"))
    percent = {"none": "0", "additive": rng.choice(("7", "8.5", "9.25")), "inclusive": rng.choice(("20", "19", "10"))}
    return Dialect(
        name=f"seed-{seed}",
        pickup_titles=tuple(titles),
        store_names=names,  # three distinct templates: the systems never agree on a name
        address_styles=tuple(rng.choice(ADDRESS_STYLES) for _ in SYSTEMS),
        zip_plus4=tuple(rng.random() < 0.4 for _ in SYSTEMS),
        google_store_codes=rng.choice(STORE_CODES),
        store_tax=tax,
        tax_percent=percent[tax],
        store_discount_share=round(rng.uniform(0.0, 0.2), 2),
        store_tip_share=round(rng.choice((0.0, rng.uniform(0.02, 0.25))), 2),
        directory_share=round(rng.uniform(0.05, 0.3), 2),
        orphan_profiles_per_store_month=round(rng.uniform(0.2, 1.5), 1),
        placeholders=tuple(sorted(rng.sample(PLACEHOLDERS, rng.randint(2, len(PLACEHOLDERS))),
                                  key=PLACEHOLDERS.index)),
        placeholder_share=round(rng.uniform(0.03, 0.1), 2),
        brand_key=brand_key,
        brand_is_common_word=brand_key in COMMON_WORD_BRANDS and rng.random() < 0.75,
        household_share=round(rng.uniform(0.04, 0.14), 2),
        foreign_store="toronto" if rng.random() < 0.35 else None,
    )


def resolve(dialect: "Dialect | str | None", seed: int) -> Dialect:
    """A Dialect from what generate_world was given: an object, a preset name, or None (drawn from the seed)."""
    if dialect is None:
        return dialect_for_seed(seed)
    if isinstance(dialect, Dialect):
        return dialect
    return dialect_named(dialect)
