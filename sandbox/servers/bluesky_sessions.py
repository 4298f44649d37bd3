"""com.atproto.server.createSession / refreshSession for the Bluesky sandbox.

atproto clients log in (`Client.login(handle, app_password)`) before calling the AppView; these two
endpoints let them, with the sandbox token as every account's app password. The session JWTs come
from sessions.py (lifetimes from `start_sandboxes(session_lifetimes=...)`); a world author logging in
gets their own did and handle. An expired or unknown refresh JWT gets the PDS's 400 `ExpiredToken`
(the client must then log in again).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.servers.gate import Gate, bearer_token, json_response
from sandbox.servers.sessions import ACCESS_SCOPE, REFRESH_SCOPE, mint_session_jwt, session_claims
from sandbox.servers.store import WorldStore


def xrpc_error(status: int, error: str, message: str) -> Response:
    return json_response({"error": error, "message": message}, status)


AuthorLookup = Callable[[WorldStore, str], dict[str, Any] | None]


def _did_for(author: dict[str, Any] | None, identifier: str) -> tuple[str, str]:
    """(did, handle) of a world author, or a stable made-up pair for anyone else."""
    if author is not None:
        return author["did"], author["handle"]
    suffix = "".join(char for char in hashlib.sha256(identifier.encode()).hexdigest() if char.isalpha())[:24]
    return f"did:plc:{suffix or 'sandbox'}", identifier


def _session_body(gate: Gate, did: str, handle: str) -> dict[str, Any]:
    secret = gate.tokens.valid
    return {
        "accessJwt": mint_session_jwt(secret, did, ACCESS_SCOPE, gate.lifetimes),
        "refreshJwt": mint_session_jwt(secret, did, REFRESH_SCOPE, gate.lifetimes),
        "handle": handle,
        "did": did,
        "active": True,
    }


def session_routes(gate: Gate, author_of: AuthorLookup) -> list[Route]:
    """com.atproto.server.createSession / refreshSession: the app password is the sandbox token."""

    async def create_session(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except json.JSONDecodeError:
            return xrpc_error(400, "InvalidRequest", "Request body must be JSON")
        identifier, password = body.get("identifier"), body.get("password")
        if not identifier or not password:
            return xrpc_error(
                400, "InvalidRequest", 'Error: Input must have the properties "identifier" and "password"'
            )
        if password != gate.tokens.valid:
            return xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password")
        gate.session_calls["createSession"] += 1
        did, handle = _did_for(author_of(gate.store, identifier), identifier)
        return json_response(_session_body(gate, did, handle))

    async def refresh_session(request: Request) -> Response:
        token = bearer_token(request)
        claims = session_claims(token, gate.tokens.valid, REFRESH_SCOPE) if token else None
        if claims is None:
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        gate.session_calls["refreshSession"] += 1
        did, handle = _did_for(author_of(gate.store, claims["sub"]), claims["sub"])
        return json_response(_session_body(gate, did, handle))

    return [
        Route("/xrpc/com.atproto.server.createSession", create_session, methods=["POST"]),
        Route("/xrpc/com.atproto.server.refreshSession", refresh_session, methods=["POST"]),
    ]
