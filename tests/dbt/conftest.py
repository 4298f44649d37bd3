"""Fixtures for the dbt tests: the session's tiny world (tests/conftest.py), loaded raw and built by dbt once.

The world gets a few planted records on top (see `guardrail_records`): a family sharing an email and
a phone, placeholder values typed by many people, and a store kiosk email. They belong to nobody in
the truth, so they do not move the scores; the guardrail tests look them up by id.
"""

import os
from pathlib import Path

import pytest
from planted_identity_records import guardrail_records

from sandbox.direct_load import load_world, run_dbt


@pytest.fixture(scope="session")
def dbt_env():
    """dbt and dlt settings for the whole session (no telemetry, a fixed PII salt)."""
    saved = {key: os.environ.get(key) for key in ("SEAMLINE_DATA_DIR", "SEAMLINE_PII_SALT")}
    os.environ.update({"RUNTIME__DLTHUB_TELEMETRY": "false", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                       "SEAMLINE_PII_SALT": "test-salt"})
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def tiny_warehouse(dbt_env, tiny_world, tmp_path_factory) -> Path:
    """data dir holding raw.duckdb and a fully built (and tested) warehouse.duckdb."""
    data_dir = tmp_path_factory.mktemp("data")
    load_world(tiny_world, data_dir, extra=guardrail_records())
    run_dbt(data_dir, "build")
    return data_dir
