"""One cycle start to finish: plan, fetch, reconcile, match, outbox, deliver."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
import socket
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from alerts import pacing
from alerts.config import Config
from alerts.delivery.deliverer import Clock, Deliverer, DeliveryResult, utcnow
from alerts.errors import SourceError
from alerts.filters import route
from alerts.model import BoardRef, Event
from alerts.sources import SOURCES, Client, FetchContext, Snapshot, Validators, fetch_board
from alerts.sources.masked import hidden, hidden_error
from alerts.store import DatabaseClock, FetchState, LeaseLost, Ops, Router, Store, store_reason
from alerts.store.unchanged import Unchanged

log = logging.getLogger("alerts")


@dataclass
class BoardResult:
    board: BoardRef
    events: list[Event] = field(default_factory=list)
    postings: int = 0
    error: SourceError | None = None
    not_modified: bool = False
    held: str | None = None  # why a sudden drop was held as suspect
    requests: int = 0


@dataclass
class CycleReport:
    boards: list[BoardResult] = field(default_factory=list)
    deliveries: list[DeliveryResult] = field(default_factory=list)
    # Failing boards left to wait out their back-off: when each is tried next.
    waiting: dict[str, datetime] = field(default_factory=dict)

    def summary(self) -> str:
        failed = [b for b in self.boards if b.error]
        kinds = Counter(e.kind for b in self.boards for e in b.events)
        events = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "no events"
        sent = sum(d.sent for d in self.deliveries)
        undelivered = sum(1 for d in self.deliveries if d.errors)
        text = f"{len(self.boards)} boards polled ({len(failed)} failed), {events}, {sent} deliveries sent"
        held = sum(1 for b in self.boards if b.held)
        unchanged = sum(1 for b in self.boards if b.not_modified)
        notes = [
            f"{unchanged} not modified" if unchanged else "",
            f"{len(self.waiting)} failing boards waiting out their back-off" if self.waiting else "",
            f"{held} held as suspect" if held else "",
            f"{undelivered} channels failing" if undelivered else "",
        ]
        return ", ".join([text, *filter(None, notes)])


class Cycle:
    """Ties config, store and the HTTP client together; one per process."""

    def __init__(
        self, config: Config, store: Store, client: Client, clock: Clock = utcnow, *, sole: bool = False
    ):
        self.config = config
        self.store = store
        self.client = client
        self.clock = clock
        # The database's time (store/clock.py) for leases and "sending" marks:
        # they are compared across processes, whatever this host's clock says.
        self.lease_clock = DatabaseClock(store.db, clock)
        # This process's name on the leases it holds.
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        # True when this is the only process on the database (it holds SQLite's
        # ProcessLock): leases left by a killed process are taken over at once.
        self.sole = sole
        self.deliverer = Deliverer(config, store, clock, owner=self.owner, lease_clock=self.lease_clock)

    def use_config(self, config: Config) -> None:
        """A reloaded config (SIGHUP) for every board and delivery from now on."""
        self.config = config
        self.deliverer.config = config

    async def prepare(self) -> None:
        await asyncio.to_thread(self.store.upgrade)
        await asyncio.to_thread(self.lease_clock.sync)
        if self.sole:
            await asyncio.to_thread(self.store.leases.take_over, self.owner)
        await asyncio.to_thread(self.store.boards.sync_boards, self.config.boards().values(), self.clock())

    async def run_once(self, *, every_board: bool = False) -> CycleReport:
        """Poll every board now, reconcile, then deliver every pending message.

        A failing board waits out its back-off (its next try is stored, and
        `alerts status` shows it) unless `every_board`. Boards another
        process is polling right now (PostgreSQL, several services) are left
        to it.
        """
        report = CycleReport()
        boards = self.config.boards()
        now = self.clock()
        claimed = await asyncio.to_thread(
            functools.partial(
                self.store.leases.claim_boards,
                self.owner,
                boards,
                self.lease_clock(),
                self.config.polling.lease,
                limit=len(boards),
                due_only=False,
                honour_backoff=not every_board,
            )
        )
        skipped = sorted(set(boards) - set(claimed))
        if skipped:
            report.waiting = await asyncio.to_thread(self.store.boards.backing_off, skipped, now)
        for key in skipped:
            if key in report.waiting:
                log.info(
                    "%s: failing; next try %s (run --once --all polls it now)",
                    key,
                    f"{report.waiting[key]:%Y-%m-%d %H:%M} UTC",
                )
            else:
                log.info("%s: another process is polling it now; skipped", key)
        try:
            report.boards = await self.poll([boards[key] for key in claimed])
        finally:
            await asyncio.to_thread(self.store.leases.release_all, self.owner)
        report.deliveries = await self.deliver(ignore_backoff=True)
        return report

    async def poll(self, refs: Iterable[BoardRef]) -> list[BoardResult]:
        refs = list(refs)
        states = await asyncio.to_thread(self._fetch_states, refs)
        limit = asyncio.Semaphore(self.config.polling.concurrency)
        unchanged: list[Unchanged] = []

        async def one(ref: BoardRef) -> BoardResult:
            async with limit:
                return await self.poll_board(
                    ref, owner=self.owner, state=states[ref.key], unchanged=unchanged
                )

        results = list(await asyncio.gather(*(one(ref) for ref in refs)))
        if unchanged:
            by_key = {result.board.key: result for result in results}
            noticed = [ref.key for ref, _, _ in unchanged if states[ref.key].failure_noticed]
            try:
                closed = await asyncio.to_thread(self._record_unchanged, unchanged, self.owner, noticed)
            except Exception as exc:
                # Nothing of theirs is written: they are polled again, as after a failure.
                log.exception("%d unchanged boards: could not record their poll", len(unchanged))
                for ref, _, _ in unchanged:
                    by_key[ref.key].error = SourceError(ref.key, f"304 not stored: {type(exc).__name__}")
            else:
                for key, events in closed.items():
                    by_key[key].events = events
        return results

    def _fetch_states(self, refs: list[BoardRef]) -> dict[str, FetchState]:
        names = {ref.key: name for ref in refs if (name := self.config.board_name(ref.key)) is not None}
        return self.store.boards.fetch_states([ref.key for ref in refs], names)

    def _record_unchanged(
        self, unchanged: list[Unchanged], owner: str | None, noticed: list[str]
    ) -> dict[str, list[Event]]:
        """304s in one transaction: boards healthy, misses counted, the `noticed` ones' recovery told."""
        return self.store.unchanged.record_many(
            unchanged,
            close_after_misses=self.config.polling.close_after_misses,
            route=self._router,
            owner=owner,
            ops=self._ops(),
            noticed=noticed,
            repost_window=self.config.alerts.repost_window,
        )

    def _ops(self) -> Ops | None:
        alerts = self.config.alerts
        return Ops(alerts.ops_channel, alerts.failure_threshold) if alerts.ops_channel else None

    def _router(self, key: str) -> Router:
        subs = self.config.subscriptions_on(key)
        return lambda event, baseline: route(subs, event, key, baseline=baseline)

    async def poll_board(
        self,
        ref: BoardRef,
        owner: str | None = None,
        state: FetchState | None = None,
        unchanged: list[Unchanged] | None = None,
    ) -> BoardResult:
        """Fetch one board and reconcile it; a failure only records itself.

        `owner` is the lease holder's name: the snapshot is only written while
        this process still holds the board. `state` saves a query when the
        caller read it already. A 304 is appended to `unchanged`, when given,
        for the caller to record with the others in one transaction.
        """
        result = BoardResult(ref)
        if state is None:
            states = await asyncio.to_thread(self._fetch_states, [ref])
            state = states[ref.key]
        interval = self.config.board_interval(ref.key)
        context = self._context(ref, state)
        try:
            snapshot = await fetch_board(
                self.client,
                ref,
                context,
                deadline_seconds=self.config.polling.board_deadline.total_seconds(),
                clock=self.clock,
            )
        except SourceError as raised:
            # Stored and shown (status, ops notices): never a ${VAR} of base_url.
            exc = result.error = hidden_error(raised)
            now = self.clock()
            failures = state.consecutive_failures + 1
            delay = pacing.after_failure(interval, failures, exc.retry_after)
            await asyncio.to_thread(self.store.boards.record_failure, ref, exc, now, now + delay, self._ops())
            log.warning("%s (failure %d in a row; stored state kept; next try in %s)", exc, failures, delay)
            return result
        result.requests = snapshot.requests
        snapshot = replace(snapshot, notes=tuple(map(hidden, snapshot.notes)))
        for note in snapshot.notes:
            log.warning("%s: %s", ref.key, note)
        now = self.clock()
        next_poll = pacing.next_poll(interval, self.config.polling.jitter, now)
        if snapshot.not_modified:
            result.not_modified = True
            log.info("%s: not modified", ref.key)
            if unchanged is not None:
                unchanged.append((ref, now, next_poll))
                return result
            noticed = [ref.key] if state.failure_noticed else []
            record = functools.partial(self._record_unchanged, [(ref, now, next_poll)], owner, noticed)
            try:
                result.events = (await asyncio.to_thread(record)).get(ref.key, [])
            except Exception as exc:
                log.exception("%s: the 304 could not be stored; the board is polled again", ref.key)
                result.error = SourceError(ref.key, f"304 not stored: {type(exc).__name__}")
            return result
        snapshot = self._named(ref, snapshot)
        result.postings = len(snapshot.postings)
        apply = functools.partial(
            self.store.snapshots.apply,
            ref,
            snapshot.postings,
            close_after_misses=self.config.polling.close_after_misses,
            now=now,
            route=self._router(ref.key),
            complete=snapshot.complete,
            waiting=snapshot.waiting,
            filled=snapshot.filled,
            incomplete=snapshot.incomplete_reason(context.since is not None),
            etag=snapshot.validators.etag,
            last_modified=snapshot.validators.last_modified,
            owner=owner,
            next_poll_at=next_poll,
            repost_window=self.config.alerts.repost_window,
            ops=self._ops(),
            rename=self.config.board_name(ref.key) if state.renamed else None,
        )
        try:
            applied = await asyncio.to_thread(apply)
        except LeaseLost as exc:
            log.warning("%s", exc)
            return result
        except Exception as exc:  # one board's database trouble must not end the cycle
            return await self._not_stored(result, state, interval, exc)
        result.events, result.held = applied.events, applied.held
        if applied.held:
            log.warning("%s: %s; held until the next poll confirms it", ref.key, applied.held)
        else:
            log.info(
                "%s: %d postings, %d events, %s",
                ref.key,
                result.postings,
                len(result.events),
                snapshot.cost,
            )
        return result

    async def _not_stored(
        self, result: BoardResult, state: FetchState, interval: timedelta, exc: Exception
    ) -> BoardResult:
        """The snapshot could not be written: the board fails like a fetch that failed (shown by
        `alerts status`, polled again after its back-off). One line in the log, without the SQL."""
        ref = result.board
        reason = store_reason(exc)
        result.error = SourceError(ref.key, f"snapshot not stored: {reason}", transient=True)
        log.debug("%s: the snapshot could not be stored", ref.key, exc_info=exc)
        now = self.clock()
        delay = pacing.after_failure(interval, state.consecutive_failures + 1, None)
        try:
            await asyncio.to_thread(
                self.store.boards.record_failure, ref, result.error, now, now + delay, self._ops()
            )
        except Exception as again:
            log.debug("%s: the failure could not be recorded either", ref.key, exc_info=again)
        log.warning("%s (stored state kept; next try in %s)", result.error, delay)
        return result

    def _named(self, ref: BoardRef, snapshot: Snapshot) -> Snapshot:
        """The config's `[boards."kind:token"] name`, as the company of every
        posting of the board: the one place it is applied."""
        name = self.config.board_name(ref.key)
        if name is None:
            return snapshot
        named = [p if p.company == name else replace(p, company=name) for p in snapshot.postings]
        return replace(snapshot, postings=named)

    def _context(self, ref: BoardRef, state: FetchState) -> FetchContext:
        settings = self.config.sources.get(ref.source)
        # Conditional requests only once a baseline exists: a 304 must never
        # stand in for a board's first snapshot, nor keep the postings of a
        # board the config renamed under their old company name.
        complete = not state.baselined or state.renamed
        validators = None if complete else Validators(state.etag, state.last_modified)
        return FetchContext(
            base_url=settings.base_url if settings else None,
            api_key=settings.api_key if settings else None,
            validators=validators,
            since=None
            if complete
            else pacing.incremental_since(SOURCES.get(ref.source), state, self.clock()),
            cache=self.store.cache.of_board(ref.key, self.clock),
        )

    async def deliver(self, *, ignore_backoff: bool = False) -> list[DeliveryResult]:
        return await self.deliverer.deliver(ignore_backoff=ignore_backoff)
