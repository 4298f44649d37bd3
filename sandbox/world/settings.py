"""The world's constants: scale presets, the calendar, the shop's time zone and vendor account ids.

The merchant's habits (brand, tax, naming, ...) are its dialect: see dialect.py.

Everything here is a constant: the world never reads the wall clock, so the same seed and scale
always give the same files.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHOP_TIMEZONE = ZoneInfo("America/Los_Angeles")
SHOP_TIMEZONE_NAME = "America/Los_Angeles"
CURRENCY = "USD"
# The primary simulated window ends here for every scale; `as_of` defaults to it.
WORLD_END = date(2026, 11, 1)
SHOPIFY_SHOP = "larkspur-supply"
SHOPIFY_SHOP_ID = 60_187_263_123  # `shop_id` on fulfillment orders and their line items
GOOGLE_ACCOUNT_ID = "104729386251847361920"
SQUARE_MERCHANT_ID = "MLRKSP8Q3Z1V0"
SQUARE_LOYALTY_PROGRAM_ID = "d619f755-2d17-41f3-990d-c04ecedd64dd"
JOURNEY_GAP_DAYS = 30


@dataclass(frozen=True)
class Scale:
    """How big a world is: people arriving in the primary window, stores, months, catalogue size."""

    name: str
    people: int
    locations: int
    months: int
    products: int


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", people=300, locations=3, months=4, products=24),
    "small": Scale("small", people=5_000, locations=4, months=12, products=60),
    "medium": Scale("medium", people=50_000, locations=6, months=12, products=120),
    "large": Scale("large", people=500_000, locations=8, months=12, products=200),
}


def scale_named(name: str) -> Scale:
    """The preset called `name`; the error lists the valid ones."""
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown world scale {name!r}; choose one of {', '.join(SCALES)}") from None


def world_start(scale: Scale) -> date:
    """First day of the primary window: `scale.months` whole months before WORLD_END."""
    month_index = WORLD_END.year * 12 + WORLD_END.month - 1 - scale.months
    return date(month_index // 12, month_index % 12 + 1, 1)


def epoch(day: date) -> int:
    """Midnight UTC of `day` as epoch seconds (the simulator's clock unit)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
