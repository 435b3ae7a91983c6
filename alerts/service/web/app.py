"""What the web server answers: the page at `/`, a posting's life at
`/posting`, the Atom feeds, `/healthz` and (under `alerts run`) `/metrics`.

The config is asked for on each request, so `alerts run` serves a config
reloaded by SIGHUP. Database reads run in worker threads.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from importlib.resources import files

from alerts.config import Config
from alerts.errors import ConfigError
from alerts.service.web import pages
from alerts.service.web.feeds import atom_feed
from alerts.service.web.http import Request, Response, text
from alerts.store import Store

Check = Callable[[], Awaitable[bool]]
Exposition = Callable[[], Awaitable[bytes]]
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
# A Host header used in the feeds' absolute links must look like one.
_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?\Z")
_FEED = re.compile(r"/feeds/(.+)\.atom\Z")


class WebApp:
    def __init__(
        self,
        config: Callable[[], Config],
        store: Store,
        *,
        healthy: Check,
        metrics: Exposition | None = None,
        listen: str = "127.0.0.1",
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ):
        self.config = config
        self.store = store
        self.healthy = healthy
        self.metrics = metrics
        self.listen = listen
        self.clock = clock
        self._css = files("alerts.service.web").joinpath("templates/style.css").read_bytes()

    async def __call__(self, request: Request) -> Response:
        path = request.path
        if path == "/healthz":
            if await self.healthy():
                return text("200 OK", "ok")
            return text("503 Service Unavailable", "unhealthy")
        if path == "/metrics":
            if self.metrics is None:
                return text("404 Not Found", "metrics come with `alerts run --http`, not `alerts web`")
            return Response("200 OK", "text/plain; version=0.0.4; charset=utf-8", await self.metrics())
        if path == "/style.css":
            return Response("200 OK", "text/css; charset=utf-8", self._css, {"Cache-Control": "max-age=300"})
        config, now = self.config(), self.clock()
        if path == "/":
            status, body = await asyncio.to_thread(pages.index, config, self.store, request.query, now)
            return Response(status, HTML, body, {"Cache-Control": "no-store"})
        if path == "/posting":
            status, body = await asyncio.to_thread(pages.posting_page, config, self.store, request.query, now)
            return Response(status, HTML, body, {"Cache-Control": "no-store"})
        feed = _FEED.match(path)
        if feed:
            name = feed.group(1)
            subscription = None if name == "all" else name
            try:
                body = await asyncio.to_thread(
                    atom_feed, config, self.store, subscription, self._base(request), now
                )
            except ConfigError as exc:
                return text("404 Not Found", str(exc))
            return Response("200 OK", ATOM, body, {"Cache-Control": "max-age=60"})
        return Response("404 Not Found", HTML, pages.not_found(config, "Nothing lives at this address."))

    def _base(self, request: Request) -> str:
        """Where this server is, for the feeds' absolute links."""
        host = request.host if request.host and _HOST.match(request.host) else self.listen
        return f"http://{host}"
