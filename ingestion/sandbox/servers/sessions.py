"""Session JWTs for the Bluesky sandbox's `com.atproto.server.createSession`.

atproto clients log in with a handle and an app password and then send the returned `accessJwt`;
they read its `exp` to know when to call `refreshSession`. The sandbox signs these JWTs (HS256) with
the start's random token, so the token doubles as the app password and nothing else needs storing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

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


def mint_session_jwt(secret: str, did: str, scope: str) -> str:
    now = int(time.time())
    lifetime = ACCESS_LIFETIME_SECONDS if scope == ACCESS_SCOPE else REFRESH_LIFETIME_SECONDS
    header = {"typ": "at+jwt" if scope == ACCESS_SCOPE else "refresh+jwt", "alg": "HS256"}
    payload = {
        "scope": scope,
        "sub": did,
        "aud": "did:web:sandbox.localhost",
        "iat": now,
        "exp": now + lifetime,
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{_signature(secret, signing_input)}"


def session_claims(token: str, secret: str, scope: str = ACCESS_SCOPE) -> dict | None:
    """The claims of a JWT this start minted with the given scope and not expired; None otherwise."""
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
    if not isinstance(claims, dict) or claims.get("scope") != scope or claims.get("exp", 0) <= time.time():
        return None
    return claims


def session_jwt_valid(token: str, secret: str) -> bool:
    return session_claims(token, secret) is not None
