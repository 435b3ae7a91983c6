"""`alerts run` as a service: picks up a change within its interval and
stops cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug import Response

DATA = Path(__file__).parent / "sources" / "data"
WAIT_SECONDS = 20


class Daemon:
    def __init__(self, config: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "alerts", "run", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for(self, predicate, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if predicate():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}; output:\n{''.join(self.lines)}")

    def log_has(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self, sig: signal.Signals) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=WAIT_SECONDS)
        finally:
            self._reader.join(timeout=5)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def service(tmp_path, httpserver):
    payload = json.loads((DATA / "lever_spotify.json").read_text())
    received: list[dict] = []
    httpserver.expect_request("/lever/postings/spotify").respond_with_handler(
        lambda request: Response(json.dumps(payload), content_type="application/json")
    )

    def hook(request):
        received.append(json.loads(request.data))
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/hook").respond_with_handler(hook)
    config = tmp_path / "alerts.toml"
    config.write_text(
        f"""
[polling]
interval = "1s"
jitter = "0s"
tick = "1s"

[sources.lever]
base_url = "http://127.0.0.1:{httpserver.port}/lever"

[channels.hook]
url = "json://127.0.0.1:{httpserver.port}/hook"

[[subscriptions]]
name = "all"
boards = ["lever:spotify"]
channels = ["hook"]
"""
    )
    daemons: list[Daemon] = []

    def start() -> Daemon:
        daemons.append(Daemon(config))
        return daemons[-1]

    yield start, payload, received
    for daemon in daemons:
        daemon.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_picks_up_a_change_and_stops_cleanly(service, sig):
    start, payload, received = service
    daemon = start()
    daemon.wait_for(lambda: daemon.log_has("lever:spotify: 2 postings"), "the baseline poll")
    payload[0]["text"] = "Principal Android Engineer"
    daemon.wait_for(lambda: received, "the update to be delivered")
    assert "Principal Android Engineer" in received[0]["message"]
    assert daemon.stop(sig) == 0
    assert daemon.log_has("stopped")
    assert len(received) == 1  # one change, one message, however many polls
