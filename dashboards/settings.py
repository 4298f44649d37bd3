"""Dashboard settings, read from the environment when a function runs (never at import time).

Why a module of its own: the launcher, the app and the tests all need the same few knobs, and each
knob must live in exactly one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dashboards.pii import configured_salt

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501
ROLES_WITH_RAW_PII = frozenset({"service"})


@dataclass(frozen=True)
class DashboardSettings:
    """What the app needs to know about its deployment."""

    role: str
    stale_after_hours: float
    pii_salt: str

    @property
    def shows_raw_pii(self) -> bool:
        """Raw PII is shown only to roles that are allowed to see it (customer service)."""
        return self.role in ROLES_WITH_RAW_PII


def load_settings() -> DashboardSettings:
    """Read the dashboard's settings from the environment.

    SEAMLINE_DASHBOARD_ROLE: `viewer` (default, masked PII) or `service` (raw PII when published).
    SEAMLINE_STALE_AFTER_HOURS: a snapshot older than this shows the stale-data banner (default 26:
    a daily schedule plus slack).
    SEAMLINE_PII_SALT: the salt dbt hashes emails with, so a searched email hashes to the same value
    (its default is dbt's, dashboards/pii.py ``configured_salt``).
    """
    raw_hours = os.environ.get("SEAMLINE_STALE_AFTER_HOURS", "26")
    try:
        stale_after_hours = float(raw_hours)
    except ValueError as error:
        raise ValueError(
            f"SEAMLINE_STALE_AFTER_HOURS must be a number of hours, got {raw_hours!r}"
        ) from error
    return DashboardSettings(
        role=os.environ.get("SEAMLINE_DASHBOARD_ROLE", "viewer").strip().lower(),
        stale_after_hours=stale_after_hours,
        pii_salt=configured_salt(),
    )


def listen_address(port: int | None = None, address: str | None = None) -> tuple[int, str]:
    """Where the dashboard listens: explicit values, else SEAMLINE_DASHBOARD_PORT / _ADDRESS, else
    127.0.0.1:8501."""
    raw_port = os.environ.get("SEAMLINE_DASHBOARD_PORT", str(DEFAULT_PORT)) if port is None else str(port)
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ValueError(f"SEAMLINE_DASHBOARD_PORT: {raw_port!r} is not a TCP port (1-65535)")
    return int(raw_port), address or os.environ.get("SEAMLINE_DASHBOARD_ADDRESS", DEFAULT_ADDRESS)
