"""A request the vendor would refuse, raised by handlers and rendered in the vendor's own error shape.

Handlers validate as they read parameters and raise `RequestRejected`; the gate turns it into the
vendor's body (Shopify `{"errors": {field: message}}`, Square `{"errors": [...]}`, Google
`{"error": {...}}`, XRPC `{"error", "message"}`), so no handler builds error bodies itself.
"""

from __future__ import annotations


class RequestRejected(Exception):
    """`message` for people, `code` in the vendor's vocabulary (Square/XRPC), `field` the parameter."""

    def __init__(
        self, message: str, *, field: str | None = None, code: str | None = None, status: int = 400
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.status = status
