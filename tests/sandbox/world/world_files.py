"""Helpers for reading a generated world in tests: JSON lines (plain or gzip) and file digests."""

import hashlib
import json
from pathlib import Path

from sandbox.world import output


def read_jsonl(path: Path) -> list[dict]:
    return list(output.read_jsonl(path))


def web_events(world: Path) -> list[dict]:
    """Every event of every delivered file (duplicates from re-delivered files included)."""
    events = []
    for path in sorted((world / "web_events").iterdir()):
        events.extend(read_jsonl(path))
    return events


def tree_digests(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def seed_of(world: Path) -> int:
    """The seed a world was generated with (tests/conftest.py's shared tiny world)."""
    return int(json.loads((world / "manifest.json").read_text())["seed"])
