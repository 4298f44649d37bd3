"""The fast cases of the fault suite (benchmarks/reliability.py) on the tiny world; `make reliability`
runs every case on the small world and writes RELIABILITY.md.

Here: no secret in any file after the session's shared run, no raw PII in any analyst-readable table of
its snapshot, and malformed records quarantined exactly (against the sandbox's own list), each naming
source, record and field, none in raw. Each scanner is first shown to find what it looks for.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks.reliability import (
    _jwt_prefixes,
    find_secrets,
    pii_in_snapshot,
    score_quarantine,
    world_pii,
)
from seamline_core import snapshots


def test_the_secret_scanner_finds_a_token_in_plain_files_and_in_duckdb_text(tmp_path: Path) -> None:
    token = "tok_" + "x" * 28
    (tmp_path / "log.txt").write_text(f"Authorization: Bearer {token}\n")
    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:
        con.execute("create table t as select 'header ' || ? as v from range(3)", [token])
    found = find_secrets(tmp_path, [token])
    assert any(hit.endswith("log.txt: bytes") for hit in found)
    assert any("main.t.v (3 rows)" in hit for hit in found)


def test_no_secret_in_any_file_after_a_run(tiny_pipeline, tiny_sandboxes) -> None:
    assert find_secrets(tiny_pipeline.data_dir, [tiny_sandboxes.token, *_jwt_prefixes()]) == []


def test_no_raw_pii_in_any_table_analysts_can_read(tiny_pipeline) -> None:
    emails, phones = world_pii(tiny_pipeline.world_dir)
    assert len(emails) > 50 and len(phones) > 50
    assert pii_in_snapshot(tiny_pipeline.snapshot, emails, phones) == []
    # the scanner finds them where they are meant to be: the 0600 restricted companion of the dashboard
    restricted = snapshots.restricted_snapshot(tiny_pipeline.snapshot, tiny_pipeline.data_dir / "serving")
    assert restricted is not None and pii_in_snapshot(restricted, emails, phones)


def test_every_malformed_record_is_quarantined_naming_its_field_and_no_valid_one(
    tiny_world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingestion.pipelines import run_source
    from sandbox.servers import Faults, connector_settings, start_sandboxes
    from sandbox.servers.malformed import malformed_records

    monkeypatch.setenv("SEAMLINE_DATA_DIR", str(tmp_path / "data"))
    sources = ("google_reviews", "bluesky")  # the two small APIs (make reliability runs all four on the small world)
    faults = Faults(seed=5, malformed_rate=0.1, vendors=sources)
    with start_sandboxes(tiny_world, faults=faults) as sandboxes:
        for name, value in connector_settings(sandboxes.base_urls, sandboxes.token, tiny_world).items():
            monkeypatch.setenv(name, value)
        for source in sources:
            run_source(source)
    malformed = malformed_records(tiny_world, faults)
    assert len({m.kind for m in malformed}) == 6 and {m.vendor for m in malformed} == set(sources)
    score = score_quarantine(tmp_path / "data" / "raw.duckdb", malformed)
    assert (score.precision, score.recall) == (1.0, 1.0)
    assert score.quarantined == len(malformed) == score.named
    assert score.broken_in_raw == 0
