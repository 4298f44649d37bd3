"""Settings checked before any request (issue 18 item 9): one message per bad or missing value,
naming the environment variable and what is expected; the pipeline CLI exits 2 without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.common.errors import ConfigurationError
from ingestion.common.settings import SETTINGS, validate_settings
from ingestion.pipelines import SOURCES, main, run_source

GOOD = {
    "SOURCES__SHOPIFY__BASE_URL": "https://shop.example.com/admin/api/2024-04",
    "SOURCES__SHOPIFY__ACCESS_TOKEN": "shpat_secret_value_42",
    "SOURCES__SQUARE__BASE_URL": "https://connect.squareup.com",
    "SOURCES__SQUARE__ACCESS_TOKEN": "sq_secret_value_42",
    "SOURCES__GOOGLE_REVIEWS__BASE_URL": "https://mybusiness.googleapis.com",
    "SOURCES__GOOGLE_REVIEWS__ACCESS_TOKEN": "ya29.secret_value_42",
    "SOURCES__GOOGLE_REVIEWS__ACCOUNT_ID": "123",
    "SOURCES__BLUESKY__BASE_URL": "https://bsky.social",
    "SOURCES__BLUESKY__HANDLE": "brand.bsky.social",
    "SOURCES__BLUESKY__APP_PASSWORD": "abcd-efgh-ijkl-mnop",
}


@pytest.fixture
def good_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for source, settings in SETTINGS.items():
        for setting in settings:
            monkeypatch.delenv(f"SOURCES__{source.upper()}__{setting.name.upper()}", raising=False)
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "events").mkdir()
    monkeypatch.setenv("SOURCES__WEB_EVENTS__BUCKET_URL", str(tmp_path / "events"))
    return monkeypatch


def test_good_settings_pass_for_every_source(good_settings: pytest.MonkeyPatch) -> None:
    assert {source: validate_settings(source) for source in SOURCES} == {source: [] for source in SOURCES}


@pytest.mark.parametrize(("source", "setting", "value", "expected"), [
    ("shopify", "BASE_URL", "not-a-url", "SOURCES__SHOPIFY__BASE_URL='not-a-url': expected an http(s) URL"),
    ("square", "BASE_URL", "connect.squareup.com", "SOURCES__SQUARE__BASE_URL='connect.squareup.com': expected"),
    ("shopify", "PAGE_SIZE", "abc", "SOURCES__SHOPIFY__PAGE_SIZE='abc': expected a whole number from 1 to 250"),
    ("shopify", "PAGE_SIZE", "500", "SOURCES__SHOPIFY__PAGE_SIZE='500': expected a whole number from 1 to 250"),
    ("square", "MAX_RETRY_SECONDS", "two minutes", "SOURCES__SQUARE__MAX_RETRY_SECONDS='two minutes': expected a number"),
    ("square", "START_DATE", "last tuesday", "SOURCES__SQUARE__START_DATE='last tuesday': expected an ISO 8601"),
    ("square", "LOCATION_IDS", '["L1",', 'SOURCES__SQUARE__LOCATION_IDS=\'["L1",\': expected a JSON list of strings'),
    ("google_reviews", "LOCATION_IDS", "123", "SOURCES__GOOGLE_REVIEWS__LOCATION_IDS='123': expected a JSON list"),
    ("bluesky", "ENGAGEMENT_WINDOW_DAYS", "-1", "SOURCES__BLUESKY__ENGAGEMENT_WINDOW_DAYS='-1': expected a number"),
    ("web_events", "BUCKET_URL", "/no/such/folder",
     "SOURCES__WEB_EVENTS__BUCKET_URL='/no/such/folder': expected an existing folder"),
])
def test_a_bad_value_is_named_with_what_is_expected(
    good_settings: pytest.MonkeyPatch, source: str, setting: str, value: str, expected: str
) -> None:
    good_settings.setenv(f"SOURCES__{source.upper()}__{setting}", value)
    problems = validate_settings(source)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize("source", list(SOURCES))
def test_each_missing_required_setting_gets_its_own_message(good_settings: pytest.MonkeyPatch, source: str) -> None:
    required = [setting.name for setting in SETTINGS[source] if setting.required]
    for name in required:
        good_settings.delenv(f"SOURCES__{source.upper()}__{name.upper()}")
    problems = validate_settings(source)
    assert [problem.split(" ")[0] for problem in problems] == \
        [f"SOURCES__{source.upper()}__{name.upper()}" for name in required]
    assert all(" is not set: expected " in problem for problem in problems)


def test_a_blank_secret_is_missing_and_no_secret_is_ever_shown(good_settings: pytest.MonkeyPatch) -> None:
    good_settings.setenv("SOURCES__SHOPIFY__ACCESS_TOKEN", "   ")
    good_settings.setenv("SOURCES__SHOPIFY__BASE_URL", "ftp://shop.example.com")
    assert validate_settings("shopify") == [
        "SOURCES__SHOPIFY__BASE_URL='ftp://shop.example.com': expected an http(s) URL such as https://example.com",
        "SOURCES__SHOPIFY__ACCESS_TOKEN is not set: expected a non-empty text",
    ]
    for source in ("square", "google_reviews", "bluesky"):
        good_settings.setenv(f"SOURCES__{source.upper()}__BASE_URL", "not-a-url")
        assert not [secret for secret in GOOD.values() if "secret" in secret or "-" in secret
                    for problem in validate_settings(source) if secret in problem]


def test_run_source_refuses_bad_settings_before_any_request(good_settings: pytest.MonkeyPatch) -> None:
    requests: list[StubRequest] = []

    def answer(request: StubRequest) -> StubResponse:
        requests.append(request)
        return StubResponse(200, {"customers": []})

    with StubServer(answer) as server:
        good_settings.setenv("SOURCES__SHOPIFY__BASE_URL", server.url)
        good_settings.setenv("SOURCES__SHOPIFY__PAGE_SIZE", "many")
        with pytest.raises(ConfigurationError) as refused:
            run_source("shopify", resources=["customers"], start_date="yesterday")
    assert requests == []
    assert refused.value.problems == [
        "SOURCES__SHOPIFY__START_DATE='yesterday': expected an ISO 8601 timestamp such as 2025-01-01T00:00:00Z",
        "SOURCES__SHOPIFY__PAGE_SIZE='many': expected a whole number from 1 to 250",
    ]


def test_a_missing_web_events_folder_fails_with_exit_code_2(
    good_settings: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good_settings.setenv("SOURCES__WEB_EVENTS__BUCKET_URL", "/no/such/folder")
    assert main(["web_events"]) == 2
    printed = capsys.readouterr()
    assert "SOURCES__WEB_EVENTS__BUCKET_URL='/no/such/folder': expected an existing folder" in printed.err
    assert "Traceback" not in printed.err
