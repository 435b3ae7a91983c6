"""A tiny HTTP endpoint for `alerts run --http HOST:PORT`: /healthz and /metrics.

asyncio streams, no framework: two read-only routes do not need one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from alerts.errors import ConfigError

log = logging.getLogger("alerts")

READ_TIMEOUT_SECONDS = 5
Check = Callable[[], Awaitable[bool]]
Exposition = Callable[[], Awaitable[bytes]]


def parse_listen(text: str) -> tuple[str, int]:
    """ "127.0.0.1:9108" -> ("127.0.0.1", 9108); raises ValueError."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("HOST:PORT such as 127.0.0.1:9108")
    return host.strip("[]"), int(port)


class HealthServer:
    def __init__(self, listen: str, healthy: Check, metrics: Exposition):
        self.host, self.port = parse_listen(listen)
        self.healthy = healthy
        self.metrics = metrics
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        try:
            self._server = await asyncio.start_server(self._handle, self.host, self.port)
        except OSError as exc:  # in use, not an address of this host, not allowed
            reason = exc.strerror or str(exc)
            raise ConfigError(f"--http {self.host}:{self.port}: cannot listen there ({reason})") from None
        log.info("serving /healthz and /metrics on http://%s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_SECONDS)
            method, path, *_ = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            status, content_type, body = await self._route(method, path.split("?", 1)[0])
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            status, content_type, body = "400 Bad Request", "text/plain", b"bad request\n"
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        try:
            writer.write(head.encode("latin-1") + body)
            await writer.drain()
        finally:
            writer.close()

    async def _route(self, method: str, path: str) -> tuple[str, str, bytes]:
        if method != "GET":
            return "405 Method Not Allowed", "text/plain", b"GET only\n"
        if path == "/healthz":
            if await self.healthy():
                return "200 OK", "text/plain", b"ok\n"
            return "503 Service Unavailable", "text/plain", b"unhealthy\n"
        if path == "/metrics":
            return "200 OK", "text/plain; version=0.0.4; charset=utf-8", await self.metrics()
        return "404 Not Found", "text/plain", b"try /healthz or /metrics\n"
