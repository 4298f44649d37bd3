"""Reading the event file drop: list files through fsspec (dlt's filesystem helpers), parse JSONL lines."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dlt.sources.filesystem import FileItem, fsspec_filesystem, glob_files
from fsspec import AbstractFileSystem

from ingestion.common.validation import Problem


def normalise_bucket_url(bucket_url: str) -> str:
    """A local folder (relative or absolute) becomes an absolute path; fsspec URLs pass through."""
    return bucket_url if urlparse(bucket_url).scheme not in ("", "file") else str(Path(
        bucket_url.removeprefix("file://")).expanduser().resolve())


def list_files(bucket_url: str, file_glob: str) -> tuple[AbstractFileSystem, list[FileItem]]:
    """The filesystem and its matching files, sorted by name so every run reads in the same order."""
    filesystem, _ = fsspec_filesystem(bucket_url)
    files = sorted(glob_files(filesystem, bucket_url, file_glob), key=lambda item: item["relative_path"])
    return filesystem, files


def read_content(filesystem: AbstractFileSystem, item: FileItem) -> bytes:
    """The file's bytes, gunzipped when the name ends in .gz."""
    with filesystem.open(item["file_url"], "rb") as handle:
        data = handle.read()
    return gzip.decompress(data) if item["file_name"].endswith(".gz") else data


def content_digest(content: bytes) -> str:
    """Identifies a file's events independently of its name, compression and modification time."""
    return hashlib.sha256(content).hexdigest()[:32]


def parse_lines(content: bytes, file_name: str) -> tuple[list[Any], list[tuple[Any, Problem]]]:
    """Decoded events and (raw line, problem) for lines that are not JSON.

    Lines with invalid UTF-8 still parse (the bad bytes become lone surrogates), so edge validation
    can quarantine them with the rest of the event intact.
    """
    events: list[Any] = []
    rejected: list[tuple[Any, Problem]] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        text = line.decode("utf-8", errors="surrogateescape")
        try:
            events.append(json.loads(text))
        except ValueError as error:
            rejected.append((text, Problem(f"{file_name}:{number}", f"line is not JSON: {error}")))
    return events, rejected
