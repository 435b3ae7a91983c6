"""Issue 11, bounds: a board that trickles its body or its headers fails
within `[polling] board_deadline`, and the other boards' events are
delivered in the same `run --once`."""

from __future__ import annotations

import socket
import threading
import time

from hardening_support import RawServer, greenhouse_body, greenhouse_job, http_head, respond, write_config
from support import alerts

DRIP_SECONDS = 0.5


def trickle_body(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """A complete, honest head, then the body one byte every half second."""
    conn.sendall(http_head(Content_Type="application/json", Content_Length=100_000))
    conn.sendall(b"[")
    while not stop.wait(DRIP_SECONDS):
        conn.sendall(b" ")


def slowloris_head(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """The status line, then a header that never ends, one byte every half second."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: ")
    while not stop.wait(DRIP_SECONDS):
        conn.sendall(b"a")


def test_trickling_boards_fail_within_the_deadline_and_the_others_deliver(tmp_path):
    healthy = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(healthy) as good, RawServer(trickle_body) as trickle, RawServer(slowloris_head) as loris:
        config = write_config(
            tmp_path,
            f"""
[polling]
board_deadline = "3s"
timeout = "2s"

[sources.greenhouse]
base_url = "{good.url}"
[sources.lever]
base_url = "{trickle.url}"
[sources.ashby]
base_url = "{loris.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme", "lever:trickle", "ashby:slowloris"]
channels = ["term"]
include_existing = true
""",
        )
        started = time.monotonic()
        result = alerts("run", "--once", "--config", str(config), timeout=15)
        took = time.monotonic() - started
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        assert took < 15
        assert trickle.requests and loris.requests, "the slow boards were never asked"
    # The healthy board's posting was delivered (printed) in this same run.
    assert "Platform Engineer" in result.stdout, output
    assert "3 boards polled (2 failed)" in result.stdout, output
    status = alerts("status", "--config", str(config))
    lines = {line.split()[0]: line for line in status.stdout.splitlines() if line.strip()}
    assert "failing" in lines["lever:trickle"], status.stdout
    assert "failing" in lines["ashby:slowloris"], status.stdout
    assert "ok" in lines["greenhouse:acme"], status.stdout
