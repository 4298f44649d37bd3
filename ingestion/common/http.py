"""HTTP for the connectors: dlt's RESTClient on a session that retries the way vendors ask.

dlt's own retrying session honours `Retry-After` but not Bluesky's `RateLimit-Reset` (epoch
seconds), has no bound on the total time spent retrying, and its errors name neither the source nor
a fix. This session adds those three things, plus one hook for sources whose credentials expire
mid-run (a Bluesky session): `renew` may turn a refusal into new headers and one more try.
The retry loop itself is tenacity's (the library dlt's own session uses): jittered exponential
back-off unless the server says how long to wait, stopped by attempts or by the time budget before
a wait would overrun it. Pagination and auth stay dlt's.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlparse

import requests
import tenacity
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests.auth import AuthBase

from ingestion.common.errors import SourceAuthError, SourceError, SourceNotFoundError, SourceUnavailableError

logger = logging.getLogger("seamline.ingestion")

RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
AUTH_STATUSES = frozenset({401, 403})
EPOCH_THRESHOLD = 1_000_000_000  # a RateLimit-Reset above this is an epoch time, below it a delay


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before failing cleanly; `max_total_seconds` bounds one request's retries."""

    max_attempts: int = 10
    max_total_seconds: float = 120.0
    backoff_base_seconds: float = 0.25
    backoff_max_seconds: float = 20.0
    timeout_seconds: float = 60.0


def server_requested_wait(response: requests.Response | None) -> float | None:
    """Seconds the server asked us to wait, from `Retry-After` or `RateLimit-Reset`, if it said."""
    if response is None:
        return None
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(retry_after).timestamp() - time.time())
            except (TypeError, ValueError):
                return None
    reset = response.headers.get("RateLimit-Reset")
    if reset:
        try:
            value = float(reset)
        except ValueError:
            return None
        return max(0.0, value - time.time()) if value > EPOCH_THRESHOLD else max(0.0, value)
    return None


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret in `text` so that no error or log line can carry it."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def make_body_utf8_safe(response: requests.Response) -> None:
    """Re-encode a JSON body holding invalid UTF-8 so one bad string cannot sink the whole page.

    Invalid bytes become lone surrogates (\\udcXX) inside their string; edge validation then
    quarantines just the records that hold them.
    """
    content = response.content
    try:
        content.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    try:
        document = json.loads(content.decode("utf-8", errors="surrogateescape"))
    except ValueError:
        return
    # requests has no public setter for a body; its maintainers name `_content` as the place to set it
    # (psf/requests#3394). tests/ingestion/test_private_overrides.py fails loudly if that stops working.
    response._content = json.dumps(document).encode("ascii")
    response.encoding = "utf-8"


# Given a refused response, the headers to send the request again with (fresh credentials), or None.
Renewal = Callable[[requests.Response], Mapping[str, str] | None]


