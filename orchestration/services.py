"""Start the long-running UIs (Dagster, the dashboard) side by side, each on its own.

Each service writes its output to a log file; its URL is printed only once the URL answers, and a
service that stops is reported with the end of its log while the others keep running (issue 17:
a Dagster code-server timeout used to take the dashboard down with it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

WAITING_NOTE_EVERY = 30.0  # seconds between "still starting" lines while a service has not answered
STOP_GRACE = 20.0  # seconds a service gets to stop after SIGTERM before SIGKILL


@dataclass
class Service:
    """One UI process: what to run, where it answers when ready, where its output goes."""

    name: str
    command: Sequence[str]
    url: str
    health_url: str
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)
    started_at: float = 0.0
    ready: bool = False
    exit_code: int | None = None  # set when the service stopped on its own (not stopped by us)


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when ``url`` responds with an HTTP status below 500."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy
    try:
        with direct.open(url, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except (OSError, ValueError):
        return False


def start(service: Service, env: Mapping[str, str]) -> None:
    """Start ``service`` in its own process group with its output in its log file."""
    service.log.parent.mkdir(parents=True, exist_ok=True)
    with service.log.open("w") as log:
        # preexec_fn only resets three signal dispositions (async-signal-safe calls), so the usual risk
        # of running Python between fork and exec while other threads hold locks does not apply here
        service.process = subprocess.Popen(service.command, env=dict(env), stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True, preexec_fn=_default_stop_signals)
    service.started_at = time.monotonic()


def _default_stop_signals() -> None:
    """In the child, before exec: SIGTERM, SIGINT and SIGHUP back to their defaults.

    An ignored signal is inherited across exec: a UI started from a process that ignores SIGTERM (a
    library's handler set to SIG_IGN, nohup, a background job) would never stop when asked, and the
    supervisor would wait on it forever.
    """
    for stop_signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(stop_signal, signal.SIG_DFL)


def log_tail(path: Path, lines: int = 15) -> str:
    """The last ``lines`` lines of a log file, indented, for a failure message."""
    text = path.read_text(errors="replace").splitlines() if path.exists() else []
    return "\n".join(f"    {line}" for line in text[-lines:]) or "    (no output)"


def supervise(services: Sequence[Service], out: TextIO = sys.stdout, poll: float = 0.5) -> int:
    """Report each service when it answers or stops; return when none is running (1 if any failed).

    Ctrl-C (or SIGTERM) stops every service that is still running.
    """
    last_note = time.monotonic()
    try:
        while any(s.process is not None and s.process.poll() is None for s in services):
            for service in services:
                _report(service, out)
            if time.monotonic() - last_note >= WAITING_NOTE_EVERY:
                last_note = time.monotonic()
                for service in services:
                    if not service.ready and service.process and service.process.poll() is None:
                        waited = time.monotonic() - service.started_at
                        print(f"{service.name}: still starting ({waited:.0f} s; log: {service.log})",
                              file=out, flush=True)
            time.sleep(poll)
        for service in services:
            _report(service, out)
    except KeyboardInterrupt:
        print("stopping ...", file=out, flush=True)
    finally:
        stop(services, out)
    return 1 if any(s.exit_code for s in services) else 0


def _report(service: Service, out: TextIO) -> None:
    if service.process is None or service.exit_code is not None:
        return
    code = service.process.poll()
    if code is not None:
        service.exit_code = code
        state = "stopped" if service.ready else "stopped before it answered"
        others = "; the other UIs keep running" if code else ""
        print(f"{service.name} {state} (exit code {code}){others}. End of {service.log}:\n{log_tail(service.log)}",
              file=out, flush=True)
    elif not service.ready and answers(service.health_url):
        service.ready = True
        print(f"{service.name} ready after {time.monotonic() - service.started_at:.0f} s: {service.url}",
              file=out, flush=True)


def stop(services: Sequence[Service], out: TextIO = sys.stdout) -> None:
    """SIGTERM each running service's process group, then SIGKILL what is alive after ``STOP_GRACE``."""
    running = [s for s in services if s.process is not None and s.process.poll() is None]
    for service in running:
        os.killpg(service.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for service in running:
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()
            print(f"{service.name} did not stop within {STOP_GRACE:.0f} s: killed", file=out, flush=True)
