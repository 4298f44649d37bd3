"""Journey and hand-off rules of the truth on a hand-made touchpoint sequence."""

from sandbox.world import truth
from sandbox.world.ledger import Touchpoint

DAY = 86_400


def tp(person: str, day: float, channel: str, kind: str, value: float | None = None) -> Touchpoint:
    return Touchpoint(person, channel, kind, int(day * DAY), "test", f"{person}-{day}", value)


def test_journeys_split_on_purchase_and_on_30_day_gaps() -> None:
    series = [
        tp("A", 0, "social", "social_mention"), tp("A", 1, "web", "product_view"), tp("A", 2, "web", "add_to_cart"),
        tp("A", 3, "store", "purchase", 80.0),  # closes journey 1
        tp("A", 8, "review", "review", 5.0),  # journey 2 ...
        tp("A", 50, "web", "page_view"),  # ... 42 days later: journey 3
        tp("B", 10, "web", "checkout_started"), tp("B", 10.1, "web", "cart_abandoned"),
    ]
    journeys = truth.journeys(series, cut=int(60 * DAY))
    assert [(j["journey_id"], j["outcome"], j["channel_path"]) for j in journeys] == [
        ("A-J0001", "purchase", "social>web>store"),
        ("A-J0002", "dropped", "review"),
        ("A-J0003", "dropped", "web"),
        ("B-J0001", "abandoned", "web"),
    ]
    assert journeys[0]["revenue"] == 80.0 and journeys[0]["purchase_channel"] == "store"
    assert [j["is_open"] for j in journeys] == [False, False, True, False]


def test_handoffs_are_channel_changes_with_purchase_follow_up() -> None:
    series = [tp("A", 0, "social", "social_mention"), tp("A", 1, "web", "product_view"),
              tp("A", 1.5, "web", "add_to_cart"), tp("A", 3, "store", "purchase", 80.0),
              tp("A", 40, "review", "review", 2.0)]
    rows = truth.handoffs(series)
    assert [(h["from_channel"], h["to_channel"], h["purchase_within_window"]) for h in rows] == [
        ("social", "web", True), ("web", "store", True), ("store", "review", False)]
    assert rows[1]["hours_between"] == 36.0
