"""Fixtures for the dbt tests: a tiny world, loaded raw, built by dbt once per session.

The world gets a few planted records on top (see `guardrail_records`): a family sharing an email and
a phone, placeholder values typed by many people, and a store kiosk email. They belong to nobody in
the truth, so they do not move the scores; the guardrail tests look them up by id.
"""

import os
from pathlib import Path

import pytest
from dbt_world_loader import load_world, run_dbt

from ingestion.sandbox.world.generate import generate_world

WORLD_SCALE, WORLD_SEED = "tiny", 7
PLANTED_TIME = "2026-08-01T10:00:00-07:00"


def shopify_customer(customer_id: int, first: str, last: str, email: str | None, phone: str | None) -> dict:
    return {"id": customer_id, "email": email, "phone": phone, "first_name": first, "last_name": last,
            "created_at": PLANTED_TIME, "updated_at": PLANTED_TIME, "state": "enabled"}


def square_customer(customer_id: str, first: str, last: str, email: str | None, phone: str | None) -> dict:
    return {"id": customer_id, "given_name": first, "family_name": last, "email_address": email,
            "phone_number": phone, "created_at": "2026-08-01T17:00:00Z", "updated_at": "2026-08-01T17:00:00Z"}


def guardrail_records() -> dict[tuple[str, str], list[dict]]:
    """Records that would chain unrelated people together without the guardrails."""
    generic = [("Olivia", "Quill"), ("Marcus", "Vane"), ("Priya", "Sol"), ("Tomas", "Reyk"), ("Ines", "Valo"),
               ("Kenji", "Maro")]
    kiosk = [("Ada", "Brisk"), ("Ben", "Corral"), ("Cleo", "Dunmore"), ("Dov", "Ember"), ("Eva", "Fjord")]
    return {
        ("shopify", "customers"): [
            *(shopify_customer(9_900_000_001 + i, first, last, " Test@Example.com", "000-000-0000")
              for i, (first, last) in enumerate(generic)),
            shopify_customer(9_900_000_101, "John", "Famil", "TheFamily@gmail.com", None),
            shopify_customer(9_900_000_102, "Jane", "Famil", "jane.famil@gmail.com", "503-201-7788"),
        ],
        ("square", "customers"): [
            *(square_customer(f"PLANTEDKIOSK{i:014d}", first, last, "frontdesk@larkspur-kiosk.com", None)
              for i, (first, last) in enumerate(kiosk)),
            square_customer("PLANTEDFAMILYJOHN000000000", "Johnny", "Famil", "thefamily@gmail.com", "5032017788"),
            square_customer("PLANTEDFAMILYJANE000000000", "Jane", "Famil", "the.family@gmail.com", "(503) 201-7788"),
            # two namesakes behind one address, told apart by their phones
            square_customer("PLANTEDNAMESAKEA000000000", "Arjun", "Pricewell", "arjunpricewell@gmail.com", "503-201-4401"),
            square_customer("PLANTEDNAMESAKEB000000000", "Arjun", "Pricewell", "ArjunPricewell@gmail.com", "503-201-4402"),
        ],
    }


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
def tiny_world(tmp_path_factory) -> Path:
    return generate_world(WORLD_SCALE, WORLD_SEED, tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="session")
def tiny_warehouse(dbt_env, tiny_world, tmp_path_factory) -> Path:
    """data dir holding raw.duckdb and a fully built (and tested) warehouse.duckdb."""
    data_dir = tmp_path_factory.mktemp("data")
    load_world(tiny_world, data_dir, extra=guardrail_records())
    run_dbt(data_dir, "build")
    return data_dir
