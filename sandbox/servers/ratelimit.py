"""Per-vendor request budgets: a leaky bucket that each vendor exposes in its own headers.

Shopify documents its limiter as a leaky bucket (40 requests, leaking 2/s); Bluesky publishes a window
(3000 per 5 minutes) through `RateLimit-*` headers; Square and Google only answer 429. One bucket model
serves all four: `size` requests may burst, and the bucket drains at `refill_per_second`.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    """A bucket holding `size` requests that drains `refill_per_second` of them per second."""

    size: int
    refill_per_second: float

    @property
    def window_seconds(self) -> int:
        """The time an empty bucket takes to fill: the window Bluesky's `RateLimit-Policy` names."""
        return max(1, math.ceil(self.size / self.refill_per_second))


@dataclass(frozen=True)
class RateLimits:
    """Request budgets per vendor. The default is generous so the local demo never waits.

    `RateLimits.vendor_defaults()` holds the vendors' published numbers (Shopify 40 @ 2/s,
    Bluesky 3000 per 5 min, Google 300 per minute, Square unpublished: 20 @ 10/s here) for
    tests and rehearsals of throttled runs.
    """

    shopify: Budget = Budget(size=10_000, refill_per_second=10_000.0)
    square: Budget = Budget(size=10_000, refill_per_second=10_000.0)
    google_reviews: Budget = Budget(size=10_000, refill_per_second=10_000.0)
    bluesky: Budget = Budget(size=10_000, refill_per_second=10_000.0)

    @classmethod
    def vendor_defaults(cls) -> RateLimits:
        return cls(
            shopify=Budget(size=40, refill_per_second=2.0),
            square=Budget(size=20, refill_per_second=10.0),
            google_reviews=Budget(size=300, refill_per_second=5.0),
            bluesky=Budget(size=3000, refill_per_second=10.0),
        )

    def for_vendor(self, vendor: str) -> Budget:
        return getattr(self, vendor)


@dataclass(frozen=True)
class BucketState:
    """What a request found: allowed or not, the fill level after it, and when to retry."""

    allowed: bool
    used: int
    size: int
    retry_after: float
    reset_epoch: int
    window_seconds: int


@dataclass
class LeakyBucket:
    budget: Budget
    _level: float = 0.0
    _updated: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> BucketState:
        """Add one request to the bucket if it fits; report the level either way."""
        with self._lock:
            now = time.monotonic()
            self._level = max(0.0, self._level - (now - self._updated) * self.budget.refill_per_second)
            self._updated = now
            allowed = self._level + 1 <= self.budget.size
            if allowed:
                self._level += 1
            retry_after = (
                0.0 if allowed else (self._level + 1 - self.budget.size) / self.budget.refill_per_second
            )
            drain_seconds = self._level / self.budget.refill_per_second
            return BucketState(
                allowed=allowed,
                used=math.ceil(self._level),
                size=self.budget.size,
                retry_after=retry_after,
                reset_epoch=math.ceil(time.time() + drain_seconds),
                window_seconds=self.budget.window_seconds,
            )
