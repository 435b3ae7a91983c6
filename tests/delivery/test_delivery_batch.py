"""A delivery pass over many channels at once: its SQL statements come per
wave of sends, never per channel or per event; a lease lost mid-pass stops
that channel only; a crash leaves only the parts in flight unconfirmed."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from alerts.delivery import waves as deliver_wave
from alerts.notify.send import SendResult
from alerts.store.tables import deliveries

from delivery_support import World, job
from store_support import claim


def fake_sender(calls: list[str]):
    lock = threading.Lock()

    def sender(url, message, **kwargs):
        with lock:
            calls.append(url)
        return SendResult("sent", "")

    return sender


@contextmanager
def counting(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def channels(prefix: str, count: int, urls: int = 1) -> str:
    def url(i: int, u: int) -> str:
        return f'"json://127.0.0.1:9/{prefix}{i}/{u}"'

    return "".join(
        f"[channels.{prefix}{i}]\nurls = [{', '.join(url(i, u) for u in range(urls))}]\n"
        for i in range(count)
    )


def statements_of_a_pass(tmp_path: Path, database_url: str, prefix: str, count: int, events: int) -> int:
    """A fresh world of `count` channels, each owed `events` events: one pass's statements."""
    folder = tmp_path / prefix
    folder.mkdir()
    world = World(folder, database_url, channels(prefix, count))
    try:
        world.queue(*(job(str(k), f"Engineer {k}", board=prefix) for k in range(events)))
        calls: list[str] = []
        deliverer = world.deliverer(sender=fake_sender(calls))
        with counting(world.store.engine) as seen:
            results = asyncio.run(deliverer.deliver())
        assert sum(r.sent for r in results) == count * events and len(calls) == count
        assert world.store.outbox.pending_count() == 0
        return len(seen)
    finally:
        world.store.close()


def test_a_pass_costs_the_same_statements_for_2_or_12_channels_and_1_or_8_events(
    tmp_path, database_url, monkeypatch
):
    monkeypatch.setattr(deliver_wave, "SEND_CONCURRENCY", 12)  # one wave either way
    few = statements_of_a_pass(tmp_path, database_url, "a", 2, 1)
    many = statements_of_a_pass(tmp_path, database_url, "b", 12, 8)
    assert few == many
    assert many < 30  # claim, settle, load, one wave (mark, record), release


def test_more_channels_than_sends_in_flight_cost_a_few_statements_per_wave(
    tmp_path, database_url, monkeypatch
):
    monkeypatch.setattr(deliver_wave, "SEND_CONCURRENCY", 4)
    one, two, three = (
        statements_of_a_pass(tmp_path, database_url, prefix, waves * 4, 3)
        for prefix, waves in (("a", 1), ("b", 2), ("c", 3))
    )
    # Each further wave (renew leases, mark sending, record) costs the same.
    assert three - two == two - one
    assert two - one < 10


def test_a_lease_lost_mid_pass_stops_that_channel_and_no_other(make_world):
    world = make_world(channels("c", 2, urls=2))
    world.queue(job("1"))
    calls: list[str] = []
    record = fake_sender(calls)

    def sender(url, message, **kwargs):
        if not calls:
            # Another process takes c0 (say this one stalled past its lease).
            later = world.clock() + timedelta(minutes=6)
            assert claim(world.store, "other-process", "channel:c0", later, timedelta(minutes=5))
        return record(url, message, **kwargs)

    results = asyncio.run(world.deliverer(sender=sender).deliver())
    # Both first URLs went out in the first wave; only c1 sent its second.
    assert sorted(calls) == sorted(
        ["json://127.0.0.1:9/c0/0", "json://127.0.0.1:9/c1/0", "json://127.0.0.1:9/c1/1"]
    )
    assert [(r.channel, r.sent) for r in results] == [("c0", 1), ("c1", 2)]  # rows, per URL
    assert world.counts() == {("c0", "pending"): 1, ("c1", "sent"): 1}

    # Once the other process's lease has run out, c0's second URL gets it.
    world.clock.advance(minutes=12)
    calls.clear()
    asyncio.run(world.deliverer(sender=record).deliver())
    assert calls == ["json://127.0.0.1:9/c0/1"]
    assert world.counts() == {("c0", "sent"): 1, ("c1", "sent"): 1}


