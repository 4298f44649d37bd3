"""Governed metrics never reach the network: no update check, no telemetry, only the snapshot file."""

from __future__ import annotations

import socket
import sys

import pytest


def test_a_metric_query_opens_no_network_connection(governed, monkeypatch):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    (row,) = governed.query(["revenue", "orders"]).records()
    assert row["orders"] > 0
    assert attempts == []
    # the `mf` command's module, which asks PyPI for a newer version on start, is never loaded
    assert "dbt_metricflow.cli.main" not in sys.modules


@pytest.mark.parametrize("name", ["DBT_SEND_ANONYMOUS_USAGE_STATS", "DBT_VERSION_CHECK"])
def test_dbt_runs_with_telemetry_and_version_check_off(name, monkeypatch, tmp_path):
    from orchestration.analysts import metrics

    seen = {}

    def fake_run(command, env, **kwargs):
        seen.update(env)
        return type("Done", (), {"returncode": 0, "stdout": "", "stderr": ""})()

    monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(metrics.subprocess, "run", fake_run)
    metrics.dbt_command(["parse"], tmp_path)
    assert seen[name] == "false"
