"""The HTTP edge, pure transport: one shared client that fetches politely.

Polite means: a User-Agent that says who we are, at most a few requests in
flight per host, a request retried only when the failure is passing (a
dropped connection, 429, 502-504) with jittered exponential backoff, and the
server's Retry-After obeyed up to a cap. The per-host limit and the retries
are an httpx transport (`PoliteTransport`) wrapped around the real one, so a
test can wrap `httpx.MockTransport` just the same.

Beyond the cap a retryable answer is handed back as it is: the sources layer
fails the board for this cycle with `retry_after` set, and the scheduler
pushes it back. Bodies are read whole, up to a size limit counted after
decompression, so neither a huge nor a compressed body can exhaust memory.
"""

from __future__ import annotations

import asyncio
import functools
import random
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from alerts import HOMEPAGE, __version__
from alerts.model import BoardRef

from .bodies import ENCODINGS, read_bounded
from .failures import BodyTooLarge, Explain, display_url, request_error, status_error
from .redirects import ORIGIN
from .redirects import check as check_redirect
from .retry import RETRY_STATUSES, RetryPolicy, retry_after_seconds, retryable_error

__all__ = ["USER_AGENT", "Client", "PoliteTransport", "Reply", "RetryPolicy", "make_client"]

USER_AGENT = f"alerts/{__version__} (+{HOMEPAGE})"
# A host that does not even accept the connection in this long is down;
# waiting the full read timeout for it only delays the other boards.
CONNECT_TIMEOUT_SECONDS = 10.0
# Far above the largest real board (a large Ashby board is over 10 MB).
MAX_BODY_BYTES = 50 * 1024 * 1024
# How many tries a response took, retries included, for `Snapshot.requests`.
ATTEMPTS = "alerts.attempts"
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class Reply:
    response: httpx.Response  # 2xx or 304; its body is `body`
    body: bytes  # decoded (Content-Encoding undone)
    requests: int  # HTTP requests it took: retries and redirects included


