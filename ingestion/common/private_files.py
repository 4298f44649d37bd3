"""Raw PII at rest is readable by its owner only: files 0600, directories 0700.

raw.duckdb, warehouse.duckdb and dlt's pipeline folders (state, schemas, load packages) hold raw
emails and phone numbers. DuckDB and dlt create their files under the process umask (usually 0644 /
0755), so the data directory is made 0700 before anything is written into it and every file that
holds raw records is set to 0600 after a run.
"""

from __future__ import annotations

import os
from pathlib import Path

from seamline_core.paths import data_dir, dlt_pipelines_dir, raw_db, warehouse_db

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
# DuckDB's companions of a database file (write-ahead log, temporary spill folder)
DUCKDB_COMPANIONS = (".wal", ".tmp")


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) and make `path` itself 0700; returns it."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def restrict_tree(path: Path) -> None:
    """Make `path` owner-only: a file 0600, a directory 0700 with everything below it likewise."""
    if path.is_symlink() or not path.exists():
        return
    if path.is_file():
        os.chmod(path, PRIVATE_FILE_MODE)
        return
    os.chmod(path, PRIVATE_DIR_MODE)
    for root, directories, files in os.walk(path):
        for name in directories:
            os.chmod(Path(root) / name, PRIVATE_DIR_MODE)
        for name in files:
            file = Path(root) / name
            if not file.is_symlink():
                os.chmod(file, PRIVATE_FILE_MODE)


def restrict_database(database: Path) -> None:
    """Make a DuckDB file and its companions (WAL, spill folder) owner-only."""
    restrict_tree(database)
    for suffix in DUCKDB_COMPANIONS:
        restrict_tree(database.with_name(database.name + suffix))


def restrict_data_dir() -> None:
    """Make everything in the data directory that holds raw PII owner-only.

    The data directory itself (0700), raw.duckdb and warehouse.duckdb (0600, with their WAL) and
    dlt's pipeline folders (0700 / 0600). The restricted companion of each snapshot is written 0600
    by serving itself. Safe to call at any time, also when some of these do not exist yet.
    """
    private_dir(data_dir())
    restrict_database(raw_db())
    restrict_database(warehouse_db())
    restrict_tree(dlt_pipelines_dir())
