"""The sends of a delivery pass, a wave at a time.

Channels send side by side in threads (Apprise is synchronous), each
channel one part at a time and each URL's parts in order. The bookkeeping
is per wave, not per part: one statement renews the leases of the channels
about to send (a channel whose lease was lost stops there) and of those whose lease is getting old, one marks
the wave's parts "sending" just before they go out, and one transaction
records what they did. Only parts
going out right now are marked, so a crash leaves at most the parts in
flight unconfirmed.

A wave waits WAVE_WAIT_SECONDS at most for its slowest send. A send still
running then (a service that does not answer) keeps its slot, and its
channel waits, while the next wave goes out beside it; it is recorded when
it ends.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from alerts.delivery.channel_run import Batch, ChannelRun, send_timeouts
from alerts.errors import AlertsError
from alerts.notify.compose import Part
from alerts.notify.send import SendResult
from alerts.store import SentPart, Store

log = logging.getLogger("alerts")
T = TypeVar("T")

# Parts in flight at once, each to a different channel: as many as Apprise's
# own worker pool runs at once (its default size). A send beyond that would
# wait in Apprise's queue with its timeout running, and one given up on
# there is a failure (it never left: send.py's StartGuard), retried later.
# (ThreadPoolExecutor's default, which counts usable CPUs from Python 3.13.)
SEND_CONCURRENCY = min(32, (getattr(os, "process_cpu_count", os.cpu_count)() or 1) + 4)
WAVE_WAIT_SECONDS = 2.0


def lease_name(channel: str) -> str:
    return f"channel:{channel}"


@dataclass(frozen=True)
class Flight:
    run: ChannelRun
    batch: Batch
    part: Part


class Waves:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        owner: str,
        lease: timedelta,
        sender: Callable[..., SendResult],
        lease_clock: Callable[[], datetime] | None = None,
    ):
        self.store, self.clock, self.owner, self.lease, self.sender = store, clock, owner, lease, sender
        # Leases and "sending" marks: the database's time when given (store/clock.py).
        self.lease_clock = lease_clock or clock
        # Channels still in the pass, and when their lease was last renewed.
        self._runs: dict[str, ChannelRun] = {}
        self._renewed: dict[str, datetime] = {}

    def run(self, runs: Iterable[ChannelRun], claimed_at: datetime) -> None:
        """Send every part of these channels, whose leases were claimed at `claimed_at`."""
        ready = deque(runs)
        if not ready:
            return
        self._runs = {run.name: run for run in ready}
        self._renewed = dict.fromkeys(self._runs, claimed_at)
        flights: dict[Future[SendResult], Flight] = {}
        with ThreadPoolExecutor(SEND_CONCURRENCY, thread_name_prefix="alerts-send") as pool:
            try:
                first = True
                while ready or flights:
                    wave = self._launch(pool, ready, flights, first=first)
                    first = False
                    if wave:
                        wait(wave, timeout=WAVE_WAIT_SECONDS)
                    elif flights:  # every slot is held by a slow send: the first to end frees one
                        wait(flights, return_when=FIRST_COMPLETED)
                    done = [future for future in flights if future.done()]
                    # result() re-raises what killed a send (KeyboardInterrupt): the
                    # parts in flight stay marked, as after a crash.
                    self._record([(flights.pop(future), future.result()) for future in done], ready)
            except Exception:
                self._land(flights)
                raise

    def _land(self, flights: dict[Future[SendResult], Flight]) -> None:
        """The pass is failing (the database, most likely): the sends still in
        flight finish and are recorded if the database lets us, so a failed
        one is retried rather than settled as sent-unconfirmed."""
        wait(flights)
        done = [(flight, future.result()) for future, flight in flights.items() if future.exception() is None]
        try:
            self._record(done, deque())
        except Exception:
            log.exception("the last sends of a failed delivery pass could not be recorded")

    def _launch(
        self,
        pool: ThreadPoolExecutor,
        ready: deque[ChannelRun],
        flights: dict[Future[SendResult], Flight],
        *,
        first: bool,
    ) -> list[Future[SendResult]]:
        starting: list[Flight] = []
        while ready and len(flights) + len(starting) < SEND_CONCURRENCY:
            run = ready.popleft()
            part = self._guarded(run, partial(run.next_part, self.store, self.clock()))
            if part is not None:
                starting.append(Flight(run, run.batch, part))
            else:
                self._drop(run)
        # Leases are renewed (or found lost) before anything goes out; those
        # of the first wave were claimed a moment ago, so only the ones that
        # got old meanwhile (composing a large pass takes a while) are.
        self._renew([flight.run.name for flight in starting], only_old=first)
        starting = [flight for flight in starting if not flight.run.stopped]
        if not starting:
            return []
        self.store.sends.mark_sending_many(
            [(f.batch.target, f.part.ids) for f in starting], self.lease_clock()
        )
        wave = []
        for flight in starting:
            future = pool.submit(self._send, flight)
            flights[future] = flight
            wave.append(future)
        return wave

    def _renew(self, sending: list[str], *, only_old: bool = False) -> None:
        """Renew the leases of the channels about to send (as each part once
        re-claimed its channel) and of any others in the pass whose lease is
        getting old; a channel whose lease another process took stops.
        `only_old`: the first wave's leases were claimed a moment ago."""
        now = self.lease_clock()
        old = [name for name, at in self._renewed.items() if now - at >= self.lease / 3]
        names = {*old} if only_old else {*sending, *old}
        if not names:
            return
        held = self.store.leases.renew(self.owner, [lease_name(name) for name in names], now, self.lease)
        for name in names:
            if lease_name(name) in held:
                self._renewed[name] = now
            elif name in self._runs:
                self._runs[name].stopped = True
                self._drop(self._runs[name])
                log.warning("channel %s: lease lost mid-pass; leaving the rest to its new holder", name)

    def _guarded(self, run: ChannelRun, step: Callable[[], T]) -> T | None:
        """One channel's own bookkeeping: if it fails (a database error), that
        channel stops for this pass and the others carry on."""
        try:
            return step()
        except AlertsError as exc:  # the database is busy, say: one line, no traceback
            log.warning("channel %s: delivery stopped for this pass: %s", run.name, exc)
            run.result.errors.append(str(exc))
            run.stopped = True
            return None
        except Exception as exc:
            log.exception("channel %s: delivery stopped for this pass", run.name)
            run.result.errors.append(f"internal error: {type(exc).__name__}")
            run.stopped = True
            return None

    def _drop(self, run: ChannelRun) -> None:
        """The channel is done with this pass (or stopped): no more renewals."""
        self._runs.pop(run.name, None)
        self._renewed.pop(run.name, None)

    def _send(self, flight: Flight) -> SendResult:
        name, channel = flight.run.name, flight.run.channel
        try:
            return self.sender(
                flight.batch.url,
                flight.part.message,
                tag=f"ch-{name}",
                text=flight.part.text,
                **send_timeouts(channel),
            )
        except Exception as exc:  # send() does not raise for delivery failures: a bug, before sending
            log.exception("channel %s: send failed", name)
            return SendResult("failed", f"internal error: {type(exc).__name__}")

    def _record(self, done: list[tuple[Flight, SendResult]], ready: deque[ChannelRun]) -> None:
        took = []
        for flight, outcome in done:
            run, ids = flight.run, flight.part.ids
            if outcome.status == "failed":
                # The parts not tried yet fail with it: the service is down,
                # and knocking again at every tick would not help.
                self._guarded(run, partial(run.fail, self.store, self.clock(), run.rest(), outcome.detail))
                if run.stopped:
                    # Its failure could not be recorded: retried next pass, not settled as sent.
                    self._guarded(run, partial(self.store.sends.unmark_sending, ids))
                run.next_url()
            else:
                doubt = (outcome.detail or "no answer in time") if outcome.status == "unknown" else None
                took.append(SentPart(ids, flight.batch.target, flight.batch.all_targets, doubt))
                run.result.sent += len(ids)
                run.advance()
                if doubt:
                    # Counted as sent so that nobody is told twice (README, "Delivery").
                    run.result.unconfirmed += len(ids)
                    log.warning("channel %s: %s; counted as sent, unconfirmed", run.name, doubt)
            if run.batches and not run.stopped:
                ready.append(run)
            else:
                self._drop(run)
        self.store.sends.record_sent(took, self.clock())
