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
tables of the last merge unless told to delete them after a successful load. And dlt's telemetry is off.

The settings are dlt configuration, not environment variables: they come from a provider registered
after dlt's own (environment, TOML files), so any value set there still wins, and nothing writes
`os.environ` (issue 20 item 3).
"""

from __future__ import annotations

import sys
from typing import Any

import dlt
from dlt.common.configuration.container import Container
from dlt.common.configuration.providers import CustomLoaderDocProvider
from dlt.common.configuration.providers.toml import SettingsTomlProvider
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext

PROVIDER_NAME = "seamline_defaults"
# dlt config sections -> values, used unless the environment or a TOML file sets them
DLT_DEFAULTS: dict[str, Any] = {
    "data_writer": {"disable_compression": True},
    "load": {"delete_completed_jobs": True, "truncate_staging_dataset": True},
    "runtime": {"dlthub_telemetry": False},
}


def _streamlit_secrets_outside_streamlit(original: Any) -> Any:
    """Wrap dlt's Streamlit secrets probe so it returns "none" unless Streamlit is already loaded.

    A running Streamlit app has imported `streamlit`; anywhere else `streamlit.runtime.exists()` is
    False and the probe returns None after a costly import. dlt has no switch for it and no upstream
    issue asks for one (dlt-hub/dlt issues searched 2026-12-07; file one before the next upgrade).
    `_read_streamlit_secrets` is private: tests/ingestion/test_dlt_runtime.py fails loudly when dlt
    renames it or changes its signature.
    """

    def probe(self: SettingsTomlProvider, name: str, file_name: str) -> Any:
        if "streamlit" not in sys.modules:
            return None
        return original(self, name, file_name)

    probe.seamline_wrapped = True  # type: ignore[attr-defined]
    return probe


def skip_streamlit_probe_outside_streamlit() -> None:
    """Wrap dlt's probe (idempotent). Done when `ingestion` is imported: dlt probes as soon as anything
    first reads a setting (a settings check, a sensor), and importing Streamlit also sets MPLBACKEND."""
    current = getattr(SettingsTomlProvider, "_read_streamlit_secrets", None)
    if current is not None and not getattr(current, "seamline_wrapped", False):
        SettingsTomlProvider._read_streamlit_secrets = _streamlit_secrets_outside_streamlit(current)  # type: ignore[method-assign]


def apply_dlt_runtime_defaults() -> None:
    """Register the shared dlt defaults once per run context (idempotent; configured values win)."""
    skip_streamlit_probe_outside_streamlit()
    providers = Container()[PluggableRunContext].providers
    if PROVIDER_NAME not in [provider.name for provider in providers.providers]:
        dlt.config.register_provider(
            CustomLoaderDocProvider(PROVIDER_NAME, lambda: DLT_DEFAULTS, supports_secrets=False))
