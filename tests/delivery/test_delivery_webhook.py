"""json:// to a real local HTTP server: outages, retries, back-off, dead
deliveries, timeouts and a crash between sending and recording."""

from __future__ import annotations

import functools
import threading
import time
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.backoff import DELIVERY_RETRY
from alerts.cli.report_delivery import delivery_lines
from alerts.delivery.channel_run import retry_delay
from alerts.notify.send import send

from delivery_support import job
from store_support import claim
from support import Hook


def hook_channel(hook: Hook, extra: str = "") -> str:
    return f'[channels.hook]\nurl = "{hook.url}"\n{extra}'


def test_a_webhook_that_is_down_for_a_while_gets_each_event_exactly_once(make_world, hook):
    world = make_world(hook_channel(hook))
    world.queue(job("1", "Platform Engineer"), job("2", "Data Engineer"))
    deliverer = world.deliverer()
    hook.failing = 3

    first = deliverer.deliver_channel("hook")
    assert first.sent == 0 and "500" in first.errors[0]
    assert world.counts() == {("hook", "failed"): 2}
    # Back-off: trying again at once sends nothing and does not knock.
    assert deliverer.deliver_channel("hook") is None
    assert hook.hits == 1

    # The first retry comes within a minute; later ones wait longer.
    waits = [timedelta(seconds=60), timedelta(seconds=75), timedelta(seconds=150)]
    for wait in waits:
        world.clock.now += wait
        deliverer.deliver_channel("hook")
    assert hook.hits == 4
    assert world.counts() == {("hook", "sent"): 2}
    (message,) = hook.received
    assert "Platform Engineer" in message["message"] and "Data Engineer" in message["message"]

    # Nothing is ever sent again: not on the next pass, not after a restart.
    world.clock.advance(hours=12)
    assert world.deliverer().deliver_channel("hook") is None
    assert len(hook.received) == 1


def test_retry_delay_starts_within_a_minute_and_grows_to_hours_with_jitter():
    assert retry_delay(1) <= timedelta(seconds=36)
    assert timedelta(hours=1) < retry_delay(9) <= DELIVERY_RETRY.cap * 1.2
    assert retry_delay(30) <= DELIVERY_RETRY.cap * 1.2
    assert len({retry_delay(3) for _ in range(20)}) > 1  # jittered


def test_a_delivery_is_dead_after_max_attempts_and_stays_visible(make_world, hook):
    world = make_world(hook_channel(hook, "max_attempts = 3\n"))
    world.queue(job("1", "Platform Engineer"))
    deliverer = world.deliverer()
    hook.failing = 1000
    for _ in range(5):
        deliverer.deliver_channel("hook")
        world.clock.advance(hours=7)
    assert hook.hits == 3  # gave up after the third attempt
    assert world.counts() == {("hook", "dead"): 1}
    lines = "\n".join(delivery_lines(world.config, world.store, world.clock()))
    assert "1 gave up" in lines and "alerts retry --dead --channel hook" in lines and "500" in lines

    # Requeued, it goes at the next pass, once the hook is back.
    hook.failing = 0
    assert world.store.channels.requeue(world.clock(), dead=True) == 1
    deliverer.deliver_channel("hook")
    assert len(hook.received) == 1 and world.counts() == {("hook", "sent"): 1}


def test_run_once_retries_at_once_without_using_up_attempts(make_world, hook):
    world = make_world(hook_channel(hook, "max_attempts = 2\n"))
    world.queue(job("1"))
    hook.failing = 1000
    deliverer = world.deliverer()
    for _ in range(5):  # a cron job running `alerts run --once` every few minutes
        deliverer.deliver_channel("hook", ignore_backoff=True)
        world.clock.advance(seconds=5)
    assert hook.hits == 5
    assert world.counts() == {("hook", "failed"): 1}  # only the first try counted
    world.clock.advance(minutes=5)  # its back-off is over: this try counts
    deliverer.deliver_channel("hook", ignore_backoff=True)
    assert world.counts() == {("hook", "dead"): 1}


