"""One cycle start to finish: plan, fetch, reconcile, match, outbox, deliver."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx

from alerts.config import Config
from alerts.deliver import Clock, Deliverer, DeliveryResult, utcnow
from alerts.errors import SourceError
from alerts.filters import route
from alerts.model import BoardRef, Event
from alerts.sources import fetch_board
from alerts.store import Store

log = logging.getLogger("alerts")


@dataclass
class BoardResult:
    board: BoardRef
    events: list[Event] = field(default_factory=list)
    postings: int = 0
    error: SourceError | None = None


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


class Cycle:
    """Ties config, store and the HTTP client together; one per process."""

    def __init__(self, config: Config, store: Store, client: httpx.AsyncClient, clock: Clock = utcnow):
        self.config = config
        self.store = store
        self.client = client
        self.clock = clock
        self.deliverer = Deliverer(config, store, clock)

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
        return await self.deliverer.deliver(ignore_backoff=ignore_backoff)
