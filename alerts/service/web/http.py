"""A small, strict HTTP/1.1 server on asyncio streams: one request per
connection, GET and HEAD only, the request head bounded in size and time.

Read-only pages need no framework; what this does not do (bodies,
keep-alive, chunking) it refuses: a body is never read.

Bounded: at most `max_connections` requests for pages at once, and room
for `RESERVED` more, so that /healthz and /metrics (`always`) are answered
whatever the pages' load. When every place is taken, a new connection
pushes out the oldest one that has still not sent its whole request (a
slow client trickling its headers, or one that opened and sent nothing), so
those cannot keep out a health check; when none is left to push out, the
newcomer is told 503 at once, and so is a page request beyond
`max_connections`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("alerts")

READ_TIMEOUT_SECONDS = 5  # the whole request line and headers
WRITE_TIMEOUT_SECONDS = 10
ANSWER_TIMEOUT_SECONDS = 30  # a page that takes longer is a 503
REFUSE_READ_SECONDS = 1  # a refused client's request is read this long, then the 503 goes
# After the answer, what the client still sends (a body never read, the
# rest of an overlong head) is read and dropped, this long and this much at
# most: closing with it unread resets the connection, and the client may
# never see the answer (a POST's 405, a 431).
LINGER_SECONDS = 1
LINGER_BYTES = 2 * 1024 * 1024
MAX_CONNECTIONS = 64
RESERVED = 8  # places beyond MAX_CONNECTIONS that only requests for `always` paths keep
ALWAYS = frozenset({"/healthz", "/metrics"})
# The request line and headers together; a browser sends about 1 KB.
MAX_HEAD_BYTES = 16 * 1024
MAX_QUERY_FIELDS = 20
MAX_QUERY_VALUE = 200

# Every answer carries these: nothing runs scripts or loads from elsewhere,
# nothing frames the page, and forms submit only here.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def parse_listen(text: str) -> tuple[str, int]:
    """ "127.0.0.1:9108" -> ("127.0.0.1", 9108); raises ValueError."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("HOST:PORT such as 127.0.0.1:9108")
    return host.strip("[]"), int(port)


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # percent-decoded
    query: dict[str, str]  # the first value of each name, bounded
    host: str | None = None


