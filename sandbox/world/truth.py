"""Ground truth tables computed from the ledger the renderers filled.

Definitions (also in sandbox/README.md):
- A person appears in persons.parquet once they own at least one touchpoint or record (a Square
  directory profile that never bought counts); `channels` are the distinct touchpoint channels
  (web, store, review, social), sorted, empty for someone known only from a directory profile.
- Money: purchase and return values are net merchandise (REVENUE_BASIS) in the sale's currency
  (`currency` column); money in different currencies is never added.
- Journeys: a person's touchpoints in time order; a new journey starts at the first touchpoint,
  after a purchase, or after a gap of more than JOURNEY_GAP_DAYS. Outcome: `purchase` if the journey
  ends in a purchase, else `abandoned` if it contains add_to_cart, checkout_started or
  cart_abandoned, else `dropped`. `is_open` marks a non-purchase journey whose last touchpoint is
  within the gap of as_of (it may still continue).
- Hand-offs: consecutive touchpoints of one person whose channel differs.
"""

import itertools
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pyarrow as pa

from sandbox.world.catalog import PlantedPriceGap
from sandbox.world.ledger import Ledger, Touchpoint
from sandbox.world.people import DAY, Person
from sandbox.world.settings import JOURNEY_GAP_DAYS

_CART_TYPES = {"add_to_cart", "checkout_started", "cart_abandoned"}
REVENUE_BASIS = ("net merchandise sales: goods sold after discounts, before tax, shipping, tips and service "
                 "charges, in the currency the sale was taken in; never summed across currencies")
_UTC = pa.timestamp("us", tz="UTC")


def ordered_touchpoints(ledger: Ledger) -> list[Touchpoint]:
    return sorted(ledger.touchpoints, key=lambda t: (t.person_id, t.occurred_at, t.source, t.record_id))


def _ts(values: list[int]) -> pa.Array:
    return pa.array([v * 1_000_000 for v in values], type=pa.int64()).cast(_UTC)


def touchpoints_table(touchpoints: list[Touchpoint]) -> pa.Table:
    return pa.table({
        "person_id": [t.person_id for t in touchpoints],
        "channel": [t.channel for t in touchpoints],
        "touchpoint_type": [t.touchpoint_type for t in touchpoints],
        "occurred_at": _ts([t.occurred_at for t in touchpoints]),
        "source": [t.source for t in touchpoints],
        "record_id": [t.record_id for t in touchpoints],
        "value": pa.array([t.value for t in touchpoints], type=pa.float64()),
        "location_id": pa.array([t.location_id for t in touchpoints], type=pa.string()),
        "order_id": pa.array([t.order_id for t in touchpoints], type=pa.string()),
        "sku": pa.array([t.sku for t in touchpoints], type=pa.string()),
        "fulfilment_type": pa.array([t.fulfilment_type for t in touchpoints], type=pa.string()),
        "campaign": pa.array([t.campaign for t in touchpoints], type=pa.string()),
        "currency": pa.array([t.currency for t in touchpoints], type=pa.string()),
    })


def owners_table(ledger: Ledger) -> pa.Table:
    rows = sorted(ledger.owners, key=lambda r: (r[0], r[1], r[2]))
    return pa.table({
        "source": [r[0] for r in rows], "entity": [r[1] for r in rows], "record_id": [r[2] for r in rows],
        "person_id": pa.array([r[3] for r in rows], type=pa.string()),
    })


def channels_by_person(touchpoints: list[Touchpoint]) -> dict[str, list[str]]:
    channels: dict[str, set[str]] = defaultdict(set)
    for t in touchpoints:
        channels[t.person_id].add(t.channel)
    return {person: sorted(found) for person, found in channels.items()}


