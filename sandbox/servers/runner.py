"""Start the four sandboxes on 127.0.0.1, each a uvicorn server in a background thread.

Sockets are bound before the threads start, so the ports (ephemeral unless given) are known and
listening when `start_sandboxes` returns; nothing polls a port that may be taken by someone else.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from sandbox.servers.bluesky import BlueskyProfile, bluesky_routes
from sandbox.servers.faults import Faults
from sandbox.servers.gate import Gate, Tokens, VendorProfile
from sandbox.servers.google_reviews import GoogleProfile, google_routes
from sandbox.servers.ratelimit import LeakyBucket, RateLimits
from sandbox.servers.sessions import DEFAULT_LIFETIMES, SessionLifetimes
from sandbox.servers.shopify import BASE_PATH as SHOPIFY_BASE_PATH
from sandbox.servers.shopify import ShopifyProfile, shopify_routes
from sandbox.servers.square import SquareProfile, square_routes
from sandbox.servers.store import WorldStore

HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 15.0

VendorSpec = tuple[Callable[[], VendorProfile], Callable[[Gate], list[Route]], str]
VENDORS: dict[str, VendorSpec] = {
    "shopify": (ShopifyProfile, shopify_routes, SHOPIFY_BASE_PATH),
    "square": (SquareProfile, square_routes, ""),
    "google_reviews": (GoogleProfile, google_routes, ""),
    "bluesky": (BlueskyProfile, bluesky_routes, ""),
}


@dataclass
class _RunningServer:
    server: uvicorn.Server
    thread: threading.Thread


def connector_settings(base_urls: dict[str, str], token: str, world_dir: Path) -> dict[str, str]:
    """Every setting a user types to point the connectors at these sandboxes (docs/DIALECTS.md section 4).

    The same few a real retailer types: a base URL and a token per API, Google's account id, the
    brand's Bluesky handle and an app password (the sandbox token), and the folder of web events.
    The Google account and brand handle come from the world's manifest, as a user would read them off
    the vendor's console.
    """
    manifest_path = Path(world_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    settings: dict[str, str] = {}
    for vendor in ("shopify", "square", "google_reviews"):
        if vendor in base_urls:
            settings[f"SOURCES__{vendor.upper()}__BASE_URL"] = base_urls[vendor]
            settings[f"SOURCES__{vendor.upper()}__ACCESS_TOKEN"] = token
    if "google_reviews" in base_urls and manifest.get("google_account_id"):
        settings["SOURCES__GOOGLE_REVIEWS__ACCOUNT_ID"] = str(manifest["google_account_id"])
    if "bluesky" in base_urls:
        settings["SOURCES__BLUESKY__BASE_URL"] = base_urls["bluesky"]
        handle = (manifest.get("brand") or {}).get("bluesky_handle")
        if handle:
            settings["SOURCES__BLUESKY__HANDLE"] = handle
        settings["SOURCES__BLUESKY__APP_PASSWORD"] = token
    settings["SOURCES__WEB_EVENTS__BUCKET_URL"] = str((Path(world_dir) / "web_events").absolute())
    return settings


@dataclass
class Sandboxes:
    """Running sandboxes: where they listen and the token they accept. A context manager."""

    base_urls: dict[str, str]
    token: str
    unscoped_token: str
    store: WorldStore
    _running: list[_RunningServer] = field(default_factory=list, repr=False)
    _gates: dict[str, Gate] = field(default_factory=dict, repr=False)

    @property
    def app_password(self) -> str:
        """The Bluesky app password every handle logs in with (the start's token)."""
        return self.token

    @property
    def session_calls(self) -> dict[str, int]:
        """How often Bluesky's createSession / refreshSession handed out a session since the start."""
        return dict(self._gates["bluesky"].session_calls)

    @property
    def requests_received(self) -> dict[str, int]:
        """Authenticated requests per vendor since the start (request faults are decided by these numbers)."""
        return {vendor: gate.requests_received for vendor, gate in self._gates.items()}

    def settings(self) -> dict[str, str]:
        """The connector settings that point at these sandboxes (see `connector_settings`)."""
        return connector_settings(self.base_urls, self.token, self.store.world_dir)

    def env_lines(self) -> list[str]:
        """`NAME=value` lines of `settings()`, for a shell or a .env file."""
        return [f"{name}={value}" for name, value in self.settings().items()]

    def reload(self) -> None:
        """Re-read the world on the next request (files are also re-read whenever their mtime changes)."""
        self.store.reload()

    def stop(self) -> None:
        for running in self._running:
            running.server.should_exit = True
        for running in self._running:
            running.thread.join(timeout=10)
        self._running.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def build_app(vendor: str, gate: Gate) -> Starlette:
    """One vendor's ASGI app; unknown paths answer in the vendor's own error shape."""
    _, routes, _ = VENDORS[vendor]
    profile = gate.profile

    async def not_found(request: Request, exc: HTTPException):
        return profile.not_found()

    return Starlette(routes=routes(gate), exception_handlers={404: not_found, 405: not_found})


def start_sandboxes(
    world_dir: Path,
    *,
    faults: Faults | None = None,
    ports: dict[str, int] | None = None,
    rate_limits: RateLimits | None = None,
    session_lifetimes: SessionLifetimes | None = None,
) -> Sandboxes:
    """Serve the world in `world_dir` through the four vendor contracts until `.stop()`.

    `ports` maps vendor names to fixed ports (0 or absent = ephemeral). `rate_limits` defaults to
    generous budgets; pass `RateLimits.vendor_defaults()` for the vendors' real numbers.
    `session_lifetimes` sets how long Bluesky session JWTs live (default Bluesky's: access 2 h), so a
    test can make one expire in the middle of a run.
    """
    world = Path(world_dir)
    if not world.is_dir():
        raise FileNotFoundError(
            f"sandbox: world directory {world} does not exist; run `seamline world generate` first"
        )
    unknown = set(ports or {}) - set(VENDORS)
    if unknown:
        raise ValueError(f"sandbox: unknown vendors in ports: {sorted(unknown)}; use {sorted(VENDORS)}")
    limits = rate_limits or RateLimits()
    store = WorldStore(world)
    tokens = Tokens(valid=secrets.token_urlsafe(32), unscoped=secrets.token_urlsafe(32))
    sandboxes = Sandboxes(base_urls={}, token=tokens.valid, unscoped_token=tokens.unscoped, store=store)
    try:
        for vendor, (profile_factory, _, base_path) in VENDORS.items():
            gate = Gate(
                profile_factory(),
                store,
                tokens,
                LeakyBucket(limits.for_vendor(vendor)),
                faults,
                session_lifetimes or DEFAULT_LIFETIMES,
            )
            sandboxes._gates[vendor] = gate
            sock = _bind((ports or {}).get(vendor, 0))
            running = _serve(build_app(vendor, gate), sock)
            sandboxes._running.append(running)
            sandboxes.base_urls[vendor] = f"http://{HOST}:{sock.getsockname()[1]}{base_path}"
        _wait_started(sandboxes._running)
    except BaseException:
        sandboxes.stop()
        raise
    return sandboxes


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"sandbox: cannot listen on {HOST}:{port}: {exc.strerror}") from exc
    sock.listen(128)
    return sock


def _serve(app: Starlette, sock: socket.socket) -> _RunningServer:
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="sandbox-server"
    )
    thread.start()
    return _RunningServer(server=server, thread=thread)


def _wait_started(running: list[_RunningServer]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not all(item.server.started for item in running):
        if time.monotonic() > deadline or any(not item.thread.is_alive() for item in running):
            raise RuntimeError("sandbox: a server did not start; see the uvicorn log above")
        time.sleep(0.01)
