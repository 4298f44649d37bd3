"""Google Business Profile as a dlt source: the account's `locations` (Business Information API v1)
and their `reviews` (Business Profile API v4, where reviews still live).

Locations are listed by `GET /v1/accounts/{account}/locations?readMask=...` (Google retired the v4
listing); the read mask asks for just what matching stores across systems needs: the resource name,
title, store code and storefront address. They load as returned (merged on `name`); the API has no
update filter, so each run loads only locations whose content changed (a hash per name in the dlt
resource state).

The reviews API lists newest first only (`orderBy=updateTime desc`), so an incremental pull reads
each location's pages until it reaches reviews older than the last committed `updateTime`, then stops
(dlt's incremental drops the already-seen ones on the boundary). Pagination is dlt's
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
from ingestion.common.incremental import changed_only, timestamp_cursor
from ingestion.common.quarantine import EdgeValidator
from ingestion.common.timestamps import any_older_than, parse_timestamp
from ingestion.common.validation import RecordSpec, latest_copy_hints, nullable_columns

SOURCE = "google_reviews"
PAGE_SIZE = 50
LOCATIONS_PAGE_SIZE = 100  # v1 maximum
GOOGLE_V4_HOST = "https://mybusiness.googleapis.com"
GOOGLE_V1_HOST = "https://mybusinessbusinessinformation.googleapis.com"
LOCATION_READ_MASK = "name,title,storeCode,storefrontAddress"
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

LOCATIONS = RecordSpec(
    primary_key="name",
    types={"name": "string", "title": "string", "storeCode": "string", "storefrontAddress": "object",
           "storefrontAddress.addressLines": "array", "storefrontAddress.postalCode": "string",
           "storefrontAddress.regionCode": "string", "storefrontAddress.locality": "string"},
)

# columns dbt staging relies on that proto3 JSON omits when unset (possibly in every review of a load)
REVIEW_COLUMNS = nullable_columns(
    comment="text", reviewer__display_name="text", reviewer__is_anonymous="bool",
    review_reply__comment="text", review_reply__update_time="timestamp", location_name="text",
)
LOCATION_COLUMNS = nullable_columns(
    title="text", store_code="text", storefront_address__region_code="text",
    storefront_address__language_code="text", storefront_address__postal_code="text",
    storefront_address__administrative_area="text", storefront_address__locality="text",
)


def _page_token() -> JSONResponseCursorPaginator:
    return JSONResponseCursorPaginator(cursor_path="nextPageToken", cursor_param="pageToken")


def business_information_host(base_url: str, business_information_url: str | None) -> str:
    """Where v1 locations are listed: as configured, else Google's v1 host when `base_url` is Google's
    v4 host, else `base_url` itself (a sandbox or proxy serving both APIs)."""
    if business_information_url:
        return business_information_url
    return GOOGLE_V1_HOST if base_url.rstrip("/") == GOOGLE_V4_HOST else base_url


def list_locations(v1: RESTClient, account_id: str) -> Iterator[list[Any]]:
    """Pages of the account's v1 Locations (`name` = `locations/{id}`), fields of the read mask only."""
    params = {"readMask": LOCATION_READ_MASK, "pageSize": LOCATIONS_PAGE_SIZE}
    yield from v1.paginate(f"/v1/accounts/{account_id}/locations", params=params, paginator=_page_token(),
                           data_selector="locations")


def _location_name(account_id: str, location: str) -> str:
    """`accounts/{a}/locations/{l}` (the v4 reviews parent) from a bare id, a v1 `locations/{l}` name
    or a full name."""
    if location.startswith("accounts/"):
        return location
    location_id = location.removeprefix("locations/")
    return f"accounts/{account_id}/locations/{location_id}"


def _resources(v1: RESTClient, v4: RESTClient, account_id: str, location_ids: Sequence[str] | None,
               start_date: str) -> tuple[DltResource, DltResource]:
    @dlt.resource(name="locations", primary_key="name", write_disposition="merge", columns=latest_copy_hints(LOCATIONS, LOCATION_COLUMNS))
    def locations() -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "locations", LOCATIONS)
        for page in list_locations(v1, account_id):
            yield from validate(changed_only(page, "name"))

    def review_parents() -> list[str]:
        if location_ids:
            return [_location_name(account_id, location) for location in location_ids]
        return [_location_name(account_id, location["name"]) for page in list_locations(v1, account_id)
                for location in page if isinstance(location, dict) and location.get("name")]

    @dlt.resource(name="reviews", primary_key="reviewId", write_disposition="merge", columns=latest_copy_hints(REVIEWS, REVIEW_COLUMNS))
    def reviews(update_time: dlt.sources.incremental = timestamp_cursor("updateTime", start_date)) -> Iterator[Any]:
        validate = EdgeValidator(SOURCE, "reviews", REVIEWS)
        known = parse_timestamp(update_time.start_value)
        for location_name in review_parents():
            params = {"pageSize": PAGE_SIZE, "orderBy": "updateTime desc"}
            for page in v4.paginate(f"/v4/{location_name}/reviews", params=params, paginator=_page_token(),
                                    data_selector="reviews"):
                for review in page:
                    if isinstance(review, dict):
                        review["location_name"] = location_name
                yield from validate(page, note=location_name)
                if any_older_than(page, "updateTime", known):
                    break

    return locations, reviews


@dlt.source(name=SOURCE)
def google_reviews_source(
    base_url: str = dlt.config.value,
    access_token: str = dlt.secrets.value,
    account_id: str = dlt.config.value,
    business_information_url: str | None = None,
    location_ids: list[str] | None = None,
    start_date: str = "2000-01-01T00:00:00Z",
    max_retry_seconds: float = 120.0,
) -> list[DltResource]:
    """The account's locations (merged on `name`) and their reviews (merged on `reviewId`,
    incremental on `updateTime`).

    `base_url` is the v4 reviews host `https://mybusiness.googleapis.com`; `business_information_url`
    the v1 host (default: see `business_information_host`); `location_ids` (bare ids or names)
    limits the reviews read, otherwise every location the account lists.
    """
    def client(url: str) -> RESTClient:
        return make_client(SOURCE, url, auth=BearerTokenAuth(access_token), secrets=[access_token],
                           credential_hint=CREDENTIAL_HINT, max_retry_seconds=max_retry_seconds)

    v1 = client(business_information_host(base_url, business_information_url))
    return list(_resources(v1, client(base_url), str(account_id), location_ids, start_date))
