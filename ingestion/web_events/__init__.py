"""Web behaviour event files (Segment-style JSONL, optionally gzipped) as a dlt source: `events`.

Files are listed with dlt's filesystem helpers, so `bucket_url` may be a local folder or any fsspec
URL (s3://, gs://, az://...). A file is read when its content has not been loaded before: the
resource state keeps a digest of every loaded file's decompressed content, so late files (an old
hour arriving now) are read, and a re-delivered file (same events, possibly renamed, recompressed
or touched) is skipped. Events are merged on `messageId`, so events repeated inside or across
files land once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dlt
from dlt.common.configuration import known_sections
from dlt.common.configuration.inject import with_config
from dlt.sources import DltResource

from ingestion.common.quarantine import EdgeValidator
from ingestion.common.validation import Problem, RecordSpec, latest_copy_hints, nullable_columns
from ingestion.web_events.files import (
    content_digest,
    list_files,
    normalise_bucket_url,
    parse_lines,
    read_content,
)

SOURCE = "web_events"
DEFAULT_FILE_GLOB = "**/events-*.jsonl*"
# Events of several files are validated and handed to dlt together: the drop holds one small file per
# hour (a 4-month world: 4,153 files of ~14 events), and dlt's cost per yielded page is fixed.
BATCH_EVENTS = 5_000

EVENTS = RecordSpec(
    primary_key="messageId",
    cursor="timestamp",
    timestamps=("sentAt", "receivedAt", "originalTimestamp"),
    types={"messageId": "string", "type": "string", "event": "string", "anonymousId": "string",
           "userId": "string", "properties": "object", "traits": "object", "context": "object"},
    non_negative=("properties.quantity",),
)

# columns dbt staging relies on that may be null or absent in every event of a load
EVENT_COLUMNS = nullable_columns(
    user_id="text", event="text", name="text", traits__email="text", traits__phone="text",
    properties__sku="text", properties__order_id="text",
    context__page__url="text", context__page__referrer="text", context__campaign__source="text",
    context__campaign__medium="text", context__campaign__name="text",
)


def _files_note(names: list[str]) -> str:
    """Which files a batch came from, for the per-page progress line."""
    return names[0] if len(names) == 1 else f"{len(names)} files, {names[0]} .. {names[-1]}"


def _events(bucket_url: str, file_glob: str) -> DltResource:
    @dlt.resource(name="events", primary_key="messageId", write_disposition="merge", columns=latest_copy_hints(EVENTS, EVENT_COLUMNS))
    def events() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "events", EVENTS)
        loaded: dict[str, str] = dlt.current.resource_state().setdefault("loaded_files", {})
        filesystem, files = list_files(normalise_bucket_url(bucket_url), file_glob)
        records: list[Any] = []
        rejected: list[tuple[Any, Problem]] = []
        names: list[str] = []
        for item in files:
            content = read_content(filesystem, item)
            digest = content_digest(content)
            if digest in loaded:
                continue
            # state is committed with the load, so marking the file now is undone by a failed run
            loaded[digest] = item["relative_path"]
            file_records, file_rejected = parse_lines(content, item["relative_path"])
            records += file_records
            rejected += file_rejected
            names.append(item["relative_path"])
            if len(records) >= BATCH_EVENTS:
                yield from validate(records, note=_files_note(names), rejected=rejected)
                records, rejected, names = [], [], []
        if names:
            yield from validate(records, note=_files_note(names), rejected=rejected)

    return events


@dlt.source(name=SOURCE)
def web_events_source(bucket_url: str = dlt.config.value, file_glob: str = DEFAULT_FILE_GLOB) -> DltResource:
    """Events from the file drop at `bucket_url` (folder or fsspec URL), merged on `messageId`."""
    return _events(bucket_url, file_glob)


@with_config(sections=(known_sections.SOURCES, SOURCE, SOURCE))  # the sections dlt gives web_events_source
def dropped_files(bucket_url: str = dlt.config.value, file_glob: str = DEFAULT_FILE_GLOB) -> tuple[str, dict[str, str]]:
    """The drop's location and its event files with their modification times (re-deliveries change them).

    Read exactly as `web_events_source` reads them (the same dlt settings, the same fsspec listing), so
    the Dagster sensor watches the folder or bucket the connector loads from. A drop that does not
    exist yet has no files.
    """
    url = normalise_bucket_url(bucket_url)
    try:
        _, files = list_files(url, file_glob)
    except FileNotFoundError:
        return url, {}
    return url, {item["relative_path"]: item["modification_date"].isoformat() for item in files}