def test_a_crash_mid_pass_leaves_only_the_parts_in_flight_unconfirmed(make_world, monkeypatch):
    monkeypatch.setattr(deliver_wave, "SEND_CONCURRENCY", 1)  # one channel per wave
    world = make_world(channels("c", 3))
    world.queue(job("1"), job("2"))
    calls: list[str] = []
    record = fake_sender(calls)

    def die_on_the_second(url, message, **kwargs):
        outcome = record(url, message, **kwargs)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the message is out; the process dies before recording it
        return outcome

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(world.deliverer(sender=die_on_the_second).deliver())
    with world.store.engine.connect() as conn:
        marks = dict(
            conn.execute(
                sa.select(deliveries.c.channel, sa.func.count(deliveries.c.sending_target)).group_by(
                    deliveries.c.channel
                )
            ).all()
        )
    assert marks == {"c0": 0, "c1": 2, "c2": 0}  # c2 was never marked: it had not started
    assert world.counts() == {("c0", "sent"): 2, ("c1", "pending"): 2, ("c2", "pending"): 2}

    world.clock.advance(minutes=10)
    calls.clear()
    asyncio.run(world.deliverer(sender=record).deliver())
    assert calls == ["json://127.0.0.1:9/c2/0"]  # c1's are settled as unconfirmed, not resent
    assert world.counts() == {("c0", "sent"): 2, ("c1", "sent"): 2, ("c2", "sent"): 2}
    assert world.store.channels.channel_states()["c1"].unconfirmed == 2


def test_digest_and_instant_channels_in_one_pass(make_world):
    daily = '\ndigest = "daily"\ntimezone = "UTC"\n'
    world = make_world(channels("now", 1) + channels("daily", 2).replace("\n[", daily + "[") + daily)
    calls: list[str] = []
    deliverer = world.deliverer(sender=fake_sender(calls))
    world.queue(job("1"))
    # Monday 08:00 UTC, first sight: the digests' schedules start now, so only
    # the instant channel sends.
    results = asyncio.run(deliverer.deliver())
    assert [(r.channel, r.sent) for r in results] == [("now0", 1)]
    assert calls == ["json://127.0.0.1:9/now0/0"]
    world.clock.advance(hours=23, minutes=59)
    assert asyncio.run(deliverer.deliver()) == []
    world.clock.advance(minutes=1)  # Tuesday 08:00: both digests are due
    assert [(r.channel, r.sent) for r in asyncio.run(deliverer.deliver())] == [("daily0", 1), ("daily1", 1)]
    assert world.counts() == {("daily0", "sent"): 1, ("daily1", "sent"): 1, ("now0", "sent"): 1}


def test_a_database_error_in_one_channels_bookkeeping_stops_only_that_channel(make_world, monkeypatch):
    world = make_world(channels("c", 3))
    world.queue(job("1"))
    calls: list[str] = []
    record = fake_sender(calls)

    def c0_is_down(url, message, **kwargs):
        outcome = record(url, message, **kwargs)
        return SendResult("failed", "HTTP 500") if "/c0/" in url else outcome

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("UPDATE deliveries", {}, Exception("database is locked"))

    with monkeypatch.context() as patch:
        patch.setattr(world.store.sends, "mark_failed", broken)
        results = asyncio.run(world.deliverer(sender=c0_is_down).deliver())
    outcome = {r.channel: (r.sent, r.errors) for r in results}
    assert outcome["c1"] == (1, []) and outcome["c2"] == (1, [])
    assert outcome["c0"][0] == 0 and "internal error: OperationalError" in outcome["c0"][1]
    # c0's failure was not recorded, so its row is neither marked nor
    # settled as sent: the next pass tries it again.
    assert world.counts() == {("c0", "pending"): 1, ("c1", "sent"): 1, ("c2", "sent"): 1}
    calls.clear()
    asyncio.run(world.deliverer(sender=record).deliver())
    assert calls == ["json://127.0.0.1:9/c0/0"]
    assert world.store.channels.channel_states()["c0"].unconfirmed == 0


def test_a_slow_send_keeps_its_slot_while_the_other_channels_go_on(make_world, monkeypatch):
    monkeypatch.setattr(deliver_wave, "SEND_CONCURRENCY", 2)
    monkeypatch.setattr(deliver_wave, "WAVE_WAIT_SECONDS", 0.05)
    world = make_world(channels("c", 3, urls=2))
    world.queue(job("1"))
    lock = threading.Lock()
    log: list[tuple[str, str]] = []  # (event, url), in order

    def sender(url, message, **kwargs):
        with lock:
            log.append(("start", url))
        if url.endswith("/c0/0"):
            time.sleep(0.5)  # a service that takes its time to answer
        with lock:
            log.append(("end", url))
        return SendResult("sent", "")

    results = asyncio.run(world.deliverer(sender=sender).deliver())
    started = [url for what, url in log if what == "start"]
    assert sorted(started) == sorted(f"json://127.0.0.1:9/c{c}/{u}" for c in range(3) for u in range(2))
    # Each channel's URLs in order, one at a time...
    for c in range(3):
        first, second = f"json://127.0.0.1:9/c{c}/0", f"json://127.0.0.1:9/c{c}/1"
        assert log.index(("end", first)) < log.index(("start", second))
    # ...and the others did not wait for the slow one.
    slow_end = log.index(("end", "json://127.0.0.1:9/c0/0"))
    assert all(log.index(("end", f"json://127.0.0.1:9/c{c}/1")) < slow_end for c in (1, 2))
    assert sorted((r.channel, r.sent) for r in results) == [("c0", 2), ("c1", 2), ("c2", 2)]
    assert world.counts() == {("c0", "sent"): 1, ("c1", "sent"): 1, ("c2", "sent"): 1}
