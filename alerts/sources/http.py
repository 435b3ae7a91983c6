"""The HTTP edge: one shared client that fetches politely.

Polite means: a User-Agent that says who we are, at most a few requests in
flight per host, a GET retried only when the failure is passing (a dropped
connection, 429, 502-504) with jittered exponential backoff, and the
server's Retry-After obeyed up to a cap. Beyond the cap the board fails for
this cycle with `retry_after` set, and the scheduler pushes it back.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from alerts import HOMEPAGE, __version__
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from .base import FetchContext, Snapshot, Validators
from .failures import Explain, decode_json, display_url, request_error, status_error
from .retry import RETRY_STATUSES, RetryPolicy, retry_after_seconds, retryable_error

__all__ = ["USER_AGENT", "Client", "Reply", "RetryPolicy", "display_url", "fetch_single", "make_client"]

USER_AGENT = f"alerts/{__version__} (+{HOMEPAGE})"
# A host that does not even accept the connection in this long is down;
# waiting the full read timeout for it only delays the other boards.
CONNECT_TIMEOUT_SECONDS = 10.0

Parse = Callable[[Any, BoardRef], list[Posting]]


@dataclass(frozen=True)
class Reply:
    response: httpx.Response  # 2xx or 304, body read
    requests: int  # HTTP requests it took: retries and redirects included


class Client:
    """One httpx.AsyncClient shared by every board, a concurrency limit per
    host, and the retry policy. Use as `async with make_client() as client`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        per_host_limit: int = 4,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.http = http
        self.per_host_limit = per_host_limit
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    def _slot(self, url: httpx.URL) -> asyncio.Semaphore:
        host = f"{url.host}:{url.port or url.scheme}"
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.per_host_limit)
        return self._hosts[host]

    async def get(
        self,
        url: str,
        board: BoardRef,
        *,
        headers: Mapping[str, str] | None = None,
        explain: Explain | None = None,
    ) -> Reply:
        """GET with retries; a 2xx or 304 reply, or SourceError."""
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise request_error(board, display_url(url), httpx.InvalidURL(str(exc))) from exc
        policy, requests = self.retry, 0
        for attempt in range(1, max(policy.attempts, 1) + 1):
            last = attempt >= policy.attempts
            try:
                # The slot is held for the request only, never while backing
                # off, so one slow board does not starve the host's others.
                async with self._slot(target):
                    response = await self.http.get(target, headers=headers)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                requests += 1
                if last or not retryable_error(exc):
                    raise request_error(board, display_url(url), exc, tries=attempt) from exc
                await self._sleep(policy.backoff(attempt, self._rng))
                continue
            requests += len(response.history) + 1
            status = response.status_code
            if response.is_success or status == 304:
                return Reply(response, requests)
            if status not in RETRY_STATUSES:
                raise status_error(board, display_url(url), response, explain=explain)
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None and asked > policy.cap_seconds:
                note = f"it asks to wait {asked:.0f} s, longer than one poll waits; trying again later"
                raise status_error(
                    board, display_url(url), response, explain=explain, retry_after=asked, note=note
                )
            if last:
                note = f"still failing after {attempt} tries" if attempt > 1 else ""
                raise status_error(
                    board, display_url(url), response, explain=explain, retry_after=asked, note=note
                )
            await self._sleep(asked if asked is not None else policy.backoff(attempt, self._rng))
        raise AssertionError("unreachable: the last attempt returns or raises")


def make_client(
    *, timeout_seconds: float = 30.0, per_host_limit: int = 4, retry: RetryPolicy | None = None
) -> Client:
    timeout = httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, CONNECT_TIMEOUT_SECONDS))
    http = httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )
    return Client(http, per_host_limit=per_host_limit, retry=retry)


def conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def parse_reply(reply: Reply, board: BoardRef, parse: Callable[[Any, BoardRef], Any]) -> Any:
    """Decode and parse one response; shape errors gain the URL and status."""
    response = reply.response
    payload = decode_json(response, board)
    try:
        return parse(payload, board)
    except SourceError as exc:
        shown = display_url(str(response.url))
        message = f"unexpected response from {shown} (is base_url right for {board.source}?): {exc.message}"
        raise SourceError(board.key, message, status=response.status_code, transient=exc.transient) from exc
    except Exception as exc:
        # A parser bug must fail this board only, not the whole cycle; the
        # cause (with its traceback) stays attached for `-v`.
        shown = display_url(str(response.url))
        message = f"could not read the response from {shown} ({type(exc).__name__}: a bug in alerts)"
        raise SourceError(board.key, message, status=response.status_code, transient=False) from exc


async def fetch_single(
    client: Client, url: str, board: BoardRef, parse: Parse, ctx: FetchContext
) -> Snapshot:
    """A board answered by one GET: conditional when validators are known."""
    headers = conditional_headers(ctx.validators)
    reply = await client.get(url, board, headers=headers)
    response = reply.response
    if response.status_code == 304:
        if not headers:
            message = f"{display_url(url)} answered 304 Not Modified to a request that was not conditional"
            raise SourceError(board.key, message, status=304, transient=True)
        return Snapshot(
            [], validators=ctx.validators or Validators(), not_modified=True, requests=reply.requests
        )
    postings = parse_reply(reply, board, parse)
    validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
    return Snapshot(postings, validators=validators, requests=reply.requests)