def persons_table(people: list[Person], channels: dict[str, list[str]], owners: set[str], cut: int,
                  location_ids: list[str]) -> pa.Table:
    present = [p for p in people if p.person_id in channels or p.person_id in owners]
    return pa.table({
        "person_id": [p.person_id for p in present],
        "first_name": [p.first_name for p in present],
        "last_name": [p.last_name for p in present],
        "email": [p.email for p in present],
        "phone": [p.phone for p in present],
        "household_id": [p.household_id for p in present],
        "home_location_id": [location_ids[p.home_location] for p in present],
        "channels": pa.array([channels.get(p.person_id, []) for p in present], type=pa.list_(pa.string())),
        "is_churned": [p.churn_at < cut for p in present],
        "segment": [p.segment for p in present],
        "alt_email": pa.array([p.alt_email for p in present], type=pa.string()),
        "bluesky_user": [p.bluesky for p in present],
    })


def journeys(touchpoints: list[Touchpoint], cut: int) -> list[dict]:
    """Split each person's ordered touchpoints into journeys (see module docstring)."""
    gap = JOURNEY_GAP_DAYS * DAY
    groups: list[list[Touchpoint]] = []
    for t in touchpoints:
        previous = groups[-1][-1] if groups else None
        if (previous is None or t.person_id != previous.person_id or previous.touchpoint_type == "purchase"
                or t.occurred_at - previous.occurred_at > gap):
            groups.append([])
        groups[-1].append(t)
    numbers: Counter[str] = Counter()
    return [_journey(group, numbers, cut, gap) for group in groups]


def _journey(group: list[Touchpoint], numbers: Counter, cut: int, gap: int) -> dict:
    person, last = group[0].person_id, group[-1]
    numbers[person] += 1
    types = {t.touchpoint_type for t in group}
    outcome = "purchase" if last.touchpoint_type == "purchase" else (
        "abandoned" if types & _CART_TYPES else "dropped")
    path: list[str] = []
    for t in group:
        if not path or path[-1] != t.channel:
            path.append(t.channel)
    return {
        "journey_id": f"{person}-J{numbers[person]:04d}", "person_id": person,
        "started_at": group[0].occurred_at, "ended_at": last.occurred_at, "touchpoints": len(group),
        "channel_path": ">".join(path), "first_channel": group[0].channel, "last_channel": last.channel,
        "channel_count": len(set(path)), "outcome": outcome,
        "purchase_channel": last.channel if outcome == "purchase" else None,
        "purchase_record_id": last.record_id if outcome == "purchase" else None,
        "revenue": last.value if outcome == "purchase" else 0.0,
        "currency": last.currency if outcome == "purchase" else None,
        "dropoff_type": None if outcome == "purchase" else last.touchpoint_type,
        "is_open": outcome != "purchase" and cut - last.occurred_at <= gap,
    }


def journeys_table(rows: list[dict]) -> pa.Table:
    columns = {key: [row[key] for row in rows] for key in (rows[0] if rows else _JOURNEY_COLUMNS)}
    columns["started_at"] = _ts(columns["started_at"])
    columns["ended_at"] = _ts(columns["ended_at"])
    for key in ("purchase_channel", "purchase_record_id", "dropoff_type", "currency"):
        columns[key] = pa.array(columns[key], type=pa.string())
    columns["revenue"] = pa.array(columns["revenue"], type=pa.float64())
    return pa.table(columns)


_JOURNEY_COLUMNS = ("journey_id", "person_id", "started_at", "ended_at", "touchpoints", "channel_path",
                    "first_channel", "last_channel", "channel_count", "outcome", "purchase_channel",
                    "purchase_record_id", "revenue", "currency", "dropoff_type", "is_open")


def handoffs(touchpoints: list[Touchpoint]) -> list[dict]:
    """Consecutive touchpoints of one person that change channel, and whether a purchase followed."""
    window = JOURNEY_GAP_DAYS * DAY
    by_person: dict[str, list[Touchpoint]] = defaultdict(list)
    for t in touchpoints:
        by_person[t.person_id].append(t)
    rows = []
    for person in sorted(by_person):
        series = by_person[person]
        purchases = [t.occurred_at for t in series if t.touchpoint_type == "purchase"]
        for before, after in itertools.pairwise(series):
            if before.channel == after.channel:
                continue
            followed = any(after.occurred_at <= p <= after.occurred_at + window for p in purchases)
            rows.append({
                "person_id": person, "from_channel": before.channel, "to_channel": after.channel,
                "from_type": before.touchpoint_type, "to_type": after.touchpoint_type,
                "from_at": before.occurred_at, "to_at": after.occurred_at,
                "hours_between": round((after.occurred_at - before.occurred_at) / 3600, 3),
                "from_record_id": before.record_id, "to_record_id": after.record_id,
                "purchase_within_window": followed,
            })
    return rows


