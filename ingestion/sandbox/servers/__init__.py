"""Local sandbox HTTP servers that serve a simulated world through the vendors' own API contracts
(Shopify Admin REST 2024-04, Square v2, Google Business Profile v4 reviews, Bluesky XRPC), so the real
connectors and the vendors' SDKs can read them. See README.md in this folder."""

from ingestion.sandbox.servers.faults import MALFORMED_KINDS, Faults
from ingestion.sandbox.servers.ratelimit import Budget, RateLimits
from ingestion.sandbox.servers.runner import Sandboxes, connector_settings, start_sandboxes
from ingestion.sandbox.servers.sessions import SessionLifetimes

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
