"""The launcher binds to loopback by default; port and address are configurable."""

from __future__ import annotations

import pytest

from dashboards import streamlit_command
from dashboards.settings import listen_address


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_defaults_bind_to_loopback(monkeypatch):
    monkeypatch.delenv("SEAMLINE_DASHBOARD_PORT", raising=False)
    monkeypatch.delenv("SEAMLINE_DASHBOARD_ADDRESS", raising=False)

    command = streamlit_command(*listen_address())

    assert _option(command, "--server.address") == "127.0.0.1"
    assert _option(command, "--server.port") == "8501"
    assert _option(command, "--browser.gatherUsageStats") == "false"
    assert _option(command, "--server.headless") == "true"


def test_environment_and_arguments_override(monkeypatch):
    monkeypatch.setenv("SEAMLINE_DASHBOARD_PORT", "9100")
    monkeypatch.setenv("SEAMLINE_DASHBOARD_ADDRESS", "0.0.0.0")

    assert listen_address() == (9100, "0.0.0.0")
    assert listen_address(8600, "127.0.0.2") == (8600, "127.0.0.2")


def test_bad_port_is_named(monkeypatch):
    monkeypatch.setenv("SEAMLINE_DASHBOARD_PORT", "80; rm -rf /")

    with pytest.raises(ValueError, match="SEAMLINE_DASHBOARD_PORT: '80; rm -rf /' is not a TCP port"):
        listen_address()
