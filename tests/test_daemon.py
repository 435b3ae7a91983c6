"""`alerts run` as a service: picks up a change within its interval and
stops cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from werkzeug import Response

from support import Process, wait_until

DATA = Path(__file__).parent / "sources" / "data"


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
    daemons: list[Process] = []

    def start() -> Process:
        daemons.append(Process(config))
        return daemons[-1]

    yield start, payload, received
    for daemon in daemons:
        daemon.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_picks_up_a_change_and_stops_cleanly(service, sig):
    start, payload, received = service
    daemon = start()
    wait_until(lambda: daemon.has("lever:spotify: 2 postings"), "the baseline poll", [daemon])
    payload[0]["text"] = "Principal Android Engineer"
    wait_until(lambda: received, "the update to be delivered", [daemon])
    assert "Principal Android Engineer" in received[0]["message"]
    assert daemon.stop(sig) == 0
    assert daemon.has("stopped")
    assert len(received) == 1  # one change, one message, however many polls
