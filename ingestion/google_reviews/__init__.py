"""Google Business Profile API v4 reviews as a dlt source: `reviews` per location.

The API lists reviews newest first only (`orderBy=updateTime desc`), so an incremental pull reads
each location's pages until it reaches reviews older than the last committed `updateTime`, then
stops (dlt's incremental drops the already-seen ones on the boundary). Pagination is dlt's
JSONResponseCursorPaginator on `nextPageToken` -> `pageToken`. Each review gets `location_name`
(`accounts/{account}/locations/{location}`), the only column the connector adds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import dlt
from dlt.sources import DltResource
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator

from ingestion.common.http import make_client
from ingestion.common.incremental import timestamp_cursor
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.timestamps import any_older_than, parse_timestamp
from ingestion.common.validation import RecordSpec, nullable_columns

SOURCE = "google_reviews"
PAGE_SIZE = 50
CREDENTIAL_HINT = (
    "Set SOURCES__GOOGLE_REVIEWS__ACCESS_TOKEN (or sources.google_reviews.access_token in "
    ".dlt/secrets.toml) to a fresh OAuth access token with the business.manage scope."
)
STAR_RATINGS = ("ONE", "TWO", "THREE", "FOUR", "FIVE")

REVIEWS = RecordSpec(
    primary_key="reviewId",
    cursor="updateTime",
    timestamps=("createTime", "reviewReply.updateTime"),
    types={"name": "string", "reviewId": "string", "reviewer": "object", "reviewer.displayName": "string",
           "reviewer.isAnonymous": "boolean", "starRating": "string", "comment": "string",
           "reviewReply": "object", "reviewReply.comment": "string"},
)

# columns dbt staging relies on that proto3 JSON omits when unset (possibly in every review of a load)
REVIEW_COLUMNS = nullable_columns(
    comment="text", reviewer__display_name="text", reviewer__is_anonymous="bool",
    review_reply__comment="text", review_reply__update_time="timestamp", location_name="text",
)


def _page_token() -> JSONResponseCursorPaginator:
    return JSONResponseCursorPaginator(cursor_path="nextPageToken", cursor_param="pageToken")


def discover_locations(client: RESTClient, account_id: str) -> list[str]:
    """Location resource names (`accounts/{a}/locations/{l}`) the account can see."""
    names = []
    for page in client.paginate(f"/v4/accounts/{account_id}/locations", params={"pageSize": 100},
                                paginator=_page_token(), data_selector="locations"):
        names.extend(location["name"] for location in page if isinstance(location, dict) and location.get("name"))
    return names


def _location_name(account_id: str, location: str) -> str:
    """Accept a bare location id or a full `accounts/{a}/locations/{l}` name."""
    return location if location.startswith("accounts/") else f"accounts/{account_id}/locations/{location}"


def _reviews(client: RESTClient, account_id: str, locations: Sequence[str] | None, start_date: str) -> DltResource:
    @dlt.resource(name="reviews", primary_key="reviewId", write_disposition="merge", columns=REVIEW_COLUMNS)
    def reviews(update_time: dlt.sources.incremental = timestamp_cursor("updateTime", start_date)) -> Iterator[Any]:  # noqa: B008
        validate = EdgeValidator(SOURCE, "reviews", REVIEWS)
        known = parse_timestamp(update_time.start_value)
        names = [_location_name(account_id, loc) for loc in locations] if locations else \
            discover_locations(client, account_id)
        for location_name in names:
            params = {"pageSize": PAGE_SIZE, "orderBy": "updateTime desc"}
            for page in client.paginate(f"/v4/{location_name}/reviews", params=params, paginator=_page_token(),
                                        data_selector="reviews"):
                for review in page:
                    if isinstance(review, dict):
                        review["location_name"] = location_name
                yield from validate(page, note=location_name)
                if any_older_than(page, "updateTime", known):
                    break

    return reviews


@dlt.source(name=SOURCE)
def google_reviews_source(
    base_url: str = dlt.config.value,
    access_token: str = dlt.secrets.value,
    account_id: str = dlt.config.value,
    location_ids: list[str] | None = None,
    start_date: str = "2000-01-01T00:00:00Z",
    max_retry_seconds: float = 120.0,
) -> DltResource:
    """Reviews of the account's locations, merged on `reviewId`, incremental on `updateTime`.

    `base_url` is `https://mybusiness.googleapis.com`; `location_ids` (bare ids or full names)
    limits the locations, otherwise they are listed from `GET /v4/accounts/{account}/locations`.
    """
    client = make_client(
        SOURCE,
        base_url,
        auth=BearerTokenAuth(access_token),
        secrets=[access_token],
        credential_hint=CREDENTIAL_HINT,
        max_retry_seconds=max_retry_seconds,
    )
    return _reviews(client, account_id, location_ids, start_date)
