"""The truth ledger the renderers fill while they write records, so truth and data cannot drift apart.

Each renderer, for every record it emits, notes who owns it and (for interactions) the touchpoint it
represents. truth.py turns the ledger into the truth tables.
"""

from dataclasses import dataclass, field


@dataclass(slots=True)
class Touchpoint:
    person_id: str
    channel: str  # web | store | review | social
    touchpoint_type: str
    occurred_at: int  # epoch seconds
    source: str
    record_id: str
    value: float | None = None
    location_id: str | None = None  # Square location id of the store involved
    order_id: str | None = None
    sku: str | None = None
    fulfilment_type: str | None = None
    campaign: str | None = None
    currency: str | None = None  # of `value` for purchases and returns (the sale's currency)


@dataclass
class Ledger:
    owners: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    mentions: list[tuple[str, bool, str]] = field(default_factory=list)  # (post uri, about the brand?, kind)

    def own(self, source: str, entity: str, record_id: object, person_id: str | None) -> None:
        self.owners.append((source, entity, str(record_id), person_id))

    def touch(self, touchpoint: Touchpoint) -> None:
        self.touchpoints.append(touchpoint)

    def mention(self, uri: str, about_brand: bool, kind: str) -> None:
        """A post search returns for the brand's word: person_post, brand_post or off_topic."""
        self.mentions.append((uri, about_brand, kind))
