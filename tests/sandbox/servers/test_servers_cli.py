"""`python -m sandbox.servers --world DIR` prints the base URLs and env lines, serves until
Ctrl-C, and exits cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sandbox.servers import start_sandboxes
from sandbox.servers.__main__ import parse_args

REPO = Path(__file__).resolve().parents[3]


USER_SETTINGS = (
    "SOURCES__SHOPIFY__BASE_URL",
    "SOURCES__SHOPIFY__ACCESS_TOKEN",
    "SOURCES__SQUARE__BASE_URL",
    "SOURCES__SQUARE__ACCESS_TOKEN",
    "SOURCES__GOOGLE_REVIEWS__BASE_URL",
    "SOURCES__GOOGLE_REVIEWS__ACCESS_TOKEN",
    "SOURCES__GOOGLE_REVIEWS__ACCOUNT_ID",
    "SOURCES__BLUESKY__BASE_URL",
    "SOURCES__BLUESKY__HANDLE",
    "SOURCES__BLUESKY__APP_PASSWORD",
    "SOURCES__WEB_EVENTS__BUCKET_URL",
)


def test_env_lines_are_the_user_facing_settings(sandboxes) -> None:
    names = [line.split("=", 1)[0] for line in sandboxes.env_lines()]
    assert names == list(USER_SETTINGS)
    assert not any("ACCESS_TOKEN" in name for name in names if "BLUESKY" in name)


def test_cli_serves_until_interrupted(world_dir: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sandbox.servers",
            "--world",
            str(world_dir),
            "--vendor-rate-limits",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("# serving"):
                break
        env = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
        # exactly what a user types (docs/DIALECTS.md section 4): Bluesky takes a handle and an app
        # password, never a token
        assert sorted(env) == sorted(USER_SETTINGS)
        manifest = json.loads((world_dir / "manifest.json").read_text())
        assert env["SOURCES__BLUESKY__HANDLE"] == manifest["brand"]["bluesky_handle"]
        assert env["SOURCES__GOOGLE_REVIEWS__ACCOUNT_ID"] == str(manifest["google_account_id"])
        assert env["SOURCES__WEB_EVENTS__BUCKET_URL"] == str((world_dir / "web_events").absolute())
        assert env["SOURCES__SHOPIFY__BASE_URL"].endswith("/admin/api/2024-04")
        response = requests.get(
            env["SOURCES__SHOPIFY__BASE_URL"] + "/products.json",
            headers={"X-Shopify-Access-Token": env["SOURCES__SHOPIFY__ACCESS_TOKEN"]},
            timeout=10,
        )
        assert response.status_code == 200
        assert response.headers["X-Shopify-Shop-Api-Call-Limit"] == "1/40"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
        process.stdout.close()
        process.stderr.close()


def test_cli_options_map_to_faults() -> None:
    args = parse_args(
        ["--world", "w", "--shopify-port", "8001", "--server-error-every", "7", "--malformed-rate", "0.1"]
    )
    assert (args.shopify_port, args.square_port, args.server_error_every, args.malformed_rate) == (
        8001,
        0,
        7,
        0.1,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_fixed_ports_and_start_errors(world_dir: Path, tmp_path: Path) -> None:
    port = _free_port()
    with start_sandboxes(world_dir, ports={"square": port}) as sandboxes:
        assert sandboxes.base_urls["square"] == f"http://127.0.0.1:{port}"
        assert len({url.rsplit(":", 1)[1].split("/")[0] for url in sandboxes.base_urls.values()}) == 4
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            start_sandboxes(world_dir, ports={"square": port})
    with pytest.raises(ValueError, match="unknown vendors in ports"):
        start_sandboxes(world_dir, ports={"shopfy": port})
    with pytest.raises(FileNotFoundError, match="does not exist"):
        start_sandboxes(tmp_path / "no-world")
