"""Bluesky session renewal against a scripted PDS: a renewed session is tried once, never in a loop,
and only `ExpiredToken` answers renew (any other refusal fails at once, naming the settings)."""

from __future__ import annotations

import pytest
from ingestion_stub import StubRequest, StubResponse, StubServer

from ingestion.common.errors import SourceAuthError, SourceError
from ingestion.pipelines import run_source

HANDLE = "brand.bsky.social"
SETTINGS = {"handle": HANDLE, "app_password": "abcd-efgh-ijkl-mnop", "brand_query": "brand", "max_retry_seconds": 5}


class ScriptedPds:
    """Logs anyone in; every searchPosts answers with `search_answer`."""

    def __init__(self, search_answer: StubResponse) -> None:
        self.search_answer = search_answer
        self.sessions = 0

    def __call__(self, request: StubRequest) -> StubResponse:
        if request.path.endswith(("createSession", "refreshSession")):
            self.sessions += 1
            return StubResponse(200, {"accessJwt": f"access-{self.sessions}", "refreshJwt": f"refresh-{self.sessions}",
                                      "handle": HANDLE, "did": "did:plc:brand"})
        return self.search_answer


def test_a_token_that_stays_expired_fails_after_one_renewal() -> None:
    pds = ScriptedPds(StubResponse(400, {"error": "ExpiredToken", "message": "Token has expired"}))
    with StubServer(pds) as stub, pytest.raises(SourceError) as failure:
        run_source("bluesky", base_url=stub.url, **SETTINGS)
    searches = [r for r in stub.requests if r.path.endswith("searchPosts")]
    assert len(searches) == 2 and [r.headers["authorization"] for r in searches] == [
        "Bearer access-1", "Bearer access-2"]  # the renewed session was tried once
    assert [r.path.rsplit(".", 1)[1] for r in stub.requests if "server" in r.path] == [
        "createSession", "refreshSession"]
    assert "ExpiredToken" in str(failure.value) and "access-" not in str(failure.value)


def test_an_invalid_token_fails_at_once_naming_the_settings() -> None:
    pds = ScriptedPds(StubResponse(401, {"error": "InvalidToken", "message": "Token could not be verified"}))
    with StubServer(pds) as stub, pytest.raises(SourceAuthError) as failure:
        run_source("bluesky", base_url=stub.url, **SETTINGS)
    assert pds.sessions == 1 and "SOURCES__BLUESKY__APP_PASSWORD" in str(failure.value)
    assert SETTINGS["app_password"] not in str(failure.value)