def test_a_delivery_failing_for_longer_than_retry_for_is_dead(make_world, hook):
    world = make_world(hook_channel(hook, 'retry_for = "1h"\n'))
    world.queue(job("1"))
    hook.failing = 1000
    deliverer = world.deliverer()
    deliverer.deliver_channel("hook")
    world.clock.advance(minutes=30)
    deliverer.deliver_channel("hook")
    assert world.counts() == {("hook", "failed"): 1}
    world.clock.advance(minutes=31)
    result = deliverer.deliver_channel("hook")
    assert result.dead == 1 and world.counts() == {("hook", "dead"): 1}


def test_each_url_of_a_channel_gets_each_event_once(make_world, httpserver: HTTPServer):
    good = Hook(httpserver)
    flaky = Hook(httpserver, path="/flaky")
    world = make_world(f'[channels.both]\nurls = ["{good.url}", "{flaky.url}"]\n')
    world.queue(job("1", "Platform Engineer"))
    flaky.failing = 1
    deliverer = world.deliverer()
    deliverer.deliver_channel("both")
    assert len(good.received) == 1 and flaky.received == []
    assert world.counts() == {("both", "failed"): 1}
    world.clock.advance(minutes=1)
    deliverer.deliver_channel("both")
    assert len(good.received) == 1 and len(flaky.received) == 1
    assert world.counts() == {("both", "sent"): 1}


@pytest.fixture
def slow_hook(httpserver: HTTPServer):
    release = threading.Event()
    received = []

    def slow(request: Request) -> Response:
        release.wait(5)
        received.append(request.data)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    yield f"json://127.0.0.1:{httpserver.port}/slow", received
    release.set()
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)


def test_no_answer_in_time_counts_as_sent_unconfirmed(make_world, slow_hook):
    url, received = slow_hook
    world = make_world(f'[channels.slow]\nurl = "{url}"\n')
    world.queue(job("1"))
    deliverer = world.deliverer(sender=functools.partial(send, timeout=0.5))
    result = deliverer.deliver_channel("slow")
    assert result.sent == 1 and result.unconfirmed == 1 and not result.errors
    assert world.counts() == {("slow", "sent"): 1}
    # Not sent again by itself...
    world.clock.advance(hours=1)
    assert deliverer.deliver_channel("slow") is None
    # ...but shown, and `alerts retry --unconfirmed` would send it again.
    lines = "\n".join(delivery_lines(world.config, world.store, world.clock()))
    assert "1 sent without confirmation" in lines
    assert world.store.channels.requeue(world.clock(), unconfirmed=True) == 1
    assert world.counts() == {("slow", "failed"): 1}


def test_a_crash_between_sending_and_recording_never_sends_twice(make_world, hook):
    world = make_world(hook_channel(hook))
    world.queue(job("1", "Platform Engineer"))

    def send_then_die(*args, **kwargs):
        send(*args, **kwargs)  # the message is out...
        raise KeyboardInterrupt  # ...and the process is killed before it records that

    with pytest.raises(KeyboardInterrupt):
        world.deliverer(sender=send_then_die).deliver_channel("hook")
    assert len(hook.received) == 1

    # The next process to hold the channel (after the dead one's lease ran
    # out) finds the row marked "sending": it counts it as sent, unconfirmed.
    world.clock.advance(minutes=10)
    result = world.deliverer().deliver_channel("hook")
    assert result is None or result.sent == 0
    assert len(hook.received) == 1
    assert world.counts() == {("hook", "sent"): 1}
    assert world.store.channels.channel_states()["hook"].unconfirmed == 1


def test_another_process_holding_the_channel_is_left_alone(make_world, hook):
    world = make_world(hook_channel(hook))
    world.queue(job("1"))
    assert claim(world.store, "other-process", "channel:hook", world.clock(), timedelta(minutes=5))
    assert world.deliverer().deliver_channel("hook") is None
    assert hook.hits == 0
    world.clock.advance(minutes=6)  # its lease ran out: it is presumed dead
    world.deliverer().deliver_channel("hook")
    assert len(hook.received) == 1