class RetryingSession(requests.Session):
    """A requests session that retries 429/5xx/network errors with backoff inside a time budget."""

    def __init__(
        self,
        source: str,
        policy: RetryPolicy,
        secrets: Iterable[str] = (),
        credential_hint: str = "",
        renew: Renewal | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.policy = policy
        self.secrets = [s for s in secrets if s]
        self.credential_hint = credential_hint
        self.renew = renew

    def add_secret(self, secret: str) -> None:
        """Also redact `secret` (e.g. a session token minted during the run) from every message."""
        if secret and secret not in self.secrets:
            self.secrets.append(secret)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        endpoint = f"{request.method} {urlparse(request.url or '').path}"
        kwargs.setdefault("timeout", self.policy.timeout_seconds)
        renewable = [self.renew] if self.renew is not None else []  # at most one renewal per request

        def attempt() -> requests.Response:
            """One request; a refusal that renewed credentials can fix is sent again at once."""
            response = self._send_once(request, **kwargs)
            if renewable and response.status_code in (400, 401):
                fresh = renewable.pop()(response)
                if fresh is not None:  # expired credentials: once more with the renewed ones
                    request.headers.update(fresh)
                    response = self._send_once(request, **kwargs)
            self._raise_if_refused(response, endpoint)
            return response

        backoff = tenacity.wait_random_exponential(multiplier=2 * self.policy.backoff_base_seconds,
                                                   max=self.policy.backoff_max_seconds)

        def wait(state: tenacity.RetryCallState) -> float:
            requested = server_requested_wait(_response_of(state))
            return backoff(state) if requested is None else requested

        def give_up(state: tenacity.RetryCallState) -> requests.Response:
            raise SourceUnavailableError(
                self.source,
                endpoint,
                f"gave up after {state.attempt_number} attempts in {state.seconds_since_start:.1f}s (last: "
                f"{_problem_of(state)}, next wait {state.upcoming_sleep:.1f}s). The service is rate limiting or "
                f"failing: run again later (the load resumes from the last committed cursor) or raise the "
                f"retry budget SOURCES__{self.source.upper()}__MAX_RETRY_SECONDS.",
            )

        def log_retry(state: tenacity.RetryCallState) -> None:
            logger.warning("%s: %s: %s, retry %d in %.2fs", self.source, endpoint, _problem_of(state),
                           state.attempt_number, state.upcoming_sleep)

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((requests.ConnectionError, requests.Timeout))
            | tenacity.retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES),
            wait=wait,
            stop=tenacity.stop_after_attempt(self.policy.max_attempts)
            | tenacity.stop_before_delay(self.policy.max_total_seconds),
            before_sleep=log_retry,
            retry_error_callback=give_up,
        )
        response = retrying(attempt)
        make_body_utf8_safe(response)
        return response

    def _send_once(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        try:
            return super().send(request, **kwargs)
        except requests.HTTPError as error:  # raised by a response hook (dlt's raise_for_status)
            if error.response is None:
                raise
            return error.response

    def _raise_if_refused(self, response: requests.Response, endpoint: str) -> None:
        """Refused credentials and other non-retryable 4xx/5xx fail at once, naming source and endpoint."""
        if response.status_code in AUTH_STATUSES:
            raise SourceAuthError(
                self.source, endpoint,
                f"HTTP {response.status_code}: the credentials were refused. {self.credential_hint}",
            )
        if response.status_code >= 400 and response.status_code not in RETRYABLE_STATUSES:
            body = redact(response.text[:300], self.secrets)
            error = SourceNotFoundError if response.status_code == 404 else SourceError
            raise error(self.source, endpoint, f"HTTP {response.status_code}: {body}")


def _response_of(state: tenacity.RetryCallState) -> requests.Response | None:
    """The last attempt's response (None after a network error)."""
    return None if state.outcome is None or state.outcome.failed else state.outcome.result()


def _problem_of(state: tenacity.RetryCallState) -> str:
    """What went wrong in the last attempt, for the retry log line and the final error."""
    response = _response_of(state)
    if response is not None:
        return f"HTTP {response.status_code}"
    error = state.outcome.exception() if state.outcome is not None else None
    return f"network error ({type(error).__name__})"


def make_client(
    source: str,
    base_url: str,
    *,
    auth: AuthBase | None = None,
    headers: Mapping[str, str] | None = None,
    paginator: BasePaginator | None = None,
    data_selector: str | None = None,
    secrets: Iterable[str] = (),
    credential_hint: str = "",
    max_retry_seconds: float = RetryPolicy.max_total_seconds,
    renew: Renewal | None = None,
) -> RESTClient:
    """A dlt RESTClient for one source whose requests retry within `max_retry_seconds`."""
    session = RetryingSession(
        source, RetryPolicy(max_total_seconds=max_retry_seconds), secrets, credential_hint, renew
    )
    return RESTClient(
        base_url=base_url.rstrip("/"),
        headers=dict(headers or {}),
        auth=auth,
        paginator=paginator,
        data_selector=data_selector,
        session=session,
    )
