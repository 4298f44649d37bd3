"""The path every sandbox request takes before its handler: auth, rate limit, injected faults.

Each vendor supplies a `VendorProfile` (how it reads the token and how it words each error); the gate
applies the same order of checks to all four, the order the real services show: a bad token is
rejected before it costs rate-limit budget, and throttling comes before any work.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from starlette.requests import Request
from starlette.responses import Response

from sandbox.servers.errors import RequestRejected
from sandbox.servers.faults import Faults, RecordFaults
from sandbox.servers.ratelimit import BucketState, LeakyBucket
from sandbox.servers.sessions import DEFAULT_LIFETIMES, SessionLifetimes, session_status
from sandbox.servers.store import WorldStore

AuthProblem = Literal["missing", "invalid", "forbidden", "expired"]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (Square, Google, Bluesky)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON as the vendors send it (UTF-8, not ASCII-escaped); an injected lone surrogate leaves as a
    raw 0xFF byte, which is how the `invalid_utf8` fault puts invalid UTF-8 on the wire."""
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")
    return Response(
        payload, status_code=status, headers=headers, media_type="application/json; charset=utf-8"
    )


class VendorProfile(Protocol):
    """How one vendor authenticates and words its errors.

    `issues_sessions`: the vendor logs clients in and accepts the session JWTs it minted (Bluesky);
    only such a vendor can answer "expired" (the others never see a JWT of theirs).
    """

    name: str
    issues_sessions: bool

    def presented_token(self, request: Request) -> str | None: ...

    def auth_error(self, problem: AuthProblem) -> Response: ...

    def rate_limited(self, state: BucketState) -> Response: ...

    def server_error(self, status: int) -> Response: ...

    def limit_headers(self, state: BucketState) -> dict[str, str]: ...

    def not_found(self) -> Response: ...

    def rejected(self, error: RequestRejected) -> Response: ...


@dataclass
class SandboxContext:
    """What a handler may use: the world, this request's number and its record faults."""

    store: WorldStore
    request_number: int
    record_faults: RecordFaults


Handler = Callable[[Request, SandboxContext], Awaitable[Response]]


@dataclass(frozen=True)
class Tokens:
    """The start's random access token, and a second one that authenticates but lacks the read scopes."""

    valid: str
    unscoped: str


class Gate:
    """Runs auth, rate limiting and request faults in front of a vendor's handlers."""

    def __init__(
        self,
        profile: VendorProfile,
        store: WorldStore,
        tokens: Tokens,
        bucket: LeakyBucket,
        faults: Faults | None,
        lifetimes: SessionLifetimes = DEFAULT_LIFETIMES,
    ) -> None:
        self.profile = profile
        self.lifetimes = lifetimes
        self.store = store
        self.tokens = tokens
        self.bucket = bucket
        self.faults = faults if faults and faults.applies_to(profile.name) else None
        # sessions handed out (createSession / refreshSession), so tests can see a client re-log in
        self.session_calls: Counter[str] = Counter()
        self._counter = itertools.count(1)
        self._counter_lock = threading.Lock()
        self.requests_received = 0  # authenticated requests so far (the numbers request faults are keyed by)

    def auth_problem(self, request: Request, *, optional: bool = False) -> AuthProblem | None:
        token = self.profile.presented_token(request)
        if token is None:
            return None if optional else "missing"
        if token == self.tokens.unscoped:
            return "forbidden"
        if not self.profile.issues_sessions:
            return None if token == self.tokens.valid else "invalid"
        # a PDS takes only the access JWTs of its sessions: the app password is for createSession
        status = session_status(token, self.tokens.valid)
        return None if status == "valid" else status

    def guard(
        self, handler: Handler, *, auth_optional: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        """Wrap a handler in the vendor's auth, rate limit and fault checks."""

        async def endpoint(request: Request) -> Response:
            problem = self.auth_problem(request, optional=auth_optional)
            if problem is not None:
                return self.profile.auth_error(problem)
            with self._counter_lock:
                request_number = self.requests_received = next(self._counter)
            state = self.bucket.take()
            faults = self.faults
            if not state.allowed or (faults and faults.rate_limited(request_number)):
                return self._with_headers(self.profile.rate_limited(state), state)
            if faults and faults.server_error(request_number):
                return self.profile.server_error(faults.server_error_status)
            if faults and faults.delay_seconds(request_number) > 0:
                await asyncio.sleep(faults.delay_seconds(request_number))
            context = SandboxContext(
                store=self.store,
                request_number=request_number,
                record_faults=RecordFaults(faults, self.profile.name, request_number),
            )
            try:
                response = await handler(request, context)
            except RequestRejected as error:
                response = self.profile.rejected(error)
            return self._with_headers(response, state)

        return endpoint

    def _with_headers(self, response: Response, state: BucketState) -> Response:
        for header, value in self.profile.limit_headers(state).items():
            response.headers.setdefault(header, value)
        return response
