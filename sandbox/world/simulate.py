"""The behaviour simulation: each person's shopping intents over time and the records they leave.

An intent (a need for something) may start from a campaign post seen on Bluesky, involve browsing the
web shop, end in a web order (shipped, picked up in store or shipped from a store), an abandoned
checkout (sometimes recovered online or in a store), a store purchase, or nothing. Purchases can be
returned (sometimes in the other channel), reviewed and posted about. Besides the shoppers' lives, the
merchant's dialect adds Square directory profiles that never buy (sign-ups, staff-typed, junk) and,
for a brand whose name is an ordinary word, strangers' posts using the word. Every person draws from
their own random stream and every draw for an intent happens when the intent starts (the extra
streams run forward in time from the window's start), so simulating up to a later horizon never
changes what happened earlier: that is what makes `advance` deterministic.
"""

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from sandbox.world import ids, noise, text
from sandbox.world.catalog import (
    Location,
    PlantedPriceGap,
    PriceBook,
    Product,
    Promotion,
    build_locations,
    build_planted_gaps,
    build_products,
    build_promotions,
)
from sandbox.world.dialect import Brand, Dialect
from sandbox.world.model import (
    AbandonedCheckout,
    Activity,
    DirectoryProfile,
    Line,
    Post,
    Refund,
    Review,
    SquareProfile,
    StoreOrder,
    WebEvent,
    WebOrder,
)
from sandbox.world.people import DAY, ContactRegistry, Person, draw_person, people_arrived_by
from sandbox.world.settings import (
    SHOP_TIMEZONE,
    WORLD_END,
    Scale,
    epoch,
    world_start,
)
from sandbox.world.vocab import FIRST_NAMES, USER_AGENTS

YEAR = 365 * DAY
_MONTH_FACTOR = (0.8, 0.75, 0.9, 1.0, 1.0, 0.95, 1.05, 1.0, 0.9, 1.0, 1.4, 1.7)
_PROMO_FACTOR = 1.6
_PEAK = max(_MONTH_FACTOR) * _PROMO_FACTOR


@dataclass(frozen=True)
class World:
    """The fixed parts of a world (stores, catalogue, prices, brand posts) for one seed and scale."""

    seed: int
    scale: Scale
    start: date
    end: date
    locations: list[Location]
    products: list[Product]
    promotions: list[Promotion]
    price_gaps: list[PlantedPriceGap]
    prices: PriceBook
    by_sku: dict[str, Product]
    popularity_cumulative: list[float]  # for random.choices(cum_weights=...): no re-summing per draw
    dialect: Dialect

    @property
    def brand(self) -> Brand:
        return self.dialect.brand

    @property
    def shop_domain(self) -> str:
        return self.dialect.brand.shop_domain

    @property
    def domestic(self) -> list[int]:
        """Indices of the stores in the web shop's country (they fulfil and take back web orders)."""
        return [loc.index for loc in self.locations if loc.is_domestic]

    @property
    def start_ts(self) -> int:
        return epoch(self.start)

    @property
    def end_ts(self) -> int:
        return epoch(self.end)


def build_world(seed: int, scale: Scale, dialect: Dialect) -> World:
    start = world_start(scale)
    products = build_products(seed, scale)
    promotions = build_promotions(start, WORLD_END)
    gaps = build_planted_gaps(seed, products, start, WORLD_END)
    locations = build_locations(seed, scale, dialect.brand.short, dialect.foreign_store)
    return World(seed, scale, start, WORLD_END, locations, products, promotions, gaps,
                 PriceBook(products, promotions, gaps), {p.sku: p for p in products},
                 list(accumulate(p.popularity for p in products)), dialect)


