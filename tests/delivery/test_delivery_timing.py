"""When messages go out: instant, digest schedules and quiet hours, all on an
injected clock (nothing here sleeps)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from alerts.config import ChannelConfig
from alerts.delivery.schedule import next_digest, quiet_until
from alerts.store import Store

from delivery_support import START, job

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(zone: ZoneInfo, *when: int) -> datetime:
    return datetime(*when, tzinfo=zone).astimezone(timezone.utc)


def test_an_instant_channel_gets_one_message_per_pass(sqlite_world, hook):
    world = sqlite_world(f'[channels.hook]\nurl = "{hook.url}"\n')
    world.queue(job("1", "Platform Engineer"), job("2", "Data Engineer"), job("3", "Designer"))
    results = asyncio.run(world.deliverer().deliver())
    assert [(r.channel, r.sent) for r in results] == [("hook", 3)]
    (message,) = hook.received
    assert message["title"] == "3 new: Acme"


def test_a_daily_digest_sends_once_when_its_schedule_fires(sqlite_world, hook):
    world = sqlite_world(
        f'[channels.daily]\nurl = "{hook.url}"\ndigest = "0 8 * * *"\ntimezone = "Europe/Berlin"\n'
    )
    deliverer = world.deliverer()
    world.clock.now = at(BERLIN, 2026, 11, 23, 9, 0)
    asyncio.run(deliverer.deliver())  # first sight: the schedule starts now
    world.clock.now = at(BERLIN, 2026, 11, 23, 10, 0)
    world.queue(job("1", "Platform Engineer"))
    world.clock.now = at(BERLIN, 2026, 11, 23, 18, 0)
    world.queue(job("2", "Data Engineer"))
    for when in [(2026, 11, 23, 23, 59), (2026, 11, 24, 7, 59)]:
        world.clock.now = at(BERLIN, *when)
        assert asyncio.run(deliverer.deliver()) == []
    assert hook.received == []

    world.clock.now = at(BERLIN, 2026, 11, 24, 8, 0)
    (result,) = asyncio.run(deliverer.deliver())
    assert result.sent == 2
    (digest,) = hook.received
    assert digest["title"] == "2 new: Acme"
    world.clock.advance(minutes=5)
    asyncio.run(deliverer.deliver())
    assert len(hook.received) == 1


def test_an_empty_digest_sends_nothing_and_the_next_event_waits_for_the_next_one(sqlite_world, hook):
    world = sqlite_world(f'[channels.daily]\nurl = "{hook.url}"\ndigest = "daily"\n')
    deliverer = world.deliverer()
    asyncio.run(deliverer.deliver())  # Monday 08:00 UTC: the schedule starts
    world.clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
    asyncio.run(deliverer.deliver())  # Tuesday's digest is empty: nothing sent
    assert hook.hits == 0
    world.clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    world.queue(job("1"))
    world.clock.advance(minutes=5)
    asyncio.run(deliverer.deliver())
    assert hook.hits == 0  # not due until Wednesday 08:00
    world.clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    asyncio.run(deliverer.deliver())
    assert len(hook.received) == 1


def test_a_digest_due_while_the_service_was_down_is_sent_once_when_it_is_back(make_world, hook, database_url):
    world = make_world(f'[channels.weekly]\nurl = "{hook.url}"\ndigest = "weekly"\n')
    asyncio.run(world.deliverer().deliver())  # Monday 08:00: the schedule starts
    world.clock.advance(hours=1)
    world.queue(job("1"), job("2"))
    world.store.close()

    # Down for three weeks: three firings missed. Back up, a new process:
    world.store = Store(database_url)
    world.clock.advance(days=21)
    results = asyncio.run(world.deliverer().deliver())
    assert [r.sent for r in results] == [2]
    asyncio.run(world.deliverer().deliver())
    assert len(hook.received) == 1
    # The missed firings are not made up: the next digest is next Monday.
    assert next_digest(world.store, "weekly", "weekly", "UTC", world.clock()) == datetime(
        2026, 12, 21, 8, 0, tzinfo=timezone.utc
    )


def test_a_failed_digest_is_retried_on_its_back_off_and_newer_events_wait(sqlite_world, hook):
    world = sqlite_world(f'[channels.daily]\nurl = "{hook.url}"\ndigest = "daily"\n')
    deliverer = world.deliverer()
    asyncio.run(deliverer.deliver())
    world.queue(job("1", "Platform Engineer"))
    world.clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
    hook.failing = 1
    asyncio.run(deliverer.deliver())
    world.clock.advance(seconds=10)
    world.queue(job("2", "Data Engineer"))  # after the cut: belongs to Wednesday's digest
    world.clock.advance(minutes=1)
    asyncio.run(deliverer.deliver())
    (retried,) = hook.received
    assert "Platform Engineer" in retried["message"] and "Data Engineer" not in retried["message"]
    world.clock.now = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    asyncio.run(deliverer.deliver())
    assert "Data Engineer" in hook.received[1]["message"]


def test_quiet_hours_hold_messages_until_the_window_ends(make_world, hook, database_url):
    world = make_world(
        f'[channels.night]\nurl = "{hook.url}"\nquiet_hours = "22:00-07:00"\ntimezone = "America/New_York"\n'
    )
    world.clock.now = at(NEW_YORK, 2026, 11, 23, 23, 30)
    world.queue(job("1", "Platform Engineer"))
    (held,) = asyncio.run(world.deliverer().deliver())
    assert held.sent == 0 and held.held == "quiet hours until 2026-11-24 12:00 UTC"
    world.clock.now = at(NEW_YORK, 2026, 11, 24, 3, 0)
    world.queue(job("2", "Data Engineer"))
    world.store.close()
    world.store = Store(database_url)  # a restart in the night changes nothing
    world.clock.now = at(NEW_YORK, 2026, 11, 24, 6, 59)
    asyncio.run(world.deliverer().deliver())
    assert hook.hits == 0

    world.clock.now = at(NEW_YORK, 2026, 11, 24, 7, 0)
    (result,) = asyncio.run(world.deliverer().deliver())
    assert result.sent == 2
    (message,) = hook.received
    assert message["title"] == "2 new: Acme"


@pytest.mark.parametrize(
    ("window", "local", "until"),
    [
        ("22:00-07:00", (2026, 11, 23, 21, 59), None),
        ("22:00-07:00", (2026, 11, 23, 22, 0), (2026, 11, 24, 7, 0)),
        ("22:00-07:00", (2026, 11, 24, 6, 59), (2026, 11, 24, 7, 0)),
        ("22:00-07:00", (2026, 11, 24, 7, 0), None),
        ("12:00-13:30", (2026, 11, 24, 12, 45), (2026, 11, 24, 13, 30)),
        ("12:00-13:30", (2026, 11, 24, 11, 0), None),
        ("09:00-09:00", (2026, 11, 24, 9, 0), None),  # empty, not all day
        # The night daylight saving starts: the window still ends at 07:00 local.
        ("22:00-07:00", (2026, 3, 28, 23, 0), (2026, 3, 29, 7, 0)),
    ],
)
def test_quiet_until(window, local, until):
    channel = ChannelConfig(url="console://", quiet_hours=window, timezone="Europe/Berlin")
    expected = at(BERLIN, *until) if until else None
    assert quiet_until(channel, at(BERLIN, *local)) == expected


def test_the_clock_starts_on_a_monday():
    assert START.weekday() == 0
