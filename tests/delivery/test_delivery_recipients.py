"""An email channel with several recipients (`to=a@x.org,b@y.org`) over a
real SMTP server (aiosmtpd) that refuses one of them: the recipient that took
the message never gets it again, however often the refused one is retried."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from alerts.config import parse_config

from delivery_support import SMTP_FROM, job
from support import free_port

GOOD, BAD, OTHER = "good@x.org", "bad@y.org", "other@z.org"


class PickySink:
    """Takes mail for every recipient but one, which it refuses at RCPT."""

    def __init__(self, refused: set[str]) -> None:
        self.refused = refused
        self.received: Counter[str] = Counter()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refused:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.received.update(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def picky() -> Any:
    from aiosmtpd.controller import Controller

    sink = PickySink({BAD})
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.mark.parametrize(
    "recipients",
    [f"to={GOOD},{BAD},{OTHER}", f"to={GOOD}%20{BAD}&cc={OTHER}", f"to={GOOD}&cc={BAD}&bcc={OTHER}"],
    ids=["to", "to and cc", "cc and bcc"],
)
def test_a_refused_recipient_never_makes_the_others_get_it_twice(sqlite_world, picky, recipients) -> None:
    sink, port = picky
    url = f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&{recipients}"
    world = sqlite_world(f'[channels.mail]\nurl = "{url}"\n')
    world.queue(job("1", "Billing Lead"))
    clock = world.clock
    deliverer = world.deliverer()
    first = deliverer.deliver_channel("mail")
    assert first is not None and first.errors  # the refused one is a failure, and kept
    # Which recipient refused it, as a hint (never the whole address).
    assert first.errors[0].startswith("to b…@y.org: ") and BAD not in first.errors[0]
    for _ in range(3):  # its retries
        clock.advance(hours=7)
        deliverer.deliver_channel("mail")
    assert sink.received == {GOOD: 1, OTHER: 1}


def test_each_recipient_of_an_email_url_is_a_target_of_its_own() -> None:
    text = (
        '[channels.mail]\nurl = "mailtos://user:pass@mail.example.com?to=a@x.org,b@y.org&from=me@x.org"\n'
        '[channels.one]\nurl = "mailto://user:pass@mail.example.com?to=a@x.org"\n'
        '[channels.path]\nurl = "mailto://user:pass@mail.example.com/a@x.org/b@y.org"\n'
        '[channels.hook]\nurl = "json://127.0.0.1:1/?to=a@x.org,b@y.org"\n'
    )
    config = parse_config(text, Path("alerts.toml"))
    mail = config.channels["mail"].targets
    assert len(mail) == 2 and all("from=me%40x.org" in t or "from=me@x.org" in t for t in mail)
    assert ["a@x.org" in mail[0], "b@y.org" in mail[1]] == [True, True]
    assert "b@y.org" not in mail[0] and "a@x.org" not in mail[1]
    # One recipient: the URL as written (its deliveries keep their state).
    assert config.channels["one"].targets == ["mailto://user:pass@mail.example.com?to=a@x.org"]
    assert len(config.channels["path"].targets) == 2
    assert config.channels["hook"].targets == ["json://127.0.0.1:1/?to=a@x.org,b@y.org"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (f"to={GOOD},{BAD},{OTHER}", f"to={GOOD},{OTHER}"),
        (f"to={GOOD},{BAD}", f"to={GOOD}"),
        (f"to=me+jobs@x.org,{BAD}", "to=me+jobs@x.org"),
    ],
    ids=["three to two", "two to one", "a plus address"],
)
def test_dropping_a_refused_recipient_sends_nobody_anything_twice_and_settles_the_row(
    sqlite_world, picky, before, after
) -> None:
    # The user's answer to a refused address: take it out of the channel.
    sink, port = picky
    base = f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&"
    world = sqlite_world(f'[channels.mail]\nurl = "{base}{before}"\n')
    world.queue(job("1", "Billing Lead"))
    first = world.deliverer().deliver_channel("mail")
    assert first is not None and first.errors
    world.config = parse_config(world.path.read_text().replace(before, after), world.path)
    for _ in range(2):
        world.clock.advance(hours=7)
        world.deliverer().deliver_channel("mail")
    assert all(count == 1 for count in sink.received.values()) and BAD not in sink.received
    assert world.counts().get(("mail", "pending"), 0) == 0
    assert world.counts().get(("mail", "sent"), 0) == 1


def test_a_recipient_with_a_display_name_is_one_recipient() -> None:
    url = "mailtos://user:pass@mail.example.com?to=Chris%20Caron%20<c@x.org>,b@y.org;Dana%20<d@z.org>"
    targets = parse_config(f'[channels.mail]\nurl = "{url}"\n', Path("alerts.toml")).channels["mail"].targets
    assert len(targets) == 3
    import apprise

    named = [apprise.Apprise.instantiate(target).targets for target in targets]
    assert named == [[("Chris Caron", "c@x.org")], [(False, "b@y.org")], [("Dana", "d@z.org")]]


def test_a_row_an_earlier_release_sent_to_the_whole_email_url_is_not_sent_to_its_recipients_again(
    sqlite_world, picky
) -> None:
    # Before one target per recipient, `to=a,b` was one target: a row it took
    # (while another URL of the channel failed) stays taken after the upgrade.
    import sqlalchemy as sa

    from alerts.delivery.deliverer import target_id
    from alerts.store.tables import deliveries

    sink, port = picky
    mail = f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&to={GOOD},{OTHER}"
    refused = f"json://127.0.0.1:{free_port()}/"
    world = sqlite_world(f'[channels.mail]\nurls = ["{mail}", "{refused}"]\n')
    world.queue(job("1", "Billing Lead"))
    with world.store.engine.begin() as conn:
        conn.execute(sa.update(deliveries).values(sent_targets=[target_id(mail)], status="failed"))
    world.deliverer().deliver_channel("mail")
    assert sink.received == {}
    # The failing URL taken out: the row is settled, still nobody mailed twice.
    world.config = parse_config(world.path.read_text().replace(f', "{refused}"', ""), world.path)
    world.clock.advance(hours=7)
    world.deliverer().deliver_channel("mail")
    assert sink.received == {}
    assert world.counts() == {("mail", "sent"): 1}


def test_a_digest_goes_once_to_each_recipient_and_a_refused_one_alone_after(sqlite_world, picky) -> None:
    import asyncio
    from datetime import UTC, datetime

    sink, port = picky
    url = f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&to={GOOD},{BAD}&cc={OTHER}"
    world = sqlite_world(f'[channels.mail]\nurl = "{url}"\ndigest = "0 8 * * *"\n')
    deliverer = world.deliverer()
    world.clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    asyncio.run(deliverer.deliver())  # first sight: the period starts
    world.queue(job("1", "Billing Lead"), job("2", "Payroll Lead"))
    world.clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    asyncio.run(deliverer.deliver())
    assert sink.received == {GOOD: 1, OTHER: 1}  # one digest each
    for hours in (1, 6, 12):  # the refused one's retries, between digests
        world.clock.now = datetime(2026, 11, 24, 8 + hours, 0, tzinfo=UTC)
        asyncio.run(deliverer.deliver())
    assert sink.received == {GOOD: 1, OTHER: 1}
    assert world.counts() == {("mail", "failed"): 2}
