"""The long-running service. APScheduler wakes each process; the database
decides the work: every tick claims the boards that are due and free, each
board runs as its own task (a slow board holds up nobody), and a delivery
pass follows. Signals: SIGTERM/SIGINT stop cleanly, SIGHUP reloads config.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from alerts.config import Config
from alerts.cycle import Cycle
from alerts.errors import AlertsError
from alerts.model import BoardRef
from alerts.service.metrics import Metrics
from alerts.service.web.app import WebApp
from alerts.service.web.http import HttpServer
from alerts.service.web.standalone import listen
from alerts.store import FetchState

log = logging.getLogger("alerts")

# Work in hand gets this long to finish after SIGTERM; what is left is
# cancelled and its leases handed back (nothing half-written: each board's
# write is one transaction).
SHUTDOWN_GRACE_SECONDS = 20
# APScheduler's default of 1 s would silently drop a tick delayed by a busy loop.
MISFIRE_GRACE_SECONDS = 60
HEALTH_DB_TIMEOUT_SECONDS = 5


class Service:
    def __init__(
        self,
        cycle: Cycle,
        *,
        reload: Callable[[], Config] | None = None,
        http: str | None = None,
    ):
        self.cycle = cycle
        self.reload = reload
        self.metrics = Metrics()
        self.http = http
        self.web: HttpServer | None = None
        self.web_app: WebApp | None = None
        self.stopping = asyncio.Event()
        self._boards: dict[str, asyncio.Task[Any]] = {}
        self._delivery: asyncio.Task[Any] | None = None
        self.scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS}
        )

    @property
    def config(self) -> Config:
        return self.cycle.config

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._request_stop, sig)
        loop.add_signal_handler(signal.SIGHUP, self._reload)
        await self.cycle.prepare()
        if self.http:
            app = self.web_app = WebApp(
                lambda: self.config,
                self.cycle.store,
                healthy=self._healthy,
                metrics=self._exposition,
                listen=self.http,
                clock=self.cycle.clock,
            )
            self.web = await listen(self.http, app)
            log.info("serving /, /feeds, /healthz and /metrics on http://%s:%d", self.web.host, self.web.port)
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.config.polling.tick.total_seconds()),
            id="tick",
            next_run_time=self.cycle.clock(),
        )
        self.scheduler.start()
        log.info(
            "running as %s: %d boards, %d channels",
            self.cycle.owner,
            len(self.config.boards()),
            len(self.config.channels),
        )
        try:
            await self.stopping.wait()
        finally:
            await self._shutdown()

    async def tick(self) -> None:
        """Claim what is due, start it, and start a delivery pass if none runs."""
        if self.stopping.is_set():
            return
        try:
            if self.cycle.lease_clock.due():
                await asyncio.to_thread(self.cycle.lease_clock.sync)
            await self._claim_and_start()
        except AlertsError as exc:
            log.error("tick: %s", exc)
        except Exception:  # the database went away, say: try again next tick
            log.exception("tick failed")
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.create_task(self._deliver())

    async def _claim_and_start(self) -> None:
        boards = self.config.boards()
        room = self.config.polling.concurrency - len(self._boards)
        candidates = [key for key in boards if key not in self._boards]
        claimed = await asyncio.to_thread(
            self.cycle.store.leases.claim_boards,
            self.cycle.owner,
            candidates,
            self.cycle.lease_clock(),
            self.config.polling.lease,
            limit=room,
        )
        states = await asyncio.to_thread(self.cycle.store.boards.fetch_states, claimed) if claimed else {}
        for key in claimed:
            self._boards[key] = asyncio.create_task(self._poll(boards[key], states.get(key)))

    async def _poll(self, ref: BoardRef, state: FetchState | None) -> None:
        started = time.monotonic()
        try:
            result = await self.cycle.poll_board(ref, owner=self.cycle.owner, state=state)
            self.metrics.board(result, time.monotonic() - started)
        except Exception:
            log.exception("%s: poll failed", ref.key)
        finally:
            self._boards.pop(ref.key, None)
            await asyncio.to_thread(self.cycle.store.leases.release_board, self.cycle.owner, ref.key)

    async def _deliver(self) -> None:
        started = time.monotonic()
        try:
            results = await self.cycle.deliver()
            self.metrics.delivered(results, time.monotonic() - started)
        except AlertsError as exc:  # the database is busy, say: the next tick tries again
            log.warning("delivery pass stopped: %s; trying again at the next tick", exc)
        except Exception:
            log.exception("delivery pass failed")

    async def _healthy(self) -> bool:
        if not self.scheduler.running or self.stopping.is_set():
            return False
        try:
            return await asyncio.wait_for(asyncio.to_thread(self.cycle.store.ping), HEALTH_DB_TIMEOUT_SECONDS)
        except Exception:
            return False

    async def _exposition(self) -> bytes:
        try:
            pending = await asyncio.to_thread(self.cycle.store.outbox.pending_count)
            self.metrics.pending.set(pending)
        except Exception:
            log.warning("metrics: cannot count the outbox")
        return self.metrics.exposition()

    def _reload(self) -> None:
        if self.reload is None:
            return
        try:
            config = self.reload()
        except AlertsError as exc:
            log.error("SIGHUP: config not reloaded, keeping the running one: %s", exc)
            return
        if config.database.url != self.config.database.url:
            log.warning("SIGHUP: a new database.url takes effect only after a restart")
            config = config.model_copy(update={"database": self.config.database})
        self.cycle.use_config(config)
        asyncio.get_running_loop().create_task(self._sync_boards())
        log.info(
            "SIGHUP: config reloaded: %d boards, %d channels", len(config.boards()), len(config.channels)
        )

    async def _sync_boards(self) -> None:
        await asyncio.to_thread(
            self.cycle.store.boards.sync_boards, self.config.boards().values(), self.cycle.clock()
        )

    def _request_stop(self, sig: signal.Signals) -> None:
        log.info("%s received: stopping", sig.name)
        self.stopping.set()

    async def _shutdown(self) -> None:
        self.scheduler.pause()
        work = [*self._boards.values(), *([self._delivery] if self._delivery else [])]
        work = [task for task in work if not task.done()]
        if work:
            log.info("stopping: finishing %d jobs in hand", len(work))
            _, late = await asyncio.wait(work, timeout=SHUTDOWN_GRACE_SECONDS)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=5)
        self.scheduler.shutdown(wait=False)
        if self.web:
            await self.web.stop()
        if self.web_app:
            self.web_app.close()
        await asyncio.to_thread(self.cycle.store.leases.release_all, self.cycle.owner)
        log.info("stopped")
