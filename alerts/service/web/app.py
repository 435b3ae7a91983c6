"""What the web server answers: the page at `/`, a posting's life at
`/posting`, the Atom feeds, `/healthz` and (under `alerts run`) `/metrics`.

The config is asked for on each request, so `alerts run` serves a config
reloaded by SIGHUP. Database reads run in a few worker threads of the
page's own (`workers.py`): the same page asked for by many at once is made
once for them all, more than the workers and their queue take is a 503, and
`/healthz` and `/metrics` never wait behind a page.

Only a request naming an allowed host (`hosts.py`) is answered, but for
`/healthz` and `/metrics`, which carry no job data.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime, timezone
from importlib.resources import files
from typing import Any, TypeVar

from alerts.config import Config
from alerts.errors import ConfigError
from alerts.service.web import pages
from alerts.service.web.feeds import atom_feed
from alerts.service.web.hosts import Hosts
from alerts.service.web.http import Request, Response, parse_listen, text
from alerts.service.web.workers import Busy, Workers
from alerts.store import Store

T = TypeVar("T")

Check = Callable[[], Awaitable[bool]]
Exposition = Callable[[], Awaitable[bytes]]
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
_FEED = re.compile(r"/feeds/(.+)\.atom\Z")
# A page or feed made is kept this long, while nothing stored changed, for
# whoever asks next (the page at 100k open postings takes seconds to make).
KEEP_SECONDS = 30
KEPT = 32


class WebApp:
    def __init__(
        self,
        config: Callable[[], Config],
        store: Store,
        *,
        healthy: Check,
        metrics: Exposition | None = None,
        listen: str = "127.0.0.1:8080",
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        workers: Workers | None = None,
    ):
        self.config = config
        self.store = store
        self.healthy = healthy
        self.metrics = metrics
        self.listen = listen
        self.hosts = Hosts(parse_listen(listen)[0])
        self.clock = clock
        self.workers = workers or Workers()
        self._css = files("alerts.service.web").joinpath("templates/style.css").read_bytes()
        self._making: dict[Hashable, asyncio.Future[Any]] = {}
        self._askers: dict[asyncio.Future[Any], int] = {}
        self._kept: dict[Hashable, tuple[Config, tuple[Any, ...], float, Any]] = {}
        self._kept_lock = threading.Lock()

    def close(self) -> None:
        self.workers.close()

    async def __call__(self, request: Request) -> Response:
        path = request.path
        if path in ("/healthz", "/metrics"):
            return await self._service(path)
        config = self.config()
        host = self.hosts.checked(request.host, config.web)
        if host is None:
            return text(
                "421 Misdirected Request",
                "this server does not answer to that host name; "
                "the names it answers to are set in [web] allowed_hosts",
            )
        try:
            return await self._page(request, config, host)
        except Busy:
            return text("503 Service Unavailable", "busy; try again shortly", **{"Retry-After": "2"})

    async def _service(self, path: str) -> Response:
        """/healthz and /metrics: answered whatever the page's load."""
        if path == "/healthz":
            if await self.healthy():
                return text("200 OK", "ok")
            return text("503 Service Unavailable", "unhealthy")
        if self.metrics is None:
            return text("404 Not Found", "metrics come with `alerts run --http`, not `alerts web`")
        return Response("200 OK", "text/plain; version=0.0.4; charset=utf-8", await self.metrics())

    async def _page(self, request: Request, config: Config, host: str | None) -> Response:
        path, now = request.path, self.clock()
        if path == "/style.css":
            return Response("200 OK", "text/css; charset=utf-8", self._css, {"Cache-Control": "max-age=300"})
        query = tuple(sorted(request.query.items()))
        if path == "/":
            status, body = await self._once(
                (path, query),
                self._kept_or,
                (path, query),
                config,
                pages.index,
                self.store,
                request.query,
                now,
            )
            return Response(status, HTML, body, {"Cache-Control": "no-store"})
        if path == "/posting":
            status, body = await self._once(
                (path, query), pages.posting_page, config, self.store, request.query, now
            )
            return Response(status, HTML, body, {"Cache-Control": "no-store"})
        feed = _FEED.match(path)
        if feed:
            name = feed.group(1)
            subscription = None if name == "all" else name
            base = config.web.public_url or f"http://{host or self.listen}"
            try:
                body = await self._once(
                    (path, base),
                    self._kept_or,
                    (path, base),
                    config,
                    atom_feed,
                    self.store,
                    subscription,
                    base,
                    now,
                )
            except ConfigError as exc:
                return text("404 Not Found", str(exc))
            return Response("200 OK", ATOM, body, {"Cache-Control": "max-age=60"})
        return Response("404 Not Found", HTML, pages.not_found(config, "Nothing lives at this address."))

    def _kept_or(self, key: Hashable, config: Config, fn: Callable[..., T], *args: Any) -> T:
        """fn(config, *args), or what it made last for this key when nothing
        stored has changed since and it is recent. In a worker thread."""
        version = self.store.views.version()
        with self._kept_lock:
            kept = self._kept.get(key)
        if kept and kept[0] is config and kept[1] == version and time.monotonic() - kept[2] < KEEP_SECONDS:
            result: T = kept[3]
            return result
        made = fn(config, *args)
        with self._kept_lock:
            self._kept.pop(key, None)
            self._kept[key] = (config, version, time.monotonic(), made)
            while len(self._kept) > KEPT:
                del self._kept[next(iter(self._kept))]
        return made

    async def _once(self, key: Hashable, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) on a worker; requests asking for the same while it is
        made wait for that one answer instead of making their own. When
        every asker has gone (timed out, or the server stops), it is called off."""
        making = self._making.get(key)
        if making is None:
            making = asyncio.ensure_future(self.workers.run(fn, *args))
            self._making[key] = making
            self._askers[making] = 0
            making.add_done_callback(lambda done: self._done(key, done))
        self._askers[making] += 1
        try:
            result: T = await asyncio.shield(making)
        finally:
            if not making.done():
                self._askers[making] -= 1
                if self._askers[making] == 0:
                    making.cancel()
        return result

    def _done(self, key: Hashable, done: asyncio.Future[Any]) -> None:
        self._askers.pop(done, None)
        if self._making.get(key) is done:
            del self._making[key]
        if not done.cancelled():
            done.exception()  # seen, if every asker had gone
