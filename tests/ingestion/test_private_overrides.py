"""Library internals Seamline still overrides (issue 20 item 4), each pinned here so an upgrade that
changes one fails loudly instead of silently undoing what the override is for.

- dlt's `SettingsTomlProvider._read_streamlit_secrets` (ingestion/common/dlt_runtime.py): no upstream switch.
- requests' `Response._content` (ingestion/common/http.py): psf/requests#3394 names it the place to set a body.
dagster-dbt's `DbtCliResource._cli_version` is pinned in tests/orchestration/test_settings.py.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import requests
from dlt.common.configuration.providers.toml import SettingsTomlProvider

from ingestion.common.http import make_body_utf8_safe

REPO = Path(__file__).resolve().parents[2]


def test_dlt_still_probes_streamlit_through_the_method_seamline_wraps() -> None:
    """The wrapper replaces `_read_streamlit_secrets(self, name, file_name)`, called while reading secrets."""
    probe = SettingsTomlProvider.__dict__.get("_read_streamlit_secrets")
    assert probe is not None, "dlt renamed or moved _read_streamlit_secrets: revisit ingestion/common/dlt_runtime.py"
    assert list(inspect.signature(probe).parameters) == ["self", "name", "file_name"]
    assert "self._read_streamlit_secrets(name, file_name)" in inspect.getsource(SettingsTomlProvider)


def test_resolving_a_dlt_setting_outside_streamlit_never_imports_streamlit(tmp_path: Path) -> None:
    """What the wrapper is for (1 s of imports, and MPLBACKEND set, per pipeline process): in place as soon
    as any connector module is imported; and the dlt defaults write no environment."""
    code = (
        "import json, os, sys\n"
        "before = dict(os.environ)\n"
        "import dlt\n"
        "from ingestion.common.settings import validate_settings\n"
        "value = dlt.secrets.get('sources.nothing_here.token')  # the first read: dlt probes here\n"
        "from ingestion.common.dlt_runtime import apply_dlt_runtime_defaults\n"
        "apply_dlt_runtime_defaults()\n"
        "print(json.dumps({'streamlit': 'streamlit' in sys.modules, 'environ_same': dict(os.environ) == before,\n"
        "    'telemetry': dlt.config['runtime.dlthub_telemetry'], 'delete': dlt.config['load.delete_completed_jobs']}))\n"
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith(("RUNTIME__", "LOAD__"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**env, "PYTHONPATH": str(REPO)},
                            capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "streamlit": False, "environ_same": True, "telemetry": False, "delete": True}


def test_setting_a_responses_content_changes_what_json_reads() -> None:
    """A body with one invalid UTF-8 byte is re-encoded through `_content` and parses afterwards."""
    response = requests.Response()
    response._content = b'{"name": "Jos\xe9", "id": 1}'
    response.status_code = 200
    make_body_utf8_safe(response)
    assert response.json() == {"name": "Jos\udce9", "id": 1}
    assert response.content == b'{"name": "Jos\\udce9", "id": 1}'
