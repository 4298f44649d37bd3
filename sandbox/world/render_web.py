"""Segment-style web events grouped into hourly files by delivery time.

A file `events-YYYYMMDD-HH.jsonl` (UTC hour of delivery) holds the events delivered in that hour:
mostly events of that hour, plus late ones from earlier hours. Some files are gzipped
(`.jsonl.gz`) and some are delivered a second time under `events-YYYYMMDD-HH-redelivery.jsonl`
with the same events. Only the file names for hours before `as_of` exist, and files already on
disk are never rewritten (their content is determined by the seed, so it would be identical).
"""

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sandbox.world import ids
from sandbox.world.ledger import Ledger, Touchpoint
from sandbox.world.model import WebEvent
from sandbox.world.output import utc_millis, write_jsonl
from sandbox.world.people import Person
from sandbox.world.simulate import World, day_of
from sandbox.world.vocab import USER_AGENTS

TOUCHPOINT_TYPE = {"Product Viewed": "product_view", "Product Added": "add_to_cart",
                   "Checkout Started": "checkout_started", "Store Locator Viewed": "page_view"}
# Where a campaign's visitors come from, for events after the landing page (their URL has no utm tags).
CAMPAIGN_SOURCES = {"abandoned-checkout": ("shopify_email", "email")}
_LIBRARY = {"name": "analytics.js", "version": "4.1.0"}


@lru_cache(maxsize=4096)
def campaign_of(url: str) -> dict | None:
    """The utm campaign of a landing URL (cached: a handful of URLs recur across millions of events).

    Callers must not modify the returned dict.
    """
    query = parse_qs(urlsplit(url).query)
    if "utm_campaign" not in query:
        return None
    return {"source": query.get("utm_source", [""])[0], "medium": query.get("utm_medium", [""])[0],
            "name": query["utm_campaign"][0]}


@lru_cache(maxsize=4096)
def page_of(url: str) -> tuple[str, str]:
    """(path, Segment page name) of a shop URL, cached like campaign_of."""
    path = urlsplit(url).path or "/"
    return path, "Home" if path == "/" else path.strip("/").split("/")[0].title()


class WebRenderer:
    """Turns simulated web events into Segment records, hourly files and truth rows."""

    def __init__(self, world: World, people: dict[int, Person], accounts: dict[str, tuple[int, int]], cut: int,
                 order_ids: dict[tuple, int]):
        """`accounts` maps a normalised e-mail to (created, Shopify customer id) of its account."""
        self.world, self.people, self.cut = world, people, cut
        self.accounts = accounts
        self.order_ids = order_ids

    def message_id(self, event: WebEvent) -> str:
        return ids.uuid_id(self.world.seed, "message", event.key)

    @staticmethod
    def campaign(event: WebEvent) -> dict | None:
        """The utm campaign of the landing URL, or the campaign the visit came from (later pages)."""
        campaign = campaign_of(event.url)
        if campaign is None and event.campaign:
            source, medium = CAMPAIGN_SOURCES.get(event.campaign, ("bluesky", "social"))
            campaign = {"source": source, "medium": medium, "name": event.campaign}
        return campaign

    def record(self, event: WebEvent) -> dict:
        user_id = None
        account = self.accounts.get(event.account_email.strip().lower()) if event.account_email else None
        if account and account[0] <= event.timestamp:  # userId exists once the account does
            user_id = str(account[1])
        path, page_name = page_of(event.url)
        context = {"page": {"path": path, "referrer": event.referrer, "url": event.url},
                   "userAgent": USER_AGENTS[event.user_agent], "library": _LIBRARY}
        campaign = self.campaign(event)
        if campaign:
            context["campaign"] = campaign
        record = {"messageId": self.message_id(event), "type": event.type}
        if event.type == "track":
            record["event"] = event.event
        elif event.type == "page":
            record["name"] = page_name
        record.update({"anonymousId": event.anonymous_id, "userId": user_id,
                       "timestamp": utc_millis(event.timestamp, event.key[2] * 37)})
        properties = dict(event.properties)
        if event.order_key is not None:
            properties["order_id"] = str(self.order_ids[event.order_key])
        record["properties"] = properties
        if event.type == "identify":
            record["traits"] = event.traits
        record["context"] = context
        record["receivedAt"] = utc_millis(event.delivered, event.key[2] * 37 + 250)
        return record

    def batches(self, events: list[WebEvent]) -> list[tuple[int, list[WebEvent]]]:
        """Events delivered before the cut, grouped by UTC delivery hour (epoch hours), in file order."""
        by_hour: dict[int, list[WebEvent]] = defaultdict(list)
        for event in events:
            if event.delivered < self.cut:
                by_hour[event.delivered // 3600].append(event)
        return [(hour, sorted(by_hour[hour], key=lambda e: (e.timestamp, e.key))) for hour in sorted(by_hour)]

    def file_names(self, hour: int) -> tuple[str, bool, str | None]:
        """(file name, gzipped?, re-delivery file name or None) of an hour, fixed by seed and hour."""
        flavour = ids.digest(self.world.seed, "web-file", hour, 1)[0]
        stamp = f"{day_of(hour * 3600):%Y%m%d}-{hour % 24:02d}"
        compress = flavour < 51
        return (f"events-{stamp}.jsonl" + (".gz" if compress else ""), compress,
                f"events-{stamp}-redelivery.jsonl" if flavour >= 252 else None)

    def write_files(self, batches: list[tuple[int, list[WebEvent]]], folder: Path) -> None:
        """Write every hourly file not on disk yet (existing ones hold the same events by construction)."""
        for hour, batch in batches:
            name, compress, redelivery = self.file_names(hour)
            targets = [(folder / name, compress)] + ([(folder / redelivery, False)] if redelivery else [])
            missing = [(path, gz) for path, gz in targets if not path.exists()]
            if missing:
                records = [self.record(event) for event in batch]
                for path, gz in missing:
                    write_jsonl(path, records, gz)

    def note_truth(self, batches: list[tuple[int, list[WebEvent]]], ledger: Ledger) -> dict[str, int]:
        """Touchpoints and anonymousId owners of the delivered events; returns file and event counts."""
        anonymous_owner: dict[str, str] = {}
        stats = {"files": len(batches), "events": 0, "redelivered_files": 0}
        for hour, batch in batches:
            stats["events"] += len(batch)
            stats["redelivered_files"] += self.file_names(hour)[2] is not None
            for event in batch:
                person_id = self.people[event.person].person_id
                anonymous_owner.setdefault(event.anonymous_id, person_id)
                kind = ("identify" if event.type == "identify" else "page_view" if event.type == "page"
                        else TOUCHPOINT_TYPE.get(event.event))
                if kind:
                    campaign = self.campaign(event)
                    ledger.touch(Touchpoint(person_id, "web", kind, event.timestamp, "web_events",
                                            self.message_id(event), None, sku=event.properties.get("sku"),
                                            campaign=campaign["name"] if campaign else None))
        for anonymous_id, person_id in sorted(anonymous_owner.items()):
            ledger.own("web_events", "anonymous_ids", anonymous_id, person_id)
        return stats
