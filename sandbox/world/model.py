"""What the simulation produces: plain records with a creation time and their later changes.

Times are epoch seconds (UTC). A record's later changes (a refund, a review edit, an owner reply, a
recovered checkout) are stored on it with their own times, so the files can be rendered "as of" any
moment: changes after that moment are simply not applied yet.
"""

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    sku: str
    quantity: int
    unit_cents: int

    @property
    def cents(self) -> int:
        return self.quantity * self.unit_cents


@dataclass(slots=True)
class Refund:
    """Items of a purchase brought back; `channel` is where (web = by mail, store = at a counter)."""

    created: int
    line_indexes: list[int]
    channel: str
    location: int | None


@dataclass(slots=True)
class WebOrder:
    key: tuple
    person: int
    created: int
    email: str
    phone: str | None
    first_name: str
    last_name: str
    account_email: str | None  # normalised e-mail of the Shopify account used; None = guest checkout
    lines: list[Line]
    discount_cents: int
    discount_code: str | None
    shipping_cents: int
    fulfilment: str  # ship_to_home | pickup_in_store | ship_from_store
    location: int | None
    fulfilled_at: int | None
    cancelled_at: int | None
    refund: Refund | None
    landing_site: str
    referring_site: str | None
    campaign: str | None
    anonymous_id: str | None
    recovered_checkout: tuple | None = None

    @property
    def subtotal_cents(self) -> int:
        return sum(line.cents for line in self.lines) - self.discount_cents


@dataclass(slots=True)
class AbandonedCheckout:
    key: tuple
    person: int
    created: int
    updated: int
    email: str
    phone: str | None
    account_email: str | None
    lines: list[Line]
    landing_site: str
    completed_at: int | None = None  # set when the shopper comes back and buys online


@dataclass(slots=True)
class StoreOrder:
    key: tuple
    person: int
    created: int
    location: int
    lines: list[Line]
    with_profile: bool  # the cashier attached the person's Square customer profile
    with_loyalty: bool  # the person gave their phone for loyalty points
    tender: str  # CARD | CASH
    refund: Refund | None = None


@dataclass(slots=True)
class SquareProfile:
    person: int
    created: int
    given_name: str
    family_name: str
    email: str | None
    phone: str | None
    email_added_at: int | None  # the email is captured on a later visit


@dataclass(slots=True)
class DirectoryProfile:
    """A Square profile nobody buys with: an e-receipt or marketing sign-up, or one typed in by staff."""

    key: tuple
    person: int | None  # None = belongs to nobody (a test or junk profile)
    created: int
    source: str  # Square creation_source
    given_name: str | None
    family_name: str | None
    email: str | None
    phone: str | None


@dataclass(slots=True)
class Review:
    key: tuple
    person: int
    created: int
    location: int
    stars: int
    comment: str | None
    display_name: str
    anonymous: bool
    edited_at: int | None = None
    edited_stars: int | None = None
    edited_comment: str | None = None
    reply_at: int | None = None
    reply: str | None = None


@dataclass(slots=True)
class Post:
    key: tuple
    person: int | None  # None = the brand's own account
    created: int
    text: str
    campaign: str | None
    product_handle: str | None
    likes: int
    reposts: int
    replies: int
    quotes: int
    stranger: int | None = None  # an off-topic post by a stranger (index into the stranger pool)


@dataclass(slots=True)
class WebEvent:
    key: tuple
    person: int
    timestamp: int
    delivered: int
    anonymous_id: str
    account_email: str | None  # resolved to the Shopify customer id for userId
    type: str  # page | track | identify
    event: str | None
    properties: dict
    traits: dict | None
    url: str
    referrer: str | None
    campaign: str | None
    user_agent: int
    order_key: tuple | None = None


@dataclass
class Activity:
    """Everything one simulation produced, in creation order per list."""

    web_orders: list[WebOrder] = field(default_factory=list)
    checkouts: list[AbandonedCheckout] = field(default_factory=list)
    store_orders: list[StoreOrder] = field(default_factory=list)
    square_profiles: dict[int, SquareProfile] = field(default_factory=dict)
    directory_profiles: list[DirectoryProfile] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    web_events: list[WebEvent] = field(default_factory=list)
