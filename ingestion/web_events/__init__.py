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
from dlt.sources import DltResource

from ingestion.common.quarantine import EdgeValidator
from ingestion.common.validation import RecordSpec, nullable_columns
from ingestion.web_events.files import (
    content_digest,
    list_files,
    normalise_bucket_url,
    parse_lines,
    read_content,
)

SOURCE = "web_events"
DEFAULT_FILE_GLOB = "**/events-*.jsonl*"

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


def _events(bucket_url: str, file_glob: str) -> DltResource:
    @dlt.resource(name="events", primary_key="messageId", write_disposition="merge", columns=EVENT_COLUMNS)
    def events() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "events", EVENTS)
        loaded: dict[str, str] = dlt.current.resource_state().setdefault("loaded_files", {})
        filesystem, files = list_files(normalise_bucket_url(bucket_url), file_glob)
        for item in files:
            content = read_content(filesystem, item)
            digest = content_digest(content)
            if digest in loaded:
                continue
            records, rejected = parse_lines(content, item["relative_path"])
            yield from validate(records, note=item["relative_path"], rejected=rejected)
            loaded[digest] = item["relative_path"]

    return events


@dlt.source(name=SOURCE)
def web_events_source(bucket_url: str = dlt.config.value, file_glob: str = DEFAULT_FILE_GLOB) -> DltResource:
    """Events from the file drop at `bucket_url` (folder or fsspec URL), merged on `messageId`."""
    return _events(bucket_url, file_glob)
