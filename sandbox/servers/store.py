"""The world directory as the sandboxes see it: JSONL files re-read when they change.

`seamline world advance` rewrites files under a running server, so every request checks the file's
mtime and size and re-reads it when either moved (a stat per request; a re-read only after a change).
A file caught half-written keeps serving the previous version until it parses again. `reload()` drops
every cached file for callers that want to force it.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.world.output import read_jsonl

Record = dict[str, Any]
SortKey = tuple[Any, ...]


@dataclass
class SortedIndex:
    """Records in ascending key order with their keys, for keyset pagination by bisection."""

    keys: list[SortKey]
    records: list[Record]

    def walk(self, after: SortKey | None, *, descending: bool) -> Iterator[tuple[SortKey, Record]]:
        """Records strictly after `after` in the walking direction."""
        if descending:
            end = len(self.keys) if after is None else bisect_left(self.keys, after)
            for position in range(end - 1, -1, -1):
                yield self.keys[position], self.records[position]
        else:
            start = 0 if after is None else bisect_right(self.keys, after)
            for position in range(start, len(self.keys)):
                yield self.keys[position], self.records[position]


@dataclass
class FileSnapshot:
    """One version of one JSONL file, with its sorted views built on first use."""

    records: list[Record]
    _indexes: dict[str, SortedIndex] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def index(self, name: str, key: Callable[[Record], SortKey]) -> SortedIndex:
        """The records sorted by `key`, cached under `name` for the life of this file version."""
        with self._lock:
            if name not in self._indexes:
                keyed = sorted(((key(record), position) for position, record in enumerate(self.records)))
                self._indexes[name] = SortedIndex(
                    keys=[item[0] for item in keyed],
                    records=[self.records[item[1]] for item in keyed],
                )
            return self._indexes[name]


class WorldStore:
    """Reads `<world>/<vendor>/<entity>.jsonl` and `manifest.json`, re-reading a file when it changes."""

    def __init__(self, world_dir: Path) -> None:
        self.world_dir = Path(world_dir).resolve()
        self._cache: dict[str, tuple[tuple[int, int], FileSnapshot]] = {}
        self._lock = threading.Lock()

    def reload(self) -> None:
        """Forget every cached file so the next request reads the world from disk."""
        with self._lock:
            self._cache.clear()

    def snapshot(self, relative_path: str) -> FileSnapshot:
        """The current version of a JSONL file; a missing file is an empty one."""
        path = self.world_dir / relative_path
        try:
            stat = path.stat()
        except FileNotFoundError:
            return FileSnapshot(records=[])
        signature = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(relative_path)
            if cached and cached[0] == signature:
                return cached[1]
        try:
            fresh = FileSnapshot(records=list(read_jsonl(path)))
        except (json.JSONDecodeError, UnicodeDecodeError):
            if cached:
                return cached[1]
            raise
        with self._lock:
            self._cache[relative_path] = (signature, fresh)
        return fresh

    def records(self, relative_path: str) -> list[Record]:
        return self.snapshot(relative_path).records

    def manifest(self) -> dict[str, Any]:
        """The world's manifest (`as_of`, brand, account ids); empty when the world has none."""
        path = self.world_dir / "manifest.json"
        if not path.exists():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))

