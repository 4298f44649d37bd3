"""Local sandbox HTTP servers that serve a simulated world through the vendors' own API contracts
(Shopify Admin REST 2024-04, Square v2, Google Business Profile v4 reviews, Bluesky XRPC), so the real
connectors and the vendors' SDKs can read them. See README.md in this folder."""

from sandbox.servers.faults import MALFORMED_KINDS, Faults
from sandbox.servers.ratelimit import Budget, RateLimits
from sandbox.servers.runner import Sandboxes, connector_settings, start_sandboxes
from sandbox.servers.sessions import SessionLifetimes

__all__ = [
    "MALFORMED_KINDS",
    "Budget",
    "Faults",
    "RateLimits",
    "Sandboxes",
    "SessionLifetimes",
    "connector_settings",
    "start_sandboxes",
]