class PoliteTransport(httpx.AsyncBaseTransport):
    """Around any transport: a concurrency limit per host, and retries of the
    failures that pass. Each response's body is read inside its host's slot."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        per_host_limit: int = 4,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.inner = inner
        self.per_host_limit = per_host_limit
        self.retry = retry or RetryPolicy()
        self.max_body_bytes = max_body_bytes
        self._sleep = sleep
        self._rng = rng
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def _slot(self, url: httpx.URL) -> asyncio.Semaphore:
        host = f"{url.host}:{url.port or url.scheme}"
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.per_host_limit)
        return self._hosts[host]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await check_redirect(request)  # before anything is sent (redirects.py)
        policy = self.retry
        attempts = max(policy.attempts, 1)
        for attempt in range(1, attempts + 1):
            last = attempt >= attempts
            try:
                # The slot is held for the request only, never while backing
                # off, so one slow board does not starve the host's others.
                async with self._slot(request.url):
                    response = await self._fetch(request)
            except httpx.TransportError as exc:
                if last or not retryable_error(exc):
                    exc.tries = attempt  # type: ignore[attr-defined]  # read by request_error
                    raise
                await self._sleep(policy.backoff(attempt, self._rng))
                continue
            response.extensions = {**response.extensions, ATTEMPTS: attempt}
            if response.status_code not in RETRY_STATUSES or last:
                return response
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None and asked > policy.cap_seconds:
                return response  # longer than one poll waits: the scheduler waits instead
            await self._sleep(asked if asked is not None else policy.backoff(attempt, self._rng))
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _fetch(self, request: httpx.Request) -> httpx.Response:
        """The response with its body read and decoded, up to the limit
        counted after decompression (bodies.py)."""
        response = await self.inner.handle_async_request(request)
        try:
            encoding = response.headers.get("Content-Encoding", "")
            stream: Any = response.stream
            body = await read_bounded(stream, encoding, self.max_body_bytes, request)
        finally:
            await response.aclose()
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=body,
            extensions=response.extensions,
            request=request,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


class Client:
    """One httpx.AsyncClient shared by every board. Use as `async with make_client() as client`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        transport: PoliteTransport | None = None,
        *,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.http = http
        self.transport = transport  # the one `http` sends through, if polite
        self.max_body_bytes = max_body_bytes

    @property
    def per_host_limit(self) -> int | None:
        return self.transport.per_host_limit if self.transport else None

    @property
    def retry(self) -> RetryPolicy | None:
        return self.transport.retry if self.transport else None

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def get(
        self,
        url: str,
        board: BoardRef,
        *,
        headers: Mapping[str, str] | None = None,
        explain: Explain | None = None,
        follow_redirects: bool | None = None,
    ) -> Reply:
        """GET with retries; a 2xx or 304 reply, or SourceError."""
        return await self.request(
            "GET", url, board, headers=headers, explain=explain, follow_redirects=follow_redirects
        )

    async def request(
        self,
        method: str,
        url: str,
        board: BoardRef,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        explain: Explain | None = None,
        follow_redirects: bool | None = None,
    ) -> Reply:
        """One request, retried by the transport; a 2xx or 304 reply with its
        body read and decoded, or SourceError.

        `follow_redirects=False` for APIs that never redirect a board that
        exists: their 3xx is an answer ("no such board"), handed to `explain`.
        None keeps the client's setting (it follows them).
        """
        shown = display_url(url)
        try:
            request = self.http.build_request(
                method, url, headers=headers, json=json, extensions={ORIGIN: url}
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, TypeError) as exc:
            raise request_error(board, shown, httpx.InvalidURL(str(exc))) from exc
        try:
            follow = self.http.follow_redirects if follow_redirects is None else follow_redirects
            response = await self.http.send(request, stream=True, follow_redirects=follow)
            try:
                body = await self._read(response)
            finally:
                await response.aclose()
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise request_error(board, shown, exc, tries=getattr(exc, "tries", 1)) from exc
        hops = [*response.history, response]
        requests = sum(hop.extensions.get(ATTEMPTS, 1) for hop in hops)
        status = response.status_code
        if response.is_success or status == 304:
            return Reply(response, body, requests)
        tries = response.extensions.get(ATTEMPTS, 1)
        note, retry_after = "", None
        if status in RETRY_STATUSES:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            cap = self.retry.cap_seconds if self.retry else None
            if retry_after is not None and cap is not None and retry_after > cap:
                note = f"it asks to wait {retry_after:.0f} s, longer than one poll waits; trying again later"
            elif tries > 1:
                note = f"still failing after {tries} tries"
        raise status_error(board, shown, response, body, explain=explain, retry_after=retry_after, note=note)

    async def _read(self, response: httpx.Response) -> bytes:
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise BodyTooLarge(
                    f"the body is over {self.max_body_bytes:,} bytes once decompressed",
                    request=response.request,
                )
            chunks.append(chunk)
        return b"".join(chunks)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # One per process: building it (reading the CA bundle) costs tens of
    # milliseconds, and a short-lived client (`alerts boards find`, a test)
    # would pay that each time.
    return httpx.create_ssl_context()


def make_client(
    *,
    timeout_seconds: float = 30.0,
    per_host_limit: int = 4,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Sleep = asyncio.sleep,
    rng: random.Random | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Client:
    """The shared client; `transport` replaces the network (tests: httpx.MockTransport)."""
    timeout = httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, CONNECT_TIMEOUT_SECONDS))
    polite = PoliteTransport(
        transport or httpx.AsyncHTTPTransport(verify=_tls_context()),
        per_host_limit=per_host_limit,
        retry=retry,
        sleep=sleep,
        rng=rng,
        max_body_bytes=max_body_bytes,
    )
    http = httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        # Only what bodies.py decodes within the size limit.
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Accept-Encoding": ", ".join(ENCODINGS),
        },
        transport=polite,
    )
    return Client(http, polite, max_body_bytes=max_body_bytes)
