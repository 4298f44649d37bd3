"""Seamline's executive dashboard (Streamlit), reading only the published serving snapshot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dashboards.settings import DEFAULT_ADDRESS, DEFAULT_PORT, listen_address

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The `streamlit run` command line: loopback by default, headless, no usage statistics; through
    `dashboards.server`, which imports the pages' libraries before the first reader arrives."""
    return [
        sys.executable, "-m", "dashboards.server", "run", str(APP),
        "--server.port", str(port), "--server.address", address,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",
    ]


def serve(port: int | None = None, address: str | None = None) -> int:
    """Run the dashboard in the foreground until interrupted (`seamline ui` can call this); the exit code.

    Binds to 127.0.0.1 unless another address is given (argument, or SEAMLINE_DASHBOARD_ADDRESS /
    SEAMLINE_DASHBOARD_PORT): the dashboard has no login of its own.
    """
    port, address = listen_address(port, address)
    environment = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    return subprocess.call(streamlit_command(port, address), env=environment)
