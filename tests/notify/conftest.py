from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import pytest

from alerts.model import Delivery, Event, Posting
from alerts.notify import sample_items

from support import free_port

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
def make_item() -> Callable[..., Delivery]:
    """A Delivery for one event; keyword arguments override Posting fields."""

    made = itertools.count(1)

    def make(kind: str = "opened", changes: dict | None = None, subs=("subs-a",), at=None, **posting):
        # Each item is its own posting unless the test names an external_id:
        # one posting's items are merged into one story (issue 10, item 5).
        number = next(made)
        base = replace(sample_items()[0].event.posting, external_id=f"item-{number}")
        p: Posting = replace(base, **posting)
        event = Event(kind, p.board_key, p.external_id, p, changes=changes or {}, occurred_at=at)
        return Delivery(id=number, channel="test", event=event, subscriptions=tuple(subs))

    return make


@pytest.fixture
def hostile_items(make_item: Callable[..., Delivery]) -> list[Delivery]:
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


@pytest.fixture
def unused_port() -> int:
    return free_port()
