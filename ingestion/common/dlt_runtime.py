"""dlt runtime settings every Seamline pipeline shares, applied before a pipeline is made.

Profiling one connector run (cProfile, small world) showed two costs that are dlt's defaults, not
our work:
- dlt gzips its intermediate JSONL files (extract -> normalize), which live only until normalize
  reads them back from the same disk: compressing them cost 3-4% of a run's CPU.
- With no `secrets.toml` found, dlt's secrets provider imports Streamlit (about 900 modules: 1 s
  with bytecode caches, several without) to ask whether a Streamlit app is running. Outside a
  Streamlit process the answer is always no, so the probe is skipped there.
Two more keep raw PII off the disk once it is in raw.duckdb (issue 18 item 6): dlt keeps each
completed load package's job files (parquet of raw records, with emails) and the `<dataset>_staging`
tables of the last merge unless told to delete them after a successful load.
Each setting is a default: a value already in the environment wins.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from dlt.common.configuration.providers.toml import SettingsTomlProvider

# dlt config key (as an env var) -> value, used unless the environment already sets it
DLT_DEFAULTS = {
    "DATA_WRITER__DISABLE_COMPRESSION": "true",
    "LOAD__DELETE_COMPLETED_JOBS": "true",
    "LOAD__TRUNCATE_STAGING_DATASET": "true",
}


def _streamlit_secrets_outside_streamlit(original: Any) -> Any:
    """Wrap dlt's Streamlit secrets probe so it returns "none" unless Streamlit is already loaded.

    A running Streamlit app has imported `streamlit`; anywhere else `streamlit.runtime.exists()` is
    False and the probe returns None after a costly import.
    """

    def probe(self: SettingsTomlProvider, name: str, file_name: str) -> Any:
        if "streamlit" not in sys.modules:
            return None
        return original(self, name, file_name)

    probe.seamline_wrapped = True  # type: ignore[attr-defined]
    return probe


def apply_dlt_runtime_defaults() -> None:
    """Set the shared dlt defaults (idempotent; settings already in the environment are kept)."""
    for key, value in DLT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    current = getattr(SettingsTomlProvider, "_read_streamlit_secrets", None)
    if current is not None and not getattr(current, "seamline_wrapped", False):
        SettingsTomlProvider._read_streamlit_secrets = _streamlit_secrets_outside_streamlit(current)  # type: ignore[method-assign]
