"""Every connector setting checked before any request: one message per bad or missing value.

Without this, `BASE_URL=not-a-url` surfaced as the HTTP library's "No scheme supplied", a page size
of `abc` as a bare ValueError, a broken JSON list as a JSONDecodeError, and a web-events folder that
does not exist as a successful run of 0 rows. Each message names the environment variable (the
dlt convention `SOURCES__<SOURCE>__<SETTING>`; .dlt/*.toml works too) and what is expected.
Values are read the way the sources read them: dlt's config and secrets providers, unless the
caller passes them explicitly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dlt

from ingestion.common.errors import ConfigurationError
from ingestion.common.timestamps import parse_timestamp

Check = Callable[[Any], "str | None"]  # value (never None) -> what is wrong with it, or None


def _http_url(value: Any) -> str | None:
    parsed = urlparse(str(value))
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return "expected an http(s) URL such as https://example.com"
    return None


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected a non-empty text"


def _timestamp(value: Any) -> str | None:
    try:
        parse_timestamp(str(value))
    except ValueError:
        return "expected an ISO 8601 timestamp such as 2025-01-01T00:00:00Z"
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _positive_number(value: Any) -> str | None:
    number = _number(value)
    return None if number is not None and number > 0 else "expected a number greater than 0, e.g. 120"


def _whole_number(low: int, high: int) -> Check:
    def check(value: Any) -> str | None:
        number = _number(value)
        if number is None or not number.is_integer() or not low <= number <= high:
            return f"expected a whole number from {low} to {high}"
        return None

    return check


def _json_list_of_text(value: Any) -> str | None:
    expected = 'expected a JSON list of strings such as ["id-1", "id-2"]'
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            return f"{expected}; not valid JSON ({error.msg} at character {error.pos})"
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) and item for item in value):
        return expected
    return None


def _folder(value: Any) -> str | None:
    """A local folder that exists, or an fsspec URL (s3://, gs://, ...) that is checked when read."""
    text = str(value)
    scheme = urlparse(text).scheme
    if scheme not in ("", "file"):
        return None
    folder = Path(text.removeprefix("file://")).expanduser()
    if not folder.is_dir():
        return f"expected an existing folder of event files; {folder.resolve()} does not exist or is not a folder"
    return None


@dataclass(frozen=True)
class Setting:
    name: str
    check: Check
    required: bool = False
    secret: bool = False


API = (Setting("base_url", _http_url, required=True), Setting("start_date", _timestamp),
       Setting("max_retry_seconds", _positive_number))
SETTINGS: dict[str, tuple[Setting, ...]] = {
    "shopify": (*API, Setting("access_token", _text, required=True, secret=True),
                Setting("page_size", _whole_number(1, 250))),
    "square": (*API, Setting("access_token", _text, required=True, secret=True),
               Setting("location_ids", _json_list_of_text)),
    "google_reviews": (*API, Setting("access_token", _text, required=True, secret=True),
                       Setting("account_id", _text, required=True), Setting("business_information_url", _http_url),
                       Setting("location_ids", _json_list_of_text)),
    "bluesky": (*API, Setting("handle", _text, required=True), Setting("app_password", _text, required=True,
                                                                       secret=True),
                Setting("brand_query", _text), Setting("engagement_window_days", _positive_number)),
    "web_events": (Setting("bucket_url", _folder, required=True), Setting("file_glob", _text)),
}


def env_var(source: str, setting: str) -> str:
    return f"SOURCES__{source.upper()}__{setting.upper()}"


def _configured(source: str, setting: Setting) -> Any:
    provider = dlt.secrets if setting.secret else dlt.config
    return provider.get(f"sources.{source}.{setting.name}")


def validate_settings(source: str, overrides: Mapping[str, Any] | None = None) -> list[str]:
    """One message per missing or invalid setting of `source` (empty when all is well).

    `overrides` are values passed to the source directly (they win over the environment, as in
    `run_source(name, base_url=...)`). Secret values never appear in a message.
    """
    problems = []
    for setting in SETTINGS[source]:
        value = (overrides or {}).get(setting.name)
        if value is None:
            value = _configured(source, setting)
        variable = env_var(source, setting.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if setting.required:
                problems.append(f"{variable} is not set: {setting.check('') or 'expected a value'}")
            continue
        problem = setting.check(value)
        if problem:
            shown = "(hidden)" if setting.secret else f"{str(value)[:80]!r}"
            problems.append(f"{variable}={shown}: {problem}")
    return problems


def check_settings(source: str, overrides: Mapping[str, Any] | None = None) -> None:
    """Raise one ConfigurationError listing every bad setting of `source`, before any request."""
    problems = validate_settings(source, overrides)
    if problems:
        raise ConfigurationError(source, problems)
