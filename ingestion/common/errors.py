"""Errors a person running a load can act on: each names the source and the endpoint (or the setting),
never a secret."""

from __future__ import annotations


class SourceError(RuntimeError):
    """A source could not be read; the message says which source, which endpoint and what to do."""

    def __init__(self, source: str, endpoint: str, problem: str) -> None:
        self.source = source
        self.endpoint = endpoint
        self.problem = problem
        super().__init__(f"{source}: {endpoint}: {problem}")


class SourceAuthError(SourceError):
    """The credentials were refused: retrying cannot help, so this fails fast."""


class SourceUnavailableError(SourceError):
    """The service kept failing (rate limits, 5xx, network) for longer than the retry budget."""


class SourceNotFoundError(SourceError):
    """HTTP 404: the record asked for is gone (e.g. an order deleted after it was listed)."""


class ConfigurationError(ValueError):
    """Settings of one source are missing or invalid; `problems` holds one message per setting."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: invalid settings:\n" + "\n".join(f"  - {problem}" for problem in problems))