def handoffs_table(rows: list[dict]) -> pa.Table:
    keys = ("person_id", "from_channel", "to_channel", "from_type", "to_type", "from_at", "to_at",
            "hours_between", "from_record_id", "to_record_id", "purchase_within_window")
    columns = {key: [row[key] for row in rows] for key in keys}
    columns["from_at"] = _ts(columns["from_at"])
    columns["to_at"] = _ts(columns["to_at"])
    columns["hours_between"] = pa.array(columns["hours_between"], type=pa.float64())
    columns["purchase_within_window"] = pa.array(columns["purchase_within_window"], type=pa.bool_())
    return pa.table({k: (v if isinstance(v, pa.Array) else pa.array(v, type=pa.string())) for k, v in columns.items()})


def planted_table(gaps: list[PlantedPriceGap], prices, sold: Counter, cut: int, cross_returns: list[dict]) -> pa.Table:
    """Planted anomalies: price gaps per (sku, shop-local day) with orders per channel, cross-channel returns.

    `sold` counts orders per (channel, sku, day) that contain the SKU.
    """
    rows = []
    for gap in gaps:
        day = gap.start
        while day <= gap.end and _midnight(day) < cut:
            rows.append({"kind": "price_difference", "sku": gap.sku, "date": day.isoformat(),
                         "web_price": prices.web_price(gap.sku, day) / 100,
                         "store_price": prices.store_price(gap.sku, day) / 100,
                         "web_orders": sold[("web", gap.sku, day)], "store_orders": sold[("store", gap.sku, day)],
                         "order_id": None, "purchase_channel": None, "return_channel": None})
            day = date.fromordinal(day.toordinal() + 1)
    for row in cross_returns:
        rows.append({"kind": "cross_channel_return", "sku": row["sku"], "date": row["date"], "web_price": None,
                     "store_price": None, "web_orders": None, "store_orders": None, "order_id": row["order_id"],
                     "purchase_channel": row["purchase_channel"], "return_channel": row["return_channel"]})
    schema = pa.schema([("kind", pa.string()), ("sku", pa.string()), ("date", pa.string()),
                        ("web_price", pa.float64()), ("store_price", pa.float64()), ("web_orders", pa.int64()),
                        ("store_orders", pa.int64()), ("order_id", pa.string()), ("purchase_channel", pa.string()),
                        ("return_channel", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)




def brand_mentions_table(ledger: Ledger) -> pa.Table:
    """truth/brand_mentions.parquet: every post in the files, whether it is about the brand, and its kind."""
    rows = sorted(ledger.mentions)
    return pa.table({"uri": [r[0] for r in rows], "about_brand": pa.array([r[1] for r in rows], type=pa.bool_()),
                     "kind": [r[2] for r in rows]})


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def kpis(touchpoints: list[Touchpoint], channels: dict[str, list[str]], journey_rows: list[dict],
         handoff_rows: list[dict], people: list[Person], cut: int, currency: str = "USD") -> dict:
    """Headline KPIs, all derived from the truth touchpoints (definitions in the README).

    Money KPIs without a currency in their name are in the shop's `currency` only; sales taken in
    another currency (a store abroad) are in `revenue_by_channel_currency`.
    """
    revenue: Counter[str] = Counter()
    by_currency: dict[str, Counter[str]] = defaultdict(Counter)
    orders: Counter[str] = Counter()
    shop_orders: Counter[str] = Counter()
    refunds: Counter[str] = Counter()
    fulfilment: Counter[str] = Counter()
    returns_total = returns_cross = 0
    purchase_channel_of_order: dict[str, str] = {}
    for t in touchpoints:
        if t.touchpoint_type == "purchase":
            cents = round(t.value * 100)
            by_currency[t.channel][t.currency] += cents
            if t.currency == currency:
                revenue[t.channel] += cents
                shop_orders[t.channel] += 1
            orders[t.channel] += 1
            fulfilment[t.fulfilment_type] += 1
            purchase_channel_of_order[t.order_id] = t.channel
    for t in touchpoints:
        if t.touchpoint_type == "return":
            if t.currency == currency:
                refunds[t.channel] += round(-t.value * 100)
            returns_total += 1
            returns_cross += purchase_channel_of_order.get(t.order_id, t.channel) != t.channel
    combos = Counter(",".join(found) for found in channels.values())
    buyers = defaultdict(set)
    for t in touchpoints:
        if t.touchpoint_type == "purchase":
            buyers[t.person_id].add(t.channel)
    abandoned = sum(1 for t in touchpoints if t.touchpoint_type == "cart_abandoned")
    web_orders = orders["web"]
    outcomes = Counter(j["outcome"] for j in journey_rows)
    handoff_counts = Counter(f"{h['from_channel']}>{h['to_channel']}" for h in handoff_rows)
    reviews = [t.value for t in touchpoints if t.touchpoint_type == "review"]
    present = {p.person_id for p in people} & set(channels)
    return {
        "currency": currency,
        "revenue_basis": REVENUE_BASIS,
        "revenue_by_channel": {k: revenue[k] / 100 for k in sorted(revenue)},
        "revenue_by_channel_currency": {channel: {c: amounts[c] / 100 for c in sorted(amounts)}
                                        for channel, amounts in sorted(by_currency.items())},
        "revenue_total": sum(revenue.values()) / 100,
        "refunds_by_return_channel": {k: refunds[k] / 100 for k in sorted(refunds)},
        "net_revenue": (sum(revenue.values()) - sum(refunds.values())) / 100,
        "orders_by_channel": {k: orders[k] for k in sorted(orders)},
        "orders_by_fulfilment_type": {k: fulfilment[k] for k in sorted(fulfilment)},
        "average_order_value_by_channel": {k: round(revenue[k] / shop_orders[k] / 100, 2)
                                           for k in sorted(shop_orders)},
        "people_total": len(channels),
        "people_by_channel_combination": {k: combos[k] for k in sorted(combos)},
        "omnichannel_share": _share(sum(1 for found in channels.values() if len(found) >= 2), len(channels)),
        "buyers_total": len(buyers),
        "buyers_web_and_store": sum(1 for found in buyers.values() if found == {"store", "web"}),
        "omnichannel_buyer_share": _share(sum(1 for found in buyers.values() if len(found) >= 2), len(buyers)),
        "pickup_in_store_orders": fulfilment["pickup_in_store"],
        "ship_from_store_orders": fulfilment["ship_from_store"],
        "bopis_share": _share(fulfilment["pickup_in_store"], web_orders),
        "ship_from_store_share": _share(fulfilment["ship_from_store"], web_orders),
        "returns_total": returns_total,
        "cross_channel_returns": returns_cross,
        "cross_channel_return_share": _share(returns_cross, returns_total),
        "abandoned_checkouts": abandoned,
        "cart_abandonment_rate": _share(abandoned, abandoned + web_orders),
        "reviews_total": len(reviews),
        "average_rating": round(sum(reviews) / len(reviews), 3) if reviews else None,
        "social_mentions": sum(1 for t in touchpoints if t.touchpoint_type == "social_mention"),
        "journeys_by_outcome": {k: outcomes[k] for k in sorted(outcomes)},
        "handoffs_by_channel_pair": {k: handoff_counts[k] for k in sorted(handoff_counts)},
        "churned_people": sum(1 for p in people if p.person_id in present and p.churn_at < cut),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