def day_of(ts: int) -> date:
    return date(1970, 1, 1) + timedelta(days=ts // DAY)


def shop_day(ts: int) -> date:
    """The shop-local calendar day of a moment: prices, promotions and store hours follow it."""
    return _shop_day_of_hour(ts // 3600)


@lru_cache(maxsize=1 << 16)
def _shop_day_of_hour(hour: int) -> date:
    # Local midnight always falls on a whole UTC hour (UTC-7/-8), so the hour decides the day.
    return datetime.fromtimestamp(hour * 3600, SHOP_TIMEZONE).date()


def local_time(day: date, hour: float, zone: ZoneInfo = SHOP_TIMEZONE) -> int:
    """Epoch seconds of `hour` (fractional) on `day` in `zone` (default: the shop's time zone)."""
    whole = int(hour)
    minute = int((hour - whole) * 60)
    second = int(((hour - whole) * 60 - minute) * 60)
    return int(datetime(day.year, day.month, day.day, whole, minute, second, tzinfo=zone).timestamp())


def store_day(ts: int, location: Location) -> date:
    """The calendar day at a store: a store abroad keeps its own day (prices and hours follow it)."""
    if location.timezone == SHOP_TIMEZONE.key:
        return shop_day(ts)
    return datetime.fromtimestamp(ts, ZoneInfo(location.timezone)).date()


def product_handle(product: Product) -> str:
    return product.title.lower().replace(" ", "-")


def campaign_url(domain: str, campaign: str, handle: str, source: str = "bluesky", medium: str = "social") -> str:
    return (f"https://{domain}/products/{handle}?utm_source={source}&utm_medium={medium}"
            f"&utm_campaign={campaign}")


def brand_posts(world: World, horizon: int) -> list[Post]:
    """The brand's own campaign posts: about two a week, each linking a product with a utm_campaign."""
    rng = random.Random(f"{world.seed}:brand-posts")
    posts = []
    t = world.start_ts - 14 * DAY
    while t < horizon:
        t += int(rng.uniform(2.5, 4.5) * DAY)
        day = shop_day(t)
        upcoming = next((p for p in world.promotions if 0 <= (p.start - day).days <= 10), None)
        campaign = (f"{upcoming.name}-{upcoming.start.year}" if upcoming
                    else rng.choice(("new-arrivals", "trail-stories", "member-picks")) + f"-{day:%Y%m}")
        product = world.products[min(int(rng.random() ** 2 * len(world.products)), len(world.products) - 1)]
        created = local_time(day, rng.uniform(8, 18))
        posts.append(Post(
            key=(created, -1, len(posts)), person=None, created=created,
            text=text.brand_post(world.brand, product.title, campaign), campaign=campaign,
            product_handle=product_handle(product), likes=int(rng.expovariate(1 / 40)),
            reposts=int(rng.expovariate(1 / 6)), replies=int(rng.expovariate(1 / 3)),
            quotes=int(rng.expovariate(1 / 1.5)),
        ))
    return posts


def simulate(world: World, horizon: int) -> tuple[list[Person], Activity]:
    """Everyone who arrived by a day past `horizon` and all they did up to then (see below).

    An intent's browsing or store visit is placed earlier on its shop day, so an intent up to a day
    past the horizon can leave records before it. Lives therefore run one day further (renderers cut
    at the horizon); otherwise a world advanced past the horizon would gain records dated before it.
    """
    reach = horizon + DAY
    activity = Activity()
    activity.posts.extend(brand_posts(world, reach))
    campaign_times = [post.created for post in activity.posts]
    people: list[Person] = []
    previous: Person | None = None
    strangers = stranger_handles(world)
    registry = ContactRegistry(reserved=(world.brand.bluesky_handle, *world.dialect.placeholder_values()[1],
                                         *strangers))
    count = people_arrived_by(world.scale.people, world.end_ts, world.start_ts, reach)
    for index in range(count):
        person = draw_person(world.seed, index, previous, world.scale.people, world.start_ts, world.end_ts,
                             len(world.locations), registry, world.dialect.household_share)
        previous = person
        if person.arrival >= reach:
            continue
        people.append(person)
        _Life(world, person, activity, campaign_times).live(reach)
        directory_profile(world, person, activity)
    activity.directory_profiles.extend(orphan_profiles(world, reach))
    if world.dialect.brand_is_common_word:
        activity.posts.extend(off_topic_posts(world, reach, len(strangers)))
    return people, activity


_DIRECTORY_SOURCES = ("EMAIL_COLLECTION", "MARKETING", "DIRECTORY", "FEEDBACK")
_ORPHAN_NAMES = (("Test", "Customer"), ("John", "Doe"), ("Walk", "In"), ("Guest", None), (None, None),
                 ("Cash", "Customer"), ("Staff", "Test"), ("Test", None))
_STRANGER_HOBBIES = ("garden", "bloom", "hikes", "photo", "bay", "paints", "plants", "trail", "coffee", "rocks")
# Posts using the brand's word in its ordinary senses (a flower, a town, a colour, a tree ...).
_OFF_TOPIC = {
    "larkspur": (
        "My larkspur finally bloomed and the blues are unreal", "Planting larkspur seeds along the fence this weekend",
        "Is larkspur toxic to cats? Asking before I plant it", "Cut flowers today: larkspur, snapdragons and cosmos",
        "The larkspur by the mailbox is taller than me now", "Traffic on 101 through Larkspur is a mess again",
        "Took the ferry from Larkspur Landing into the city", "Larkspur farmers market had the best peaches today",
        "Anyone know a good dentist in Larkspur, CA?", "Painted the bedroom Larkspur Blue and I love it",
        "That larkspur purple dress at the wedding was stunning"),
    "juniper": (
        "Gin and tonic with extra juniper tonight", "Pruned the juniper hedge, my arms are destroyed",
        "Juniper berries in the stew, trust me on this", "Our pup Juniper turned two today!",
        "The old juniper on the ridge survived the storm", "Juniper smoke at the campsite smells amazing",
        "Is juniper a good hedge for a windy yard?", "Juniper green is my colour of the year"),
    "basalt": (
        "Hiked past the basalt columns in the gorge today", "Basalt, Colorado is gorgeous in the fall",
        "Geology class today: basalt vs granite", "Wedding in Basalt this weekend, the roads are packed",
        "New basalt countertop is finally in", "Crumbly basalt on the trail, watch your ankles",
        "Basalt grey paint looked way darker on the wall"),
}


def directory_profile(world: World, person: Person, activity: Activity) -> None:
    """Maybe a Square profile for `person` that never buys: an e-receipt or marketing sign-up, feedback,
    or a profile staff typed in (sometimes with a placeholder). From the person's own stream, so stable."""
    dialect = world.dialect
    rng = random.Random(f"{world.seed}:directory:{person.index}")
    if rng.random() >= dialect.directory_share:
        return
    created = person.arrival + int(rng.uniform(0, 240) * DAY)
    source = rng.choice(_DIRECTORY_SOURCES)
    email = noise.email_as_typed(rng, person.email)
    given = noise.first_name_as_typed(rng, person.first_name) if source != "EMAIL_COLLECTION" else None
    family = noise.last_name_as_typed(rng, person.last_name) if source in ("DIRECTORY", "FEEDBACK") else None
    phone = noise.phone_as_typed(rng, person.phone) if source == "DIRECTORY" else None
    if source == "DIRECTORY" and rng.random() < 0.4:  # staff type a placeholder to get past the form
        phones, emails = dialect.placeholder_values()
        email = rng.choice(emails) if emails else None
        phone = phone if not phones or rng.random() < 0.5 else rng.choice(phones)
    activity.directory_profiles.append(DirectoryProfile((created, person.index, 0), person.index, created, source,
                                                        given, family, email, phone))


def orphan_profiles(world: World, horizon: int) -> list[DirectoryProfile]:
    """Profiles that belong to nobody: staff tests and junk, mostly with placeholder contacts."""
    rate = world.dialect.orphan_profiles_per_store_month * len(world.locations) / (30 * DAY)
    if rate <= 0:
        return []
    rng = random.Random(f"{world.seed}:orphan-profiles")
    phones, emails = world.dialect.placeholder_values()
    profiles, t = [], world.start_ts
    while True:
        t += int(rng.expovariate(rate)) + 60
        if t >= horizon:
            return profiles
        given, family = rng.choice(_ORPHAN_NAMES)
        email = rng.choice(emails) if emails and rng.random() < 0.7 else None
        phone = rng.choice(phones) if phones and rng.random() < 0.7 else None
        profiles.append(DirectoryProfile((t, -2, len(profiles)), None, t, "DIRECTORY", given, family, email, phone))


def stranger_handles(world: World) -> tuple[str, ...]:
    """Bluesky users who are not the brand's customers; a fixed pool per scale (reserved before anyone)."""
    if not world.dialect.brand_is_common_word:
        return ()
    rng = random.Random(f"{world.seed}:strangers")
    count = 30 + world.scale.people // 40
    return tuple(f"{rng.choice(FIRST_NAMES).lower()[:6]}{rng.choice(_STRANGER_HOBBIES)}{i}.bsky.social"
                 for i in range(count))


def off_topic_posts(world: World, horizon: int, strangers: int) -> list[Post]:
    """Strangers' posts that contain the brand's word in its ordinary sense (search returns them too)."""
    bank = _OFF_TOPIC[world.dialect.brand_key]
    rate = 1.5 * (world.scale.people / 300) ** 0.5 / DAY
    rng = random.Random(f"{world.seed}:off-topic")
    posts, t = [], world.start_ts - 14 * DAY
    while True:
        t += int(rng.expovariate(rate)) + 60
        if t >= horizon:
            return posts
        body = rng.choice(bank)
        body = body.lower() if rng.random() < 0.2 else body
        posts.append(Post(key=(t, -3, len(posts)), person=None, created=t, text=body, campaign=None,
                          product_handle=None, likes=int(rng.expovariate(1 / 6)), reposts=int(rng.expovariate(1)),
                          replies=int(rng.expovariate(1 / 1.5)), quotes=0, stranger=rng.randrange(strangers)))


class _Life:
    """One person's simulation; methods are the steps of an intent."""

    def __init__(self, world: World, person: Person, out: Activity, campaign_times: list[int]):
        self.world, self.person, self.out = world, person, out
        self.rng = random.Random(f"{world.seed}:life:{person.index}")
        self.devices = [ids.uuid_id(world.seed, "anonymous-id", (person.index, d)) for d in range(person.devices)]
        self.user_agents = [self.rng.randrange(len(USER_AGENTS)) for _ in self.devices]
        self.identified: set[int] = set()
        self.campaign_times = campaign_times
        self.brand_posts = list(out.posts)
        self.seq = 0
        self.web_orders = 0

    def key(self, t: int) -> tuple:
        self.seq += 1
        return (t, self.person.index, self.seq)

    def live(self, horizon: int) -> None:
        t = self.person.arrival
        stop = min(horizon, self.person.churn_at)
        while t < stop:
            self.intent(t)
            t = self.next_intent(t)

    def next_intent(self, t: int) -> int:
        rate = self.person.intents_per_year / YEAR * _PEAK
        while True:
            t += int(self.rng.expovariate(rate)) + 3600
            day = shop_day(t)
            factor = _MONTH_FACTOR[day.month - 1] * (_PROMO_FACTOR if self.world.prices.promotion_on(day) else 1)
            if self.rng.random() < factor / _PEAK:
                return t

    # --- one intent -------------------------------------------------------------------------------
    def intent(self, t: int) -> None:
        rng, person = self.rng, self.person
        roll, channel = rng.random(), "none"
        for name, probability in person.channel_p:
            if roll < probability:
                channel = name
                break
            roll -= probability
        skus = self.pick_skus()
        campaign = self.campaign_seen(t)
        day = shop_day(t)
        researches = channel == "web" or campaign is not None or rng.random() < person.web_research_p
        if researches:
            device = rng.randrange(len(self.devices))
            start = local_time(day, rng.choice((8, 12, 13, 19, 20, 21, 22)) + rng.random())
            self.browse(device, start, skus, campaign, channel)
        elif channel == "store":
            self.store_visit(local_time(day, rng.uniform(10, 19.5)), skus)
        elif person.bluesky and rng.random() < 0.15:
            self.post(t + int(rng.uniform(1, 48) * 3600), skus[0], None, negative=False, musing=True)

    def pick_skus(self) -> list[str]:
        count = self.rng.choices((1, 2, 3), (0.7, 0.22, 0.08))[0]
        chosen = self.rng.choices(self.world.products, cum_weights=self.world.popularity_cumulative, k=count)
        return list(dict.fromkeys(product.sku for product in chosen))

    def campaign_seen(self, t: int) -> Post | None:
        exposure = 0.45 if self.person.bluesky else 0.05
        if self.rng.random() >= exposure:
            return None
        i = bisect.bisect_right(self.campaign_times, t) - 1
        if i < 0 or t - self.campaign_times[i] > 10 * DAY:
            return None
        return self.brand_posts[i]

    # --- web --------------------------------------------------------------------------------------
    def event(self, device: int, t: int, kind: str, name: str | None, properties: dict, url: str,
              referrer: str | None = None, campaign: str | None = None, traits: dict | None = None,
              account: str | None = None, order_key: tuple | None = None) -> None:
        late = self.rng.random() < 0.03
        delivered = t + int(self.rng.uniform(1, 6) * 3600) if late else t
        self.out.web_events.append(WebEvent(
            key=self.key(t), person=self.person.index, timestamp=t, delivered=delivered,
            anonymous_id=self.devices[device], account_email=account, type=kind, event=name,
            properties=properties, traits=traits, url=url, referrer=referrer, campaign=campaign,
            user_agent=self.user_agents[device], order_key=order_key,
        ))

    def browse(self, device: int, t: int, skus: list[str], campaign: Post | None, channel: str) -> None:
        rng, world = self.rng, self.world
        account = self.account_for_session(device)
        domain = world.shop_domain
        if campaign:
            url, referrer, name = (campaign_url(domain, campaign.campaign, campaign.product_handle),
                                   "https://bsky.app/", campaign.campaign)
        else:
            url = f"https://{domain}/"
            referrer, name = rng.choice(("https://www.google.com/", None, "https://www.bing.com/", None)), None
        self.event(device, t, "page", None, {"path": url.split(domain)[1].split("?")[0], "url": url,
                                              "title": world.brand.name}, url, referrer, name, account=account)
        extra = rng.choices(world.products, cum_weights=world.popularity_cumulative, k=rng.randrange(0, 3))
        viewed = skus + [p.sku for p in extra]
        for sku in dict.fromkeys(viewed):
            t += int(rng.uniform(15, 150))
            product = world.by_sku[sku]
            page = f"https://{domain}/products/{product_handle(product)}"
            price = world.prices.web_price(sku, shop_day(t)) / 100
            self.event(device, t, "track", "Product Viewed", {"sku": sku, "product_id": product.shopify_product_id,
                       "name": product.title, "price": price, "currency": "USD"}, page, url, name, account=account)
        if channel == "store":
            if rng.random() < 0.6:
                t += int(rng.uniform(20, 120))
                self.event(device, t, "track", "Store Locator Viewed", {"path": "/pages/stores"},
                           f"https://{domain}/pages/stores", url, name, account=account)
            self.store_visit(t + int(rng.uniform(0.2, 5) * DAY), skus)
            return
        if channel == "web":
            self.checkout(device, t, skus, name, url, account)
        elif rng.random() < 0.35:
            self.add_to_cart(device, t + int(rng.uniform(10, 90)), skus, name, url, account)

    def account_for_session(self, device: int) -> str | None:
        """The account a logged-in shopper uses; None for guests and not-yet-identified devices."""
        person = self.person
        if not person.has_account or device not in self.identified:
            return None
        if person.alt_email and self.rng.random() < 0.3:
            return person.alt_email
        return person.email

    def add_to_cart(self, device: int, t: int, skus: list[str], campaign: str | None, url: str,
                    account: str | None) -> int:
        for sku in skus:
            t += int(self.rng.uniform(10, 60))
            self.event(device, t, "track", "Product Added", {"sku": sku, "quantity": 1,
                       "price": self.world.prices.web_price(sku, shop_day(t)) / 100, "currency": "USD"},
                       url, None, campaign, account=account)
        return t

    def identify(self, device: int, t: int, url: str, campaign: str | None) -> tuple[str, str | None, int]:
        """Reveal who is behind the device: log in (account) or type an e-mail at checkout (guest).

        Returns (e-mail as typed, account e-mail or None, time after the step).
        """
        rng, person = self.rng, self.person
        account = None
        if person.has_account:
            account = person.alt_email if person.alt_email and rng.random() < 0.3 else person.email
            typed = account
        else:
            typed = noise.email_as_typed(rng, person.email)
        t += int(rng.uniform(10, 60))
        traits = {"email": typed}
        if rng.random() < 0.3:
            traits["phone"] = noise.phone_as_typed(rng, person.phone)
        if account or device not in self.identified or rng.random() < 0.5:
            self.event(device, t, "identify", None, {}, url, None, campaign, traits=traits, account=account)
        self.identified.add(device)
        return typed, account, t

    def checkout(self, device: int, t: int, skus: list[str], campaign: str | None, url: str,
                 account: str | None) -> None:
        rng, world = self.rng, self.world
        t = self.add_to_cart(device, t, skus, campaign, url, account)
        typed, account, t = self.identify(device, t + int(rng.uniform(10, 60)), url, campaign)
        lines = [Line(sku, rng.choices((1, 2), (0.9, 0.1))[0], world.prices.web_price(sku, shop_day(t))) for sku in skus]
        checkout_url = f"https://{world.shop_domain}/checkouts/c"
        t += int(rng.uniform(20, 90))
        self.event(device, t, "track", "Checkout Started", {"revenue": sum(x.cents for x in lines) / 100,
                   "currency": "USD", "products": [{"sku": x.sku, "quantity": x.quantity} for x in lines]},
                   checkout_url, url, campaign, account=account)
        if rng.random() < 0.22:
            self.abandon(device, t, typed, account, lines, url)
            return
        self.web_order(device, t + int(rng.uniform(60, 400)), typed, account, lines, url, campaign)

    def abandon(self, device: int, t: int, typed: str, account: str | None, lines: list[Line], url: str) -> None:
        rng = self.rng
        created = t + int(rng.uniform(60, 300))
        checkout = AbandonedCheckout(
            key=self.key(created), person=self.person.index, created=created,
            updated=created + int(rng.uniform(30, 600)), email=typed,
            phone=noise.phone_as_typed(rng, self.person.phone) if rng.random() < 0.3 else None,
            account_email=account, lines=lines, landing_site=url.split(self.world.shop_domain)[1],
        )
        self.out.checkouts.append(checkout)
        roll = rng.random()
        if roll < 0.3:
            back = created + int(rng.uniform(2, 48) * 3600)
            recovery_url = campaign_url(self.world.shop_domain, "abandoned-checkout", "cart", "shopify_email", "email")
            self.event(device, back, "page", None, {"path": "/cart", "url": recovery_url}, recovery_url,
                       None, "abandoned-checkout", account=account)
            order = self.web_order(device, back + int(rng.uniform(60, 300)), typed, account, lines,
                                   recovery_url, "abandoned-checkout")
            order.recovered_checkout = checkout.key
            checkout.completed_at = order.created
        elif roll < 0.45:
            self.store_visit(created + int(rng.uniform(1, 5) * DAY), [line.sku for line in lines])

    def web_order(self, device: int, t: int, typed: str, account: str | None, lines: list[Line], landing: str,
                  campaign: str | None) -> WebOrder:
        rng, person, world = self.rng, self.person, self.world
        merchandise = sum(line.cents for line in lines)
        discount, code = 0, None
        if self.web_orders == 0 and rng.random() < 0.3:
            discount, code = merchandise // 10, "WELCOME10"
        roll = rng.random()
        fulfilment = "ship_to_home" if roll < 0.68 else "pickup_in_store" if roll < 0.88 else "ship_from_store"
        location = None
        if fulfilment != "ship_to_home":
            location = self.domestic(person.home_location if rng.random() < 0.85
                                     else rng.randrange(len(world.locations)))
        pickup = fulfilment == "pickup_in_store"
        shipping = 0 if pickup or merchandise >= 7500 else 795
        cancelled = t + int(rng.uniform(1, 6) * 3600) if rng.random() < 0.015 else None
        fulfilled = None if cancelled else t + int(rng.uniform(2, 40 if pickup else 72) * 3600)
        order = WebOrder(
            key=self.key(t), person=person.index, created=t, email=typed,
            phone=noise.phone_as_typed(rng, person.phone) if rng.random() < 0.5 else None,
            first_name=noise.first_name_as_typed(rng, person.first_name),
            last_name=noise.last_name_as_typed(rng, person.last_name),
            account_email=account, lines=lines, discount_cents=discount, discount_code=code,
            shipping_cents=shipping, fulfilment=fulfilment, location=location, fulfilled_at=fulfilled,
            cancelled_at=cancelled, refund=None, landing_site=landing.split(world.shop_domain)[1],
            referring_site="https://bsky.app/" if campaign and "utm_source=bluesky" in landing else None,
            campaign=campaign, anonymous_id=self.devices[device],
        )
        self.out.web_orders.append(order)
        self.web_orders += 1
        self.event(device, t + 5, "track", "Order Completed", {"total": merchandise / 100, "currency": "USD",
                   "products": [{"sku": x.sku, "quantity": x.quantity, "price": x.unit_cents / 100} for x in lines]},
                   f"https://{world.shop_domain}/checkouts/c/thank_you", None, campaign, account=account,
                   order_key=order.key)
        if fulfilled is None:
            return order
        if rng.random() < 0.1:
            in_store = rng.random() < 0.4
            order.refund = Refund(fulfilled + int(rng.uniform(3, 30) * DAY), list(range(len(lines))),
                                  "store" if in_store else "web", self.domestic(person.home_location) if in_store else None)
        if pickup:
            self.after_visit(fulfilled, location, lines, order.refund is not None)
        self.maybe_post(t, lines, order.refund is not None, campaign)
        return order

    # --- store ------------------------------------------------------------------------------------
    def domestic(self, location: int) -> int:
        """`location` if it is in the web shop's country, else the first domestic store (web orders stay home)."""
        return location if self.world.locations[location].is_domestic else self.world.domestic[0]

    def store_visit(self, t: int, skus: list[str]) -> None:
        """A visit during the store's own opening hours (10:00-20:00 in its time zone), priced on its day."""
        rng, person, world = self.rng, self.person, self.world
        location = person.home_location if rng.random() < 0.8 else rng.randrange(len(world.locations))
        store = world.locations[location]
        zone = ZoneInfo(store.timezone)
        if not 10 <= datetime.fromtimestamp(t, zone).hour < 20:
            t = local_time(store_day(t, store), rng.uniform(10, 19.5), zone)
        lines = [Line(sku, rng.choices((1, 2), (0.85, 0.15))[0], world.prices.store_price(sku, store_day(t, store),
                                                                                          store.currency))
                 for sku in skus]
        wants_loyalty = person.loyalty and rng.random() < 0.9
        attaches = (person.square_profile or wants_loyalty) and (wants_loyalty or rng.random() < 0.85)
        if attaches and person.index not in self.out.square_profiles:
            self.create_profile(t, wants_loyalty)
        order = StoreOrder(key=self.key(t), person=person.index, created=t, location=location, lines=lines,
                           with_profile=attaches, with_loyalty=wants_loyalty,
                           tender="CARD" if rng.random() < 0.85 else "CASH")
        if rng.random() < 0.06:
            back = person.home_location if rng.random() < 0.7 else location
            if world.locations[back].currency != store.currency:  # money goes back in the sale's currency
                back = location
            order.refund = Refund(t + int(rng.uniform(2, 25) * DAY), [0], "store", back)
        self.out.store_orders.append(order)
        self.after_visit(t, location, lines, order.refund is not None)
        self.maybe_post(t, lines, order.refund is not None, None, store.name)

    def create_profile(self, t: int, needs_phone: bool) -> None:
        """The cashier's profile: typed name, maybe e-mail, phone; sometimes a placeholder to get past the form."""
        rng, person = self.rng, self.person
        has_email = rng.random() < 0.5
        email = noise.email_as_typed(rng, person.email) if has_email else None
        phone = noise.phone_as_typed(rng, person.phone) if needs_phone or rng.random() < 0.8 else None
        phones, emails = self.world.dialect.placeholder_values()
        share = self.world.dialect.placeholder_share
        if not needs_phone and phones and rng.random() < share:
            phone = phones[int(rng.random() * len(phones))]
        if has_email and emails and rng.random() < share:
            email = emails[int(rng.random() * len(emails))]
        self.out.square_profiles[person.index] = SquareProfile(
            person=person.index, created=t,
            given_name=noise.first_name_as_typed(rng, person.first_name),
            family_name=noise.last_name_as_typed(rng, person.last_name),
            email=email, phone=phone,
            email_added_at=None if has_email or rng.random() > 0.4 else t + int(rng.uniform(20, 120) * DAY),
        )

    # --- after a purchase -------------------------------------------------------------------------
    def after_visit(self, t: int, location: int, lines: list[Line], returned: bool) -> None:
        """A store visit (purchase or pickup) may be reviewed on Google some days later."""
        rng, person = self.rng, self.person
        if rng.random() >= person.reviewer_p:
            return
        created = t + int(rng.uniform(1, 14) * DAY)
        stars = rng.choices((5, 4, 3, 2, 1), (0.2, 0.2, 0.2, 0.2, 0.2) if returned else (0.5, 0.22, 0.1, 0.07, 0.11))[0]
        product = self.world.by_sku[lines[0].sku].title
        anonymous = rng.random() < 0.03
        display = "A Google User" if anonymous else noise.reviewer_display_name(rng, person.first_name,
                                                                                  person.last_name)
        review = Review(key=self.key(created), person=person.index, created=created, location=location,
                        stars=stars, comment=text.review_comment(rng, stars, product, self.world.brand) if rng.random() < 0.85 else None,
                        display_name=display, anonymous=anonymous)
        if rng.random() < 0.55:
            review.reply_at = created + int(rng.uniform(1, 10) * DAY)
            review.reply = text.owner_reply(rng, stars, display, self.world.brand)
        if review.comment and rng.random() < 0.12:
            improved = stars <= 3 and rng.random() < 0.5
            review.edited_at = created + int(rng.uniform(5, 60) * DAY)
            review.edited_stars = min(5, stars + 2) if improved else max(1, stars - 1)
            review.edited_comment = text.edited_comment(rng, review.comment, improved)
        self.out.reviews.append(review)

    def maybe_post(self, t: int, lines: list[Line], negative: bool, campaign: str | None,
                   store: str | None = None) -> None:
        if self.person.bluesky and self.rng.random() < self.person.poster_p:
            created = t + int(self.rng.uniform(0.5, 5 * 24) * 3600)
            self.post(created, lines[0].sku, campaign, negative, musing=False, store=store)

    def post(self, created: int, sku: str, campaign: str | None, negative: bool, musing: bool,
             store: str | None = None) -> None:
        rng = self.rng
        product = self.world.by_sku[sku]
        body = (text.musing_post(rng, product.title, self.world.brand) if musing
                else text.purchase_post(rng, product.title, store, negative, self.world.brand))
        shares_link = campaign is not None and rng.random() < 0.5
        self.out.posts.append(Post(
            key=self.key(created), person=self.person.index, created=created, text=body,
            campaign=campaign if shares_link else None, product_handle=product_handle(product),
            likes=int(rng.expovariate(1 / 4)), reposts=int(rng.expovariate(1 / 0.7)),
            replies=int(rng.expovariate(1 / 0.8)), quotes=int(rng.random() < 0.05),
        ))
