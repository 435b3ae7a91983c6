from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller

from alerts.model import Event, Pending, Posting
from alerts.notify import sample_items

HOSTILE_TITLE = (
    "<script>alert(1)</script> <!channel> <!here> <@U123> @everyone @here "
    "<@123> <@&456> [x](http://evil) *bold*"
)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    # Apprise URLs in the tests name 127.0.0.1; pytest-httpserver would
    # otherwise listen on "localhost", which may resolve to ::1 first.
    return ("127.0.0.1", 0)


@pytest.fixture
def make_item() -> Callable[..., Pending]:
    """A Pending for one event; keyword arguments override Posting fields."""

    def make(kind: str = "opened", changes: dict | None = None, subs=("subs-a",), **posting):
        base = sample_items()[0].event.posting
        p: Posting = replace(base, **posting)
        event = Event(kind, p.board, p.external_id, p, changes=changes or {})
        return Pending(delivery_id=1, channel="test", event=event, subscriptions=tuple(subs))

    return make


@pytest.fixture
def hostile_items(make_item: Callable[..., Pending]) -> list[Pending]:
    return [
        make_item(title=HOSTILE_TITLE, company="Evil <!channel> @everyone [y](http://evil)"),
        make_item(
            "updated",
            changes={"location": ["<b>Remote</b>", "@here [z](http://evil)"]},
            title="*bold* <@U999>",
            company="Evil <!channel> @everyone [y](http://evil)",
            url="javascript:alert(1)",
            apply_url=None,
        ),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    return free_port()


class Inbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(envelope.original_content or envelope.content)
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()  # aiosmtpd's Controller refuses port 0
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()
