"""`seamline docs`: the dbt docs site, generated offline and served on 127.0.0.1.

`dbt docs generate` runs with the project's own profile, so its catalog (column types, row counts)
comes from the built warehouse (`$SEAMLINE_DATA_DIR/warehouse.duckdb`); descriptions, lineage and the
dashboard pages' exposures come from the project's YAML. The artifacts go to their own target
directory so a running pipeline's `dbt_target` is never touched.
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from pathlib import Path

from orchestration.analysts.metrics import MetricsError, analyst_target_dir, dbt_command
from seamline_core import paths

SITE_FILES = ("index.html", "manifest.json", "catalog.json")


def generate(target_dir: Path | None = None) -> Path:
    """Generate the site into target_dir (default `<data dir>/analyst_target`); the directory."""
    target_dir = target_dir or analyst_target_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    args = ["docs", "generate", "--quiet"]
    if not paths.warehouse_db().exists():
        # dbt would create an empty warehouse to read the catalog from: describe the project only
        print(f"no built warehouse at {paths.warehouse_db()} (run `make demo`): generating without a catalog")
        args.append("--empty-catalog")
    result = dbt_command(args, target_dir)
    missing = [name for name in SITE_FILES if not (target_dir / name).exists()]
    if result.returncode != 0 or missing:
        raise MetricsError(f"dbt docs generate failed (missing {missing}):\n{result.stdout}\n{result.stderr}")
    return target_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(site: Path, port: int = 8080, host: str = "127.0.0.1") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the site from a background thread; the server and its URL, once the URL answers."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{host}:{server.server_address[1]}/"
    probe = urllib.request.Request(url + "index.html", method="HEAD")
    with urllib.request.urlopen(probe, timeout=10) as response:
        if response.status != 200:
            server.shutdown()
            raise MetricsError(f"the docs server at {url} answered {response.status}")
    return server, url
