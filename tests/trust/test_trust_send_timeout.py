"""Issue 10, item 2: a service that takes the message and answers late got
it once, unconfirmed; it is never sent again. Connection refused stays a
plain failure, retried.

The channels name their timeouts: `timeout` (for the answer once the
request went out) and `connect_timeout` (config.example.toml).
Two more tests leave them out and shorten Apprise's own socket timeout in the
URL (`rto`, `cto`): however the fix settles the wait, one message arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from support import StandaloneHook, free_port, run_once
from trust_support import Board, lever_jobs, line_of, status

LATE_SECONDS = 3.0  # how long the services take to answer
SMTP_FROM, SMTP_TO = "alerts@example.com", "me@example.com"


def config_for(tmp_path: Path, server: HTTPServer, channel: str) -> Path:
    """One Lever board with one posting, announced at the first poll
    (include_existing): exactly one event for the channel `out`."""
    Board(server, "/lever/postings/spotify", lever_jobs(1))
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "alerts.db"}"

[sources.lever]
base_url = "http://127.0.0.1:{server.port}/lever"

[channels.out]
{channel}

[[subscriptions]]
name = "everything"
boards = ["lever:spotify"]
include_existing = true
channels = ["out"]
"""
    )
    return path


def queue(report: str) -> dict[str, int]:
    """The channel's row of `alerts status`: CHANNEL MODE PENDING FAILING DEAD SENT LAST SENT."""
    cells = line_of(report, "out ").split()
    assert cells[1] == "instant", report
    return dict(zip(("pending", "failing", "dead", "sent"), map(int, cells[2:6]), strict=True))


def test_a_late_webhook_gets_the_message_once_unconfirmed(
    tmp_path: Path, httpserver: HTTPServer, make_hook: Callable[..., StandaloneHook]
) -> None:
    hook = make_hook(delay=LATE_SECONDS)
    channel = f'url = "{hook.url}"\ntimeout = "1s"\nconnect_timeout = "1s"'
    config = config_for(tmp_path, httpserver, channel)
    for _ in range(3):
        run_once(config)
    assert len(hook.received) == 1, f"the webhook got {len(hook.received)} copies in 3 runs"
    report = status(config)
    assert "out: 1 sent without confirmation" in report, report
    assert queue(report) == {"pending": 0, "failing": 0, "dead": 0, "sent": 1}, report


def test_a_late_webhook_gets_the_message_once_with_apprises_own_timeout(
    tmp_path: Path, httpserver: HTTPServer, make_hook: Callable[..., StandaloneHook]
) -> None:
    hook = make_hook(delay=LATE_SECONDS)
    config = config_for(tmp_path, httpserver, f'url = "{hook.url}?rto=1"')
    for _ in range(3):
        run_once(config)
    assert len(hook.received) == 1, f"the webhook got {len(hook.received)} copies in 3 runs"
    report = status(config)
    assert queue(report) == {"pending": 0, "failing": 0, "dead": 0, "sent": 1}, report


class LateMailbox:
    """An SMTP server that stores each mail, then stalls before its "250"."""

    def __init__(self, stall: float):
        self.stall = stall
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        await asyncio.sleep(self.stall)
        return "250 OK"


@pytest.fixture
def late_mailbox() -> Iterator[tuple[LateMailbox, int]]:
    from aiosmtpd.controller import Controller

    box = LateMailbox(LATE_SECONDS)
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def test_a_late_mail_server_gets_the_message_once_unconfirmed(
    tmp_path: Path, httpserver: HTTPServer, late_mailbox: tuple[LateMailbox, int]
) -> None:
    box, port = late_mailbox
    url = f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&to={SMTP_TO}"
    config = config_for(tmp_path, httpserver, f'url = "{url}"\ntimeout = "1s"\nconnect_timeout = "1s"')
    for _ in range(3):
        run_once(config)
    assert len(box.messages) == 1, f"the mail server got {len(box.messages)} copies in 3 runs"
    report = status(config)
    assert "out: 1 sent without confirmation" in report, report
    assert queue(report) == {"pending": 0, "failing": 0, "dead": 0, "sent": 1}, report


def test_a_late_mail_server_gets_the_message_once_with_apprises_own_timeout(
    tmp_path: Path, httpserver: HTTPServer, late_mailbox: tuple[LateMailbox, int]
) -> None:
    box, port = late_mailbox
    url = f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&to={SMTP_TO}&cto=1"
    config = config_for(tmp_path, httpserver, f'url = "{url}"')
    for _ in range(3):
        run_once(config)
    assert len(box.messages) == 1, f"the mail server got {len(box.messages)} copies in 3 runs"
    report = status(config)
    assert queue(report) == {"pending": 0, "failing": 0, "dead": 0, "sent": 1}, report


def test_connection_refused_stays_a_plain_failure(tmp_path: Path, httpserver: HTTPServer) -> None:
    closed = free_port()  # nothing listens there
    channel = f'url = "json://127.0.0.1:{closed}/hook"\ntimeout = "1s"\nconnect_timeout = "1s"'
    config = config_for(tmp_path, httpserver, channel)
    for _ in range(2):
        run_once(config)
    report = status(config)
    # Failing and retried, never counted as sent.
    assert queue(report) == {"pending": 0, "failing": 1, "dead": 0, "sent": 0}, report
    assert "out: 1 failing" in report and "without confirmation" not in report, report
