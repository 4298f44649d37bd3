"""Telemetry and version checks off: nothing in Seamline may reach the internet on its own.

One list for every entry point (CLI, Dagster resources, tests, benchmarks); the Makefile exports the
same switches for the tools it starts directly. Pure Python, no Dagster import.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

TELEMETRY_OFF = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "RUNTIME__DLTHUB_TELEMETRY": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    "DAGSTER_DISABLE_TELEMETRY": "true",
}


def switch_off_telemetry(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set every switch that the caller has not set already (an explicit setting wins)."""
    for name, value in TELEMETRY_OFF.items():
        environ.setdefault(name, value)
