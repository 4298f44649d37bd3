"""Byte-stable file writing: JSON lines with fixed key order, gzip without timestamps, fixed parquet.

Determinism is a contract (same seed and scale -> identical bytes), so nothing here may depend on the
clock, the file name in a gzip header, dict-of-set iteration or the machine.
"""

import gzip
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sandbox.world.settings import SHOP_TIMEZONE

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(record: dict) -> str:
    return _ENCODER.encode(record)


def write_jsonl(path: Path, records: Iterable[dict], compress: bool = False) -> int:
    """Write one JSON object per line; gzip with mtime 0 and no name when `compress`. Returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [dumps(record) for record in records]
    payload = ("\n".join(lines) + "\n" if lines else "").encode()
    if compress:
        payload = gzip.compress(payload, mtime=0)
    _replace_atomically(path, payload)
    return len(lines)


def read_jsonl(path: Path) -> Iterator[dict]:
    """The records of a JSON-lines world file (gzip when it ends in .gz), skipping blank lines."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _replace_atomically(path: Path, payload: bytes) -> None:
    """Write beside the target and rename, so a sandbox re-reading the file never sees half of it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(payload)
    os.replace(partial, path)


def write_json(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_atomically(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())


def write_parquet(path: Path, table: pa.Table) -> None:
    """Parquet without per-run metadata (pyarrow writes none that depends on the clock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def shop_time(ts: int) -> str:
    """Shopify style: shop-local time with offset, no fractions (2026-01-10T11:00:00-08:00)."""
    return datetime.fromtimestamp(ts, SHOP_TIMEZONE).isoformat()


def utc_millis(ts: int, millis: int = 0) -> str:
    """RFC 3339 UTC with milliseconds and Z (Square, Bluesky, web events)."""
    return f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ts))}.{millis % 1000:03d}Z"


def utc_seconds(ts: int) -> str:
    """RFC 3339 UTC without fractions (Google's proto3 Timestamp with 0 fractional digits)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def money(cents: int) -> str:
    """Shopify's two-decimal money string."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


class BackgroundWriter:
    """Runs a file-writing job in a forked child so it overlaps the caller's work (2 cores, one job each).

    Where `fork` is unavailable the job simply runs inline. The job must only write files: nothing it
    changes in memory reaches the parent.
    """

    def __init__(self, job: Callable[..., None], *args: object):
        self.name = getattr(job, "__qualname__", "job")
        self.process = None
        if "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(target=job, args=args, daemon=True)
            self.process.start()
        else:
            job(*args)

    def wait(self) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(f"world writer {self.name} failed in its child process (exit code "
                               f"{self.process.exitcode}); its traceback is on stderr above")
