"""Session JWTs for the Bluesky sandbox's `com.atproto.server.createSession`.

atproto clients log in with a handle and an app password and then send the returned `accessJwt`;
they read its `exp` to know when to call `refreshSession`. The sandbox signs these JWTs (HS256) with
the start's random token, so the token doubles as the app password and nothing else needs storing.
Lifetimes are parameters (`SessionLifetimes`) so tests can make an access JWT expire in the middle of
a run; the defaults are Bluesky's (access about two hours, refresh 90 days).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import time
from dataclasses import dataclass
from typing import Literal

ACCESS_SCOPE = "com.atproto.access"
REFRESH_SCOPE = "com.atproto.refresh"
ACCESS_LIFETIME_SECONDS = 2 * 3600
REFRESH_LIFETIME_SECONDS = 90 * 24 * 3600


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, signing_input: str) -> str:
    return _b64(hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest())


SessionStatus = Literal["valid", "expired", "invalid"]


@dataclass(frozen=True)
class SessionLifetimes:
    """How long minted JWTs live, in seconds (fractions allowed, so a test can use a tiny TTL)."""

    access_seconds: float = ACCESS_LIFETIME_SECONDS
    refresh_seconds: float = REFRESH_LIFETIME_SECONDS

    def __post_init__(self) -> None:
        if self.access_seconds <= 0 or self.refresh_seconds <= 0:
            raise ValueError("SessionLifetimes: lifetimes must be positive")


DEFAULT_LIFETIMES = SessionLifetimes()


def mint_session_jwt(secret: str, did: str, scope: str, lifetimes: SessionLifetimes = DEFAULT_LIFETIMES) -> str:
    now = time.time()
    lifetime = lifetimes.access_seconds if scope == ACCESS_SCOPE else lifetimes.refresh_seconds
    header = {"typ": "at+jwt" if scope == ACCESS_SCOPE else "refresh+jwt", "alg": "HS256"}
    payload = {
        "scope": scope,
        "sub": did,
        "aud": "did:web:sandbox.localhost",
        "iat": int(now),
        # clients (atproto) parse `exp` as an integer; the sandbox itself honours the exact lifetime,
        # so a test's sub-second TTL really expires when it says
        "exp": math.ceil(now + lifetime),
        "sandbox_expires_at": now + lifetime,
        "jti": _b64(secrets.token_bytes(9)),  # two sessions minted in the same second still differ
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{_signature(secret, signing_input)}"


def _signed_claims(token: str, secret: str, scope: str) -> dict | None:
    """The claims of a JWT this start signed with the given scope, expired or not; None otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, payload, signature = parts
    if not hmac.compare_digest(signature, _signature(secret, f"{header}.{payload}")):
        return None
    try:
        claims = json.loads(_unb64(payload))
    except ValueError:
        return None
    if not isinstance(claims, dict) or claims.get("scope") != scope:
        return None
    return claims


def session_status(token: str, secret: str, scope: str = ACCESS_SCOPE) -> SessionStatus:
    """Whether a JWT is one of ours and still live: an expired one is told apart from a forged one,
    because the PDS answers them differently (400 ExpiredToken vs 401 InvalidToken)."""
    claims = _signed_claims(token, secret, scope)
    if claims is None:
        return "invalid"
    expires_at = claims.get("sandbox_expires_at", claims.get("exp", 0))
    return "valid" if expires_at > time.time() else "expired"


def session_claims(token: str, secret: str, scope: str = ACCESS_SCOPE) -> dict | None:
    """The claims of a live JWT this start minted with the given scope; None otherwise."""
    return _signed_claims(token, secret, scope) if session_status(token, secret, scope) == "valid" else None


def session_jwt_valid(token: str, secret: str) -> bool:
    """A live access JWT of this start."""
    return session_status(token, secret) == "valid"
