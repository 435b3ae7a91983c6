"""Page work off the event loop, bounded: a few threads of its own and a
short queue. Beyond that a request is refused at once (`Busy`, a 503), so a
crowd of page requests neither waits forever nor holds up `/healthz` and
`/metrics`, which never wait here.

The threads are daemons: a query stuck in the database does not hold up
the process when it is told to stop.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

THREADS = 2  # the machine's cores are the limit of pages rendered at once
QUEUED = 8  # requests that may wait for a thread; any more are refused


class Busy(Exception):
    """Every worker is busy and the queue is full."""


_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


class Workers:
    def __init__(self, threads: int = THREADS, queued: int = QUEUED):
        self.threads = threads
        self.limit = threads + queued
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._started: list[threading.Thread] = []
        self._admitted = 0  # running or waiting; counted on the event loop only
        self._closed = False

    @property
    def admitted(self) -> int:
        return self._admitted

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker thread; Busy when there is no room."""
        if self._closed or self._admitted >= self.limit:
            raise Busy
        if not self._started:
            for number in range(self.threads):
                thread = threading.Thread(target=self._work, name=f"web-{number}", daemon=True)
                thread.start()
                self._started.append(thread)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        # Counted until the thread is done with it, even when the request
        # that asked has gone: the bound is on work, not on waiting clients.
        self._admitted += 1
        self._jobs.put((loop, future, fn, args))
        return await future

    def close(self) -> None:
        """Take no more work and let the threads end (a stuck one is left behind)."""
        self._closed = True
        for _ in self._started:
            self._jobs.put(None)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            loop, future, fn, args = job
            value: Any = None
            error: BaseException | None = None
            if not future.cancelled():  # nobody waits for it any more
                try:
                    value = fn(*args)
                except Exception as exc:
                    error = exc
            try:
                loop.call_soon_threadsafe(self._settle, future, value, error)
            except RuntimeError:  # the loop is closed: the process is stopping
                return

    def _settle(self, future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
        self._admitted -= 1
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)
