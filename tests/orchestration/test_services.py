"""``seamline ui``'s supervision: a URL is printed only once it answers, and one UI failing (as the
Dagster code server did on first start) is reported clearly while the other keeps running."""

from __future__ import annotations

import io
import os
import socket
import sys
import threading
import time
from pathlib import Path

from orchestration import services


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_one_ui_failing_leaves_the_other_running_and_urls_appear_only_when_they_answer(tmp_path: Path) -> None:
    port = _free_port()
    healthy = services.Service(
        "dashboard", [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        url=f"http://127.0.0.1:{port}", health_url=f"http://127.0.0.1:{port}/", log=tmp_path / "dashboard.log")
    broken = services.Service(
        "Dagster UI", [sys.executable, "-c", "import sys; print('code server timed out'); sys.exit(3)"],
        url="http://127.0.0.1:9/", health_url="http://127.0.0.1:9/", log=tmp_path / "dagster.log")
    for service in (healthy, broken):
        services.start(service, os.environ)
    out = io.StringIO()
    outcome: list[int] = []
    supervisor = threading.Thread(target=lambda: outcome.append(services.supervise([healthy, broken], out, poll=0.1)))
    supervisor.start()
    try:
        broken.process.wait(timeout=60)
        for _ in range(600):
            if healthy.ready and broken.exit_code is not None:
                break
            supervisor.join(timeout=0.1)
        report = out.getvalue()
        assert healthy.process.poll() is None, report  # the dashboard did not die with Dagster
        assert "dashboard ready after" in report and healthy.url in report
        assert "Dagster UI stopped before it answered (exit code 3)" in report
        assert "code server timed out" in report  # the end of its log says why
        assert broken.url not in report  # never printed: it never answered
    finally:
        healthy.process.terminate()
        supervisor.join(timeout=60)
    assert outcome == [1]  # a UI failed


def test_answers_is_false_when_nothing_listens() -> None:
    assert services.answers(f"http://127.0.0.1:{_free_port()}/", timeout=1) is False


def test_a_ui_stops_when_asked_even_if_its_launcher_ignores_sigterm(tmp_path: Path) -> None:
    """An ignored signal survives exec: started from a process ignoring SIGTERM (as the full test suite
    once was), the dashboard ignored terminate() and the supervisor waited forever."""
    import signal

    port = _free_port()
    service = services.Service(
        "dashboard", [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        url=f"http://127.0.0.1:{port}", health_url=f"http://127.0.0.1:{port}/", log=tmp_path / "dashboard.log")
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        services.start(service, os.environ)
    finally:
        signal.signal(signal.SIGTERM, previous)
    try:
        deadline = time.monotonic() + 120
        while not services.answers(service.health_url, timeout=1):  # started, its handlers installed
            assert service.process.poll() is None and time.monotonic() < deadline, "the dashboard never answered"
            time.sleep(0.1)
        service.process.terminate()
        assert service.process.wait(timeout=60) == -signal.SIGTERM
    finally:
        if service.process.poll() is None:
            service.process.kill()
