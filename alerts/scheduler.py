"""The long-running service: APScheduler wakes it, signals stop it cleanly."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from alerts.cycle import Cycle
from alerts.model import BoardRef

log = logging.getLogger("alerts")

DELIVERY_TICK_SECONDS = 30
SHUTDOWN_GRACE_SECONDS = 60
# APScheduler's default of 1 s would silently drop a run delayed by a busy loop.
MISFIRE_GRACE_SECONDS = 300


class Service:
    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        self.stopping = asyncio.Event()
        self._inflight: set[asyncio.Task[Any]] = set()
        self.scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS}
        )

    async def _tracked(self, work: Callable[..., Awaitable[Any]], *args: Any) -> None:
        if self.stopping.is_set():
            return
        task = asyncio.current_task()
        assert task is not None
        self._inflight.add(task)
        try:
            await work(*args)
        except Exception:  # one failing job must not stop the service
            log.exception("scheduled job failed")
        finally:
            self._inflight.discard(task)

    async def poll_and_deliver(self, ref: BoardRef) -> None:
        await self.cycle.poll_board(ref)
        if not self.stopping.is_set():
            await self.cycle.deliver()

    def schedule(self) -> None:
        config = self.cycle.config
        jitter = config.polling.jitter.total_seconds() or None
        for key, ref in config.boards().items():
            interval = config.board_interval(key).total_seconds()
            self.scheduler.add_job(
                self._tracked,
                IntervalTrigger(seconds=interval, jitter=jitter),
                args=[self.poll_and_deliver, ref],
                id=f"board:{key}",
                name=key,
                next_run_time=self.cycle.clock(),
            )
        self.scheduler.add_job(
            self._tracked,
            IntervalTrigger(seconds=DELIVERY_TICK_SECONDS),
            args=[self.cycle.deliver],
            id="deliver",
        )

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._request_stop, sig)
        await self.cycle.prepare()
        self.schedule()
        self.scheduler.start()
        log.info(
            "running: %d boards, %d channels",
            len(self.cycle.config.boards()),
            len(self.cycle.config.channels),
        )
        await self.stopping.wait()
        self.scheduler.pause()
        if self._inflight:
            log.info("stopping: finishing %d jobs in hand", len(self._inflight))
            await asyncio.wait(set(self._inflight), timeout=SHUTDOWN_GRACE_SECONDS)
        self.scheduler.shutdown(wait=False)
        log.info("stopped")

    def _request_stop(self, sig: signal.Signals) -> None:
        log.info("%s received: stopping", sig.name)
        self.stopping.set()
