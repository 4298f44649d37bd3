"""Fixtures for the connector tests: an isolated data dir and telemetry off."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SEAMLINE_DATA_DIR (raw.duckdb, dlt state) and no telemetry."""
    data = tmp_path / "data"
    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(data))
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    for name in ("SHOPIFY", "SQUARE", "GOOGLE_REVIEWS", "BLUESKY", "WEB_EVENTS"):
        for setting in ("BASE_URL", "ACCESS_TOKEN", "BUCKET_URL"):
            monkeypatch.delenv(f"SOURCES__{name}__{setting}", raising=False)
    return data
