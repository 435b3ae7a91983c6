"""One cycle start to finish: plan, fetch, reconcile, match, outbox, deliver."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import httpx

from alerts.config import Config
from alerts.errors import SourceError
from alerts.filters import route
from alerts.model import BoardRef, Event
from alerts.digest import digest_due
from alerts.notify.render import render_message
from alerts.notify.send import native_format, send, service_of
from alerts.sources import fetch_board
from alerts.store import Store

log = logging.getLogger("alerts")

Clock = Callable[[], datetime]
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=6)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class BoardResult:
    board: BoardRef
    events: list[Event] = field(default_factory=list)
    postings: int = 0
    error: SourceError | None = None


@dataclass
class DeliveryResult:
    channel: str
    sent: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class CycleReport:
    boards: list[BoardResult] = field(default_factory=list)
    deliveries: list[DeliveryResult] = field(default_factory=list)

    def summary(self) -> str:
        failed = [b for b in self.boards if b.error]
        kinds = Counter(e.kind for b in self.boards for e in b.events)
        events = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "no events"
        sent = sum(d.sent for d in self.deliveries)
        undelivered = sum(1 for d in self.deliveries if d.errors)
        text = f"{len(self.boards)} boards polled ({len(failed)} failed), {events}, {sent} deliveries sent"
        return text + (f", {undelivered} channels failing" if undelivered else "")


def target_id(url: str) -> str:
    """A stable fingerprint of one channel URL, stored instead of the URL (which may hold secrets)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def retry_delay(attempts: int) -> timedelta:
    """Back-off before the next try: 30 s, 1 m, 2 m, ... capped at 6 h, with jitter."""
    delay = min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)
    return delay * random.uniform(0.8, 1.2)


class Cycle:
    """Ties config, store and the HTTP client together; one per process."""

    def __init__(self, config: Config, store: Store, client: httpx.AsyncClient, clock: Clock = utcnow):
        self.config = config
        self.store = store
        self.client = client
        self.clock = clock
        self._deliver_lock = asyncio.Lock()

    async def prepare(self) -> None:
        await asyncio.to_thread(self.store.upgrade)
        await asyncio.to_thread(self.store.sync_boards, self.config.boards().values(), self.clock())

    async def run_once(self) -> CycleReport:
        """Poll every board now, reconcile, then deliver every pending message."""
        report = CycleReport()
        report.boards = await self.poll(self.config.boards().values())
        report.deliveries = await self.deliver(ignore_backoff=True)
        log.info("cycle: %s", report.summary())
        return report

    async def poll(self, refs: Iterable[BoardRef]) -> list[BoardResult]:
        return list(await asyncio.gather(*(self.poll_board(ref) for ref in refs)))

    async def poll_board(self, ref: BoardRef) -> BoardResult:
        result = BoardResult(ref)
        try:
            snapshot = await fetch_board(self.client, ref, self.config.base_url(ref.source))
        except SourceError as exc:
            result.error = exc
            failures = await asyncio.to_thread(self.store.record_failure, ref, exc, self.clock())
            log.warning("%s (failure %d in a row; stored state kept)", exc, failures)
            return result
        result.postings = len(snapshot)
        subs = self.config.subscriptions
        result.events = await asyncio.to_thread(
            self.store.apply_snapshot,
            ref,
            snapshot,
            close_after_misses=self.config.polling.close_after_misses,
            now=self.clock(),
            route=lambda event, baseline: route(subs, event, ref.key, baseline=baseline),
        )
        log.info("%s: %d postings, %d events", ref.key, len(snapshot), len(result.events))
        return result

    async def deliver(self, *, ignore_backoff: bool = False) -> list[DeliveryResult]:
        # One delivery pass at a time per process: two passes would send the same rows twice.
        async with self._deliver_lock:
            names = [n for n in await asyncio.to_thread(self.store.pending_channels) if n in self.config.channels]
            results = await asyncio.gather(
                *(asyncio.to_thread(self._deliver_channel, name, ignore_backoff) for name in names)
            )
        return [r for r in results if r is not None]

    def _deliver_channel(self, name: str, ignore_backoff: bool) -> DeliveryResult | None:
        channel = self.config.channels[name]
        now = self.clock()
        if channel.digest:
            if not digest_due(self.store, name, channel.digest, channel.timezone, now):
                return None
            ignore_backoff = False
        queued = self.store.queued(name, None if ignore_backoff else now)
        if not queued:
            if channel.digest:  # an empty digest sends nothing but still closes its period
                self.store.set_last_digest(name, now)
            return None
        result = DeliveryResult(name)
        targets = {target_id(url): url for url in channel.targets}
        for fingerprint, url in targets.items():
            items = [q.pending for q in queued if fingerprint not in q.sent_targets]
            if not items:
                continue
            ids = [p.delivery_id for p in items]
            message = render_message(
                items,
                channel.format or native_format(url),
                template=self.config.template_path(name),
                service=service_of(url),
            )
            outcome = send(url, message, tag=f"ch-{name}")
            if outcome.status == "failed":
                attempts = max(p.attempts for p in items) + 1
                self.store.mark_failed(ids, outcome.detail, now + retry_delay(attempts))
                result.errors.append(outcome.detail)
                log.warning("channel %s: delivery failed, will retry: %s", name, outcome.detail)
                continue
            # A timeout means the service may well have the message: count it
            # as sent so that nobody is told twice (see README, "Delivery").
            if outcome.status == "unknown":
                log.warning("channel %s: no answer in time; counted as sent: %s", name, outcome.detail)
            self.store.mark_sent(ids, fingerprint, set(targets), now)
            result.sent += len(items)
        if channel.digest and not result.errors:
            self.store.set_last_digest(name, now)
        return result
