"""Google reviews: locations come from Business Information v1; newest-first review paging stops at the
last committed updateTime; location_name is added."""

from __future__ import annotations

import duckdb
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.pipelines import run_source
from seamline_core.paths import raw_db

ACCOUNT = "104729386251847361920"
LOCATION = f"accounts/{ACCOUNT}/locations/42"


def review(number: int, update_time: str) -> dict:
    return {"name": f"{LOCATION}/reviews/r{number}", "reviewId": f"r{number}", "starRating": "FOUR",
            "reviewer": {"displayName": f"Reviewer {number}"}, "createTime": "2026-01-01T00:00:00Z",
            "updateTime": update_time}


class FakeGoogle:
    """One location; reviews served newest first, 50 per page, as `orderBy=updateTime desc` does."""

    def __init__(self, reviews: list[dict]) -> None:
        self.reviews = reviews

    def __call__(self, request: StubRequest) -> StubResponse:
        if request.path == f"/v1/accounts/{ACCOUNT}/locations":
            assert request.query["readMask"] == "name,title,storeCode,storefrontAddress"
            return StubResponse(200, {"locations": [{"name": "locations/42", "title": "Store", "storeCode": "L1"}]})
        assert request.path == f"/v4/{LOCATION}/reviews" and request.query["orderBy"] == "updateTime desc"
        ordered = sorted(self.reviews, key=lambda r: r["updateTime"], reverse=True)
        start = int(request.query.get("pageToken", 0))
        size = int(request.query["pageSize"])
        body: dict = {"reviews": ordered[start:start + size], "totalReviewCount": len(ordered)}
        if start + size < len(ordered):
            body["nextPageToken"] = str(start + size)
        return StubResponse(200, body)


def test_incremental_pull_reads_newest_first_and_stops_at_the_cursor() -> None:
    google = FakeGoogle([review(n, f"2026-02-{1 + n // 10:02d}T00:00:{n % 60:02d}.5Z") for n in range(120)])
    settings = {"account_id": ACCOUNT, "access_token": "ya29.stub"}
    with StubServer(google) as stub:
        assert run_source("google_reviews", base_url=stub.url, **settings).rows_loaded == {
            "reviews": 120, "locations": 1}
        review_pages = [r for r in stub.requests if r.path.endswith("/reviews")]
        assert len(review_pages) == 3

        google.reviews[5] = {**review(5, "2026-03-01T10:00:00Z"), "comment": "edited"}
        google.reviews.append(review(500, "2026-03-02T10:00:00.123456789Z"))
        stub.requests.clear()
        assert run_source("google_reviews", base_url=stub.url, **settings).rows_loaded == {"reviews": 2}
        assert len([r for r in stub.requests if r.path.endswith("/reviews")]) == 1
    with duckdb.connect(str(raw_db()), read_only=True) as connection:
        assert connection.execute("select count(*), count(distinct review_id), min(location_name), "
                                  "max(location_name) from google_reviews.reviews").fetchall() == [
            (121, 121, LOCATION, LOCATION)]
        assert connection.execute("select comment from google_reviews.reviews where review_id = 'r5'"
                                  ).fetchall() == [("edited",)]
