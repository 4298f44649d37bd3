"""The people of the world: who they are, how they tend to shop, and when they arrive and churn.

Each person is drawn from their own random stream (seeded by world seed and person index), so adding
people or advancing time never changes anyone already drawn. A small share join the previous
person's household and share that person's e-mail or phone, as families do. Apart from that sharing,
every address, phone number and Bluesky handle belongs to one person, as providers and carriers
hand each out once (`ContactRegistry`).
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sandbox.world import ids
from sandbox.world.vocab import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, NICKNAMES, WORK_DOMAINS

DAY = 86_400
EXISTING_SHARE = 0.35  # people already customers when the window opens
SEGMENTS = (  # name, weight, web-research probability, {purchase channel: probability}
    ("store_only", 0.30, 0.15, {"store": 0.85}),
    ("web_only", 0.24, 1.0, {"web": 0.72}),
    ("omni", 0.26, 0.7, {"web": 0.40, "store": 0.45}),
    ("browser", 0.12, 1.0, {"web": 0.06}),
    ("social_fan", 0.08, 0.9, {"web": 0.45, "store": 0.20}),
)


@dataclass(frozen=True)
class Person:
    """One real human behind the source records, with their behavioural knobs."""

    index: int
    person_id: str
    first_name: str
    last_name: str
    email: str
    alt_email: str | None  # a second web account under another address
    phone: str  # E.164
    household_id: str
    home_location: int
    arrival: int  # epoch seconds
    churn_at: int
    segment: str
    intents_per_year: float
    web_research_p: float
    channel_p: tuple[tuple[str, float], ...]
    devices: int
    has_account: bool
    square_profile: bool
    loyalty: bool
    shares_phone: bool
    bluesky: bool
    poster_p: float
    reviewer_p: float
    shares_email: bool
    bluesky_handle: str | None  # unique on the network; None without a Bluesky account


HANDLE_MAX = 18  # bsky.social refuses longer first segments


class ContactRegistry:
    """The e-mail addresses, phone numbers and handles already given out, so nobody gets another's.

    A mail provider offers the second Zoe Nelson zoenelson84@ instead of zoenelson@; a carrier never
    issues a live number twice. Filled in person-index order, so a world generated later and a world
    advanced to the same day give every person the same contacts.
    """

    def __init__(self, reserved: tuple[str, ...] = ()):
        self._taken: set[str] = set(reserved)

    def claim(self, candidates: Iterator[str], same_as: Callable[[str], str] = str) -> str:
        """The first candidate nobody holds yet, now held; `same_as` maps a value to what it delivers to."""
        for candidate in candidates:
            key = same_as(candidate)
            if key not in self._taken:
                self._taken.add(key)
                return candidate
        raise ValueError("contact candidates ran out before a free one was found")


def mailbox_of(address: str) -> str:
    """The mailbox an address delivers to: "+tags" dropped, and Gmail ignores dots (maria.g@ is mariag@)."""
    local, _, domain = address.lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return f"{local.replace('.', '')}@gmail.com"
    return f"{local}@{domain}"


def _clean_last(last: str) -> str:
    return last.lower().replace("'", "").replace(" ", "")


def email_for(rng: random.Random, first: str, last: str) -> str:
    """A plausible personal address: maria.garcia@, mgarcia84@, maria_g@ ..."""
    f, last_clean = first.lower(), _clean_last(last)
    style = rng.randrange(5)
    local = (f"{f}.{last_clean}", f"{f[0]}{last_clean}{rng.randrange(60, 100)}", f"{f}_{last_clean[0]}",
             f"{f}{last_clean}", f"{last_clean}.{f}{rng.randrange(1, 30)}")[style]
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _number_suffixes(rng: random.Random) -> Iterator[str]:
    """Ever longer random numbers: what sign-up forms suggest when a name is taken."""
    attempt = 0
    while True:
        digits = 2 + attempt // 4
        yield str(rng.randrange(10 ** (digits - 1), 10 ** digits))
        attempt += 1


def numbered_variants(rng: random.Random, wanted: str) -> Iterator[str]:
    """`wanted`, then its local part with a number appended (zoenelson@ -> zoenelson84@)."""
    yield wanted
    local, _, domain = wanted.partition("@")
    for suffix in _number_suffixes(rng):
        yield f"{local}{suffix}@{domain}"


def phone_for(rng: random.Random) -> str:
    """A Portland-area mobile number in E.164."""
    return f"+1{rng.choice(('503', '971', '360', '541'))}{rng.randrange(2, 10)}{rng.randrange(0, 10**6):06d}"


def phones(rng: random.Random, wanted: str) -> Iterator[str]:
    """`wanted`, then further numbers: what a carrier would issue when `wanted` is in use."""
    yield wanted
    while True:
        yield phone_for(rng)


def handle_candidates(rng: random.Random, base: str) -> Iterator[str]:
    """bsky.social handles from `base`, cut to the 18-character limit, numbered when taken."""
    yield f"{base[:HANDLE_MAX]}.bsky.social"
    for suffix in _number_suffixes(rng):
        yield f"{base[:HANDLE_MAX - len(suffix)]}{suffix}.bsky.social"


def arrival_for(index: int, rng: random.Random, people: int, start: int, end: int) -> int:
    """When a person first interacts: existing customers in the first days, newcomers spread evenly.

    People beyond the scale's count keep arriving at the same pace after the window ends, so an
    advanced world still gains newcomers.
    """
    window = end - start
    if index >= people:
        new_rate = (1 - EXISTING_SHARE) * people / window
        return end + int((index - people + rng.random()) / new_rate)
    # One day of margin keeps shop-local times (UTC-7/-8) of the first visits inside the window.
    if rng.random() < EXISTING_SHARE:
        return start + DAY + int(rng.random() * 19 * DAY)
    return start + DAY + int(rng.random() * (window - DAY))


def people_arrived_by(people: int, end: int, start: int, horizon: int) -> int:
    """How many person indices can have arrived by `horizon` (an upper bound; later ones are skipped)."""
    if horizon <= end:
        return people
    new_rate = (1 - EXISTING_SHARE) * people / (end - start)
    return people + int((horizon - end) * new_rate) + 1


def draw_person(seed: int, index: int, previous: Person | None, people: int, start: int, end: int,
                location_count: int, registry: ContactRegistry, household_share: float = 0.07) -> Person:
    """Person `index`; may join `previous`'s household (same surname, store, shared e-mail or phone).

    `household_share` is the dialect's share of people who join the previous person's household.

    Contacts not shared with the household are claimed from `registry`; the retries draw from a
    stream of their own, so a collision never shifts the person's other traits.
    """
    rng = random.Random(f"{seed}:person:{index}")
    retry_rng = random.Random(f"{seed}:contact-retry:{index}")
    first = rng.choice(FIRST_NAMES)
    joins_household = previous is not None and rng.random() < household_share
    last = previous.last_name if joins_household and previous else rng.choice(LAST_NAMES)
    email = email_for(rng, first, last)
    phone = phone_for(rng)
    shares_email = shares_phone = False
    household_id = f"H{index:07d}"
    home_location = min(int(rng.random() ** 1.3 * location_count), location_count - 1)
    if joins_household and previous:
        household_id = previous.household_id
        home_location = previous.home_location
        shares_email = rng.random() < 0.4
        shares_phone = not shares_email or rng.random() < 0.5
        email = previous.email if shares_email else email
        phone = previous.phone if shares_phone else phone
    if not shares_email:
        email = registry.claim(numbered_variants(retry_rng, email), mailbox_of)
    if not shares_phone:
        phone = registry.claim(phones(retry_rng, phone))
    segment, _, web_research_p, channel_p = _pick_segment(rng)
    is_web = web_research_p >= 0.5
    arrival = arrival_for(index, rng, people, start, end)
    bluesky = segment == "social_fan" or rng.random() < 0.07
    alt_email = None
    if is_web and rng.random() < 0.05:
        work_address = f"{first.lower()}.{_clean_last(last)}@{rng.choice(WORK_DOMAINS)}"
        alt_email = registry.claim(numbered_variants(retry_rng, work_address), mailbox_of)
    handle_from_email = rng.random() < 0.5
    bluesky_handle = (registry.claim(handle_candidates(retry_rng, _handle_base(seed, index, first, email,
                                                                              handle_from_email)))
                      if bluesky else None)
    return Person(
        index=index,
        person_id=f"P{index:07d}",
        first_name=first,
        last_name=last,
        email=email,
        alt_email=alt_email,
        phone=phone,
        household_id=household_id,
        home_location=home_location,
        arrival=arrival,
        churn_at=arrival + int(rng.expovariate(1 / (420 * DAY))),
        segment=segment,
        intents_per_year=rng.lognormvariate(1.2, 0.5),
        web_research_p=web_research_p,
        channel_p=tuple(channel_p.items()),
        devices=rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0],
        has_account=is_web and rng.random() < 0.6,
        square_profile=rng.random() < 0.45,
        loyalty=rng.random() < 0.3,
        shares_phone=shares_phone,
        bluesky=bluesky,
        poster_p=0.5 if segment == "social_fan" else 0.25,
        reviewer_p=0.22 if segment == "social_fan" else 0.12,
        shares_email=shares_email,
        bluesky_handle=bluesky_handle,
    )


def _pick_segment(rng: random.Random) -> tuple[str, float, float, dict[str, float]]:
    roll = rng.random()
    for segment in SEGMENTS:
        roll -= segment[1]
        if roll < 0:
            return segment
    return SEGMENTS[-1]


def nickname_or_name(rng: random.Random, first: str) -> str:
    """The first name as people type it about themselves: sometimes a nickname."""
    options = NICKNAMES.get(first)
    return rng.choice(options) if options and rng.random() < 0.5 else first


def _handle_base(seed: int, index: int, first: str, email: str, from_email: bool) -> str:
    """What a person would type as their handle: often their e-mail's local part, else a nickname."""
    if from_email:
        return email.split("@")[0].replace(".", "").replace("_", "")
    rng = random.Random(f"{seed}:bluesky-handle:{index}")
    base = f"{nickname_or_name(rng, first).lower()}{rng.choice(('pdx', 'hikes', 'outside', ''))}"
    return base + str(rng.randrange(10, 99))


def bluesky_identity(seed: int, person: Person) -> tuple[str, str, str]:
    """(did, handle, displayName) of the person's Bluesky account; handles often echo the e-mail."""
    if person.bluesky_handle is None:
        raise ValueError(f"person {person.person_id} has no Bluesky account but authored a post")
    rng = random.Random(f"{seed}:bluesky:{person.index}")
    handle = person.bluesky_handle
    style = rng.randrange(4)
    display = (f"{person.first_name} {person.last_name}", (f"{nickname_or_name(rng, person.first_name)} "
               f"{person.last_name[0]}."), nickname_or_name(rng, person.first_name), "")[style]
    return ids.bluesky_did(seed, ("person", person.index)), handle, display