@dataclass
class Response:
    status: str
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text(status: str, message: str, **headers: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", message.encode() + b"\n", headers)


Handler = Callable[[Request], Awaitable[Response]]


class BadRequest(ValueError):
    pass


class Refused(Exception):
    """No room for another connection."""


BUSY = text("503 Service Unavailable", "too many connections; try again shortly", **{"Retry-After": "1"})


def parse_head(head: bytes) -> Request:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or not parts[1].startswith("/"):
        raise BadRequest("not an HTTP/1.x request line")
    method, target, _ = parts
    split = urlsplit(target)
    query: dict[str, str] = {}
    try:
        pairs = parse_qs(split.query, max_num_fields=MAX_QUERY_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("query string") from None
    for name, values in pairs.items():
        query[name] = values[0][:MAX_QUERY_VALUE]
    host = None
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "host":
            if host is not None:  # which one names the server? (RFC 9112 3.2: a 400)
                raise BadRequest("two Host headers")
            host = value.strip()
    try:
        path = unquote(split.path, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest("path") from None
    return Request(method, path, query, host)


class HttpServer:
    def __init__(
        self,
        listen: str,
        handle: Handler,
        *,
        max_connections: int = MAX_CONNECTIONS,
        always: frozenset[str] = ALWAYS,
    ):
        self.host, self.port = parse_listen(listen)
        self.handle = handle
        self.max_connections = max_connections
        self.always = always
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.Task[None]] = set()  # counted against max_connections + RESERVED
        self._reading: dict[asyncio.Task[None], None] = {}  # of those, still reading, oldest first
        self._lingering: dict[asyncio.Task[None], None] = {}  # of those, answered (pushed out first)
        self._pages: set[asyncio.Task[None]] = set()  # of those, asking for a page
        self._tasks: set[asyncio.Task[None]] = set()  # every connection, refused ones too

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, limit=MAX_HEAD_BYTES)

    async def stop(self) -> None:
        """Stop listening and drop every connection, answered or not."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=WRITE_TIMEOUT_SECONDS)
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if len(self._open) >= self.max_connections + RESERVED and not self._push_out():
                await self._refuse(reader, writer)
                return
            self._open.add(task)
            self._reading[task] = None
            await self._exchange(reader, writer, task)
        except (asyncio.CancelledError, TimeoutError, ConnectionError):
            pass  # pushed out, stopping, or the client went
        finally:
            self._tasks.discard(task)
            self._open.discard(task)
            self._pages.discard(task)
            self._reading.pop(task, None)
            self._lingering.pop(task, None)
            writer.close()

    def _push_out(self) -> bool:
        """Drop the oldest connection already answered, else the oldest still
        reading its request, to make room."""
        for waiting in (self._lingering, self._reading):
            oldest = next(iter(waiting), None)
            if oldest is not None:
                del waiting[oldest]
                self._open.discard(oldest)
                oldest.cancel()
                return True
        return False

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Its request is read (briefly) first: closing with it unread would
        # reset the connection, and the client might never see the 503.
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), REFUSE_READ_SECONDS)
        except (TimeoutError, asyncio.LimitOverrunError, asyncio.IncompleteReadError):
            pass
        await asyncio.wait_for(self._write(writer, BUSY, False), WRITE_TIMEOUT_SECONDS)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, task: asyncio.Task[None]
    ) -> None:
        method = "GET"
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_SECONDS)
            self._reading.pop(task, None)
            request = parse_head(head)
            method = request.method
            if request.path not in self.always:
                if len(self._pages) >= self.max_connections:
                    raise Refused
                self._pages.add(task)
            response = await asyncio.wait_for(self._answer(request), ANSWER_TIMEOUT_SECONDS)
        except Refused:
            response = BUSY
        except TimeoutError:
            if task in self._reading:
                response = text("408 Request Timeout", "request took too long")
            else:
                response = text("503 Service Unavailable", "the answer took too long; try again later")
        except asyncio.LimitOverrunError:
            response = text("431 Request Header Fields Too Large", "request too large")
        except ValueError:
            response = text("400 Bad Request", "bad request")
        except asyncio.IncompleteReadError:
            return  # the client went away before finishing its request
        self._reading.pop(task, None)
        await asyncio.wait_for(self._write(writer, response, method == "HEAD"), WRITE_TIMEOUT_SECONDS)
        self._pages.discard(task)
        self._lingering[task] = None
        await self._linger(reader, writer)

    @staticmethod
    async def _linger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if writer.can_write_eof():
            writer.write_eof()  # the client sees the answer end, and closes

        async def drop() -> None:
            left = LINGER_BYTES
            while left > 0 and (chunk := await reader.read(min(64 * 1024, left))):
                left -= len(chunk)

        try:
            await asyncio.wait_for(drop(), LINGER_SECONDS)
        except (TimeoutError, ConnectionError):
            pass

    async def _answer(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return text("405 Method Not Allowed", "GET only: this server changes nothing", Allow="GET, HEAD")
        try:
            return await self.handle(request)
        except Exception:
            log.exception("web: %s failed", request.path)
            return text("500 Internal Server Error", "something went wrong; the log says what")

    @staticmethod
    async def _write(writer: asyncio.StreamWriter, response: Response, head_only: bool) -> None:
        headers = {
            "Content-Type": response.content_type,
            "Content-Length": str(len(response.body)),
            "Connection": "close",
            **SECURITY_HEADERS,
            **response.headers,
        }
        lines = [f"HTTP/1.1 {response.status}", *(f"{k}: {v}" for k, v in headers.items())]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if not head_only:
            writer.write(response.body)
        await writer.drain()
