"""The ``seamline`` command as a newcomer meets it: help texts, and a run with nothing configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.pipelines import SOURCES
from orchestration.cli import main

HELP_PAGES = {
    (): "usage: seamline ",
    ("demo",): "usage: seamline demo ",
    ("ui",): "usage: seamline ui ",
    ("run",): "usage: seamline run ",
    ("rollback",): "usage: seamline rollback ",
    ("world",): "usage: seamline world ",
    ("world", "generate"): "usage: seamline world generate ",
    ("world", "advance"): "usage: seamline world advance ",
    ("sandbox", "serve"): "usage: seamline sandbox serve ",
    ("bench",): "usage: seamline bench ",
}


@pytest.mark.parametrize("command", list(HELP_PAGES), ids=lambda command: " ".join(command) or "seamline")
def test_help_is_written_for_users(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    """No developer markup (RST backticks) and the command's own name, never ``python -m ...``."""
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(HELP_PAGES[command]), text[:200]
    assert "`" not in text
    assert "python -m" not in text


def test_run_without_settings_names_the_missing_variables_per_source(tmp_path: Path) -> None:
    """Exit code 2, one line per source naming its variables, no traceback (it printed 498 lines)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SOURCES__")}
    env.update(SEAMLINE_DATA_DIR=str(tmp_path / "data"), DAGSTER_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) <= len(SOURCES) + 3, output
    for source in SOURCES:
        assert sum(line.strip().startswith(f"{source}:") for line in lines) == 1, output
    assert "SOURCES__SHOPIFY__ACCESS_TOKEN" in output
    assert "SOURCES__GOOGLE_REVIEWS__ACCOUNT_ID" in output
    assert "SOURCES__WEB_EVENTS__BUCKET_URL" in output
    assert not (tmp_path / "data" / "raw.duckdb").exists()  # nothing ran


def test_run_of_the_transform_job_needs_no_source_settings() -> None:
    from orchestration.automation import job_sources

    assert job_sources("seamline_transform_job") == []
    assert job_sources("web_events_job") == ["web_events"]
    assert job_sources("seamline_job") == list(SOURCES)


def test_run_with_a_bad_setting_names_it_and_what_is_expected(tmp_path: Path) -> None:
    """Issue 18 item 9: `BASE_URL=not-a-url` surfaced as dlt's "No scheme supplied"; a missing events folder ran 0 rows."""
    from orchestration.runner import sandbox_env

    world = tmp_path / "world"
    (world / "web_events").mkdir(parents=True)
    (world / "manifest.json").write_text('{"google_account_id": "1", "brand": {"bluesky_handle": "shop.bsky.social"}}')
    env = {name: value for name, value in os.environ.items() if not name.startswith("SOURCES__")}
    env.update(sandbox_env({name: "http://127.0.0.1:9" for name in ("shopify", "square", "google_reviews", "bluesky")},
                           "token", world))
    env.update(SEAMLINE_DATA_DIR=str(tmp_path / "data"), DAGSTER_HOME=str(tmp_path / "home"),
               SOURCES__SHOPIFY__BASE_URL="not-a-url", SOURCES__WEB_EVENTS__BUCKET_URL=str(tmp_path / "no-such-folder"))
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "Traceback" not in output
    assert "SOURCES__SHOPIFY__BASE_URL='not-a-url': expected an http(s) URL" in output
    assert "SOURCES__WEB_EVENTS__BUCKET_URL" in output and "no-such-folder" in output
    assert not (tmp_path / "data" / "raw.duckdb").exists()  # nothing ran
