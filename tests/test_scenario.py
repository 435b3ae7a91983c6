"""`alerts run --once` through the life of three boards, as a user runs it.

Real parts only: the CLI in a subprocess, the recorded payloads from a local
HTTP server, Apprise `json://` to a local HTTP server, `mailto://` to a local
aiosmtpd server, a SQLite file or the real PostgreSQL.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from support import Hook, free_port, run_once

DATA = Path(__file__).parent / "sources" / "data"


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text())


class Boards:
    """What the local "job boards" answer this round."""

    PATHS = {
        "greenhouse": "/gh/boards/vercel/jobs",
        "lever": "/lever/postings/spotify",
        "ashby": "/ashby/job-board/linear",
    }

    def __init__(self, server: HTTPServer):
        self.server = server
        self.payloads = {
            "greenhouse": recorded("greenhouse_vercel.json"),
            "lever": recorded("lever_spotify.json"),
            "ashby": recorded("ashby_linear.json"),
        }
        self.broken: dict[str, Response] = {}

    def serve(self) -> None:
        self.server.clear()
        for kind, path in self.PATHS.items():
            response = self.broken.get(kind) or Response(
                json.dumps(self.payloads[kind]), content_type="application/json"
            )
            self.server.expect_request(path).respond_with_response(response)


@pytest.fixture
def hook():
    # A server of its own: the boards' server is cleared between rounds.
    server = HTTPServer(host="127.0.0.1", port=free_port())
    server.start()
    yield Hook(server)
    server.stop()


@pytest.fixture
def world(tmp_path, httpserver, hook, smtp_server, database_url):
    sink, smtp_port = smtp_server
    base = f"http://127.0.0.1:{httpserver.port}"
    config = tmp_path / "alerts.toml"
    config.write_text(
        f"""
[database]
url = "{database_url}"

[sources.greenhouse]
base_url = "{base}/gh"
[sources.lever]
base_url = "{base}/lever"
[sources.ashby]
base_url = "{base}/ashby"

[channels.hook]
url = "json://127.0.0.1:{hook.server.port}/hook"

[channels.mail]
url = "mailto://127.0.0.1:{smtp_port}/?from=alerts@example.com&to=me@example.com"

[[subscriptions]]
name = "everything"
boards = ["greenhouse:vercel", "lever:spotify", "ashby:linear"]
channels = ["hook", "mail"]

[[subscriptions]]
name = "engineering"
boards = ["lever:spotify", "ashby:linear"]
title = ["engineer"]
channels = ["hook"]
"""
    )
    boards = Boards(httpserver)
    return boards, hook, sink, config


def test_scenario(world):
    boards, hook, sink, config = world

    # 1. Baseline: everything is stored, nothing is announced.
    boards.serve()
    run_once(config)
    assert hook.take() == [] and sink.messages == []

    # 2. A new Greenhouse posting: announced once per channel, even though
    #    the hook channel gets it from one subscription only.
    new_job = copy.deepcopy(boards.payloads["greenhouse"]["jobs"][0])
    new_job.update(id=7777001, title="Platform Engineer", absolute_url="https://example.com/jobs/7777001")
    boards.payloads["greenhouse"]["jobs"].append(new_job)
    boards.serve()
    run_once(config)
    (message,) = hook.take()
    assert "Platform Engineer" in message and "https://example.com/jobs/7777001" in message
    (mail,) = sink.messages
    assert "Platform Engineer" in mail["Subject"] + mail.as_string()
    sink.messages.clear()

    # 3. A Lever posting is retitled while the webhook is down: the email
    #    arrives, the webhook delivery stays queued.
    lever_job = boards.payloads["lever"][0]
    old_title = lever_job["text"]
    lever_job["text"] = "Senior Android Engineer - Experience"
    boards.serve()
    hook.down = True
    run_once(config)
    assert hook.take() == []
    (mail,) = sink.messages
    body = mail.as_string()
    sink.messages.clear()
    assert "Senior Android Engineer" in body

    # 4. An Ashby posting disappears: one miss is not a close. The webhook is
    #    back and receives the queued update, exactly once, with both titles.
    removed = boards.payloads["ashby"]["jobs"].pop(0)
    boards.serve()
    hook.down = False
    run_once(config)
    (message,) = hook.take()
    assert old_title in message and "Senior Android Engineer - Experience" in message
    assert "closed" not in message.lower()
    assert sink.messages == []

    # 5. Missing again: now it is closed, and both channels hear about it.
    run_once(config)
    (message,) = hook.take()
    assert removed["title"].strip() in message and "closed" in message.lower()
    assert len(sink.messages) == 1
    sink.messages.clear()

    # 6. Every board fails, each in its own way: nothing is announced, the
    #    run names each board and exits 3 (issue 10, item 6; it was 0).
    boards.broken = {
        "greenhouse": Response("upstream error", status=500),
        "lever": Response('[{"id": "2193db3f", "text": "Andr', content_type="application/json"),
        "ashby": Response("<html><body>Maintenance</body></html>", content_type="text/html"),
    }
    boards.serve()
    result = run_once(config, code=3)
    assert hook.take() == [] and sink.messages == []
    for key in ("greenhouse:vercel", "lever:spotify", "ashby:linear"):
        assert key in result.stderr
    assert "3 boards polled (3 failed)" in result.stdout

    # 7. The boards recover and the closed Ashby posting is back: reopened.
    #    Nothing else changed, so nothing else is announced (no false
    #    "opened" for what the failed round could not see). The failing boards
    #    wait out their back-off under --once; --all polls them now (issue 10, item 7).
    boards.broken = {}
    boards.payloads["ashby"]["jobs"].insert(0, removed)
    boards.serve()
    run_once(config, "--all")
    (message,) = hook.take()
    assert removed["title"].strip() in message and "reopen" in message.lower()
    assert len(sink.messages) == 1
    sink.messages.clear()

    # 8. An unchanged round sends nothing at all.
    run_once(config)
    assert hook.take() == [] and sink.messages == []
