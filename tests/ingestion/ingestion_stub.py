"""A tiny programmable HTTP server for unit-testing connectors without the sandboxes."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlparse


@dataclass
class StubRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class StubResponse:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


Handler = Callable[[StubRequest], StubResponse]


class StubServer:
    """Serves `handler` on 127.0.0.1 in a background thread and records every request."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[StubRequest] = []
        stub = self

        class RequestHandler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw_body = self.rfile.read(length) if length else b""
                request = StubRequest(
                    self.command, url.path, {k: v[0] for k, v in parse_qs(url.query).items()},
                    {k.lower(): v for k, v in self.headers.items()}, json.loads(raw_body) if raw_body else None,
                )
                stub.requests.append(request)
                response = stub.handler(request)
                payload = response.raw if response.raw is not None else json.dumps(response.body).encode()
                self.send_response(response.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
