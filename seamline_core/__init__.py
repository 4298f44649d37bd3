"""What every Seamline layer may import: where the files live and how to read a published snapshot.

Imports no other Seamline package (tests/test_layers.py checks it), so ingestion, the dashboards,
analytics, evaluation and orchestration can all depend on it without an import pointing backwards.

- ``seamline_core.paths``: the data directory and everything under it, read from the environment when
  a function runs, never at import.
- ``seamline_core.snapshots``: the serving snapshot's layout and its reader (current snapshot, ops
  tables, restricted companion, last run status). The writer (publish, rollback) is
  ``orchestration.serving``.
"""
