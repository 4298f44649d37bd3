"""Raw PII at rest (issue 18 item 6): after a run everything holding raw records is owner-only (files
0600 in 0700 directories) and dlt keeps no completed load files (they held every raw email)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingestion.common.private_files import restrict_data_dir
from ingestion.pipelines import run_source
from seamline_core.paths import data_dir, dlt_pipelines_dir, raw_db, warehouse_db

EMAIL = "ada.lovelace@example.com"


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most shells and services run with: files 0644, directories 0755 unless we act."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def loose_modes(root: Path) -> list[str]:
    """Every file not 0600 and every directory not 0700 under `root` (and `root` itself)."""
    found = [] if mode(root) == 0o700 else [f"{root}: {oct(mode(root))}"]
    for path in root.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        if not path.is_symlink() and mode(path) != expected:
            found.append(f"{path.relative_to(root)}: {oct(mode(path))}")
    return found


def identify_event(message_id: str) -> dict:
    return {"messageId": message_id, "type": "identify", "anonymousId": "anon-1", "userId": "u1",
            "timestamp": "2026-01-01T01:15:00.000Z", "traits": {"email": EMAIL}}


def test_after_a_run_raw_pii_is_owner_only_and_no_load_file_keeps_it(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "events-20260101-01.jsonl").write_text("\n".join(json.dumps(identify_event(f"m{i}")) for i in range(3)))

    result = run_source("web_events", bucket_url=str(drop))

    assert result.rows_loaded == {"events": 3}
    assert mode(raw_db()) == 0o600
    assert loose_modes(data_dir()) == []
    files_with_the_email = [path.relative_to(dlt_pipelines_dir()) for path in dlt_pipelines_dir().rglob("*")
                            if path.is_file() and EMAIL.encode() in path.read_bytes()]
    assert files_with_the_email == []


def test_the_warehouse_database_is_made_owner_only_too() -> None:
    private = data_dir()
    private.mkdir(parents=True)
    with duckdb.connect(str(warehouse_db())) as connection:
        connection.execute(f"create table people as select '{EMAIL}' as email")
    assert mode(warehouse_db()) == 0o644

    restrict_data_dir()

    assert mode(warehouse_db()) == 0o600
    assert loose_modes(private) == []
