"""The HTTP edge: the shared client, and the one place where httpx and JSON
failures become SourceError.

No retries and no caching here on purpose: a failed fetch raises, and the
caller decides (by `transient`) whether to try again.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

import httpx

from alerts import HOMEPAGE, __version__
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

USER_AGENT = f"alerts/{__version__} (+{HOMEPAGE})"
# A host that does not even accept the connection in this long is down;
# waiting the full read timeout for it only delays the other boards.
CONNECT_TIMEOUT_SECONDS = 10.0

_SECRET_PARAM = re.compile(r"key|token|secret|pass|auth|sig", re.IGNORECASE)


def make_client(*, timeout_seconds: float = 30.0) -> httpx.AsyncClient:
    timeout = httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, CONNECT_TIMEOUT_SECONDS))
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )


def display_url(url: str) -> str:
    """The URL as it may appear in messages: no userinfo (a proxy base_url may
    carry a password) and no value of a query parameter that looks secret."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid URL>"
    shown = parsed.copy_with(username=None, password=None)
    params = list(shown.params.multi_items())
    if any(_SECRET_PARAM.search(name) for name, _ in params):
        query = "&".join(f"{name}={'***' if _SECRET_PARAM.search(name) else value}" for name, value in params)
        return str(shown.copy_with(query=None)) + "?" + query
    return str(shown)


def _reason(exc: BaseException) -> str:
    # httpx says "All connection attempts failed"; the OSError underneath
    # says "Connection refused" or "Name or service not known".
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if isinstance(seen, OSError) and seen.errno and seen.errno > 0:
            return os.strerror(seen.errno)
        if isinstance(seen, OSError) and seen.strerror:  # DNS errors have negative errnos
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__


def _request_error(board: BoardRef, shown: str, exc: Exception) -> SourceError:
    # Order matters: UnsupportedProtocol is a TransportError, and the timeouts
    # are TransportErrors too.
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting to",
            httpx.ReadTimeout: "reading from",
            httpx.WriteTimeout: "sending to",
            httpx.PoolTimeout: "waiting for a free connection to",
        }.get(type(exc), "requesting")
        return SourceError(board.key, f"timed out {phase} {shown}", transient=True)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return SourceError(board.key, f"invalid URL {shown}; check base_url", transient=False)
    if isinstance(exc, httpx.TooManyRedirects):
        return SourceError(board.key, f"too many redirects from {shown}; check base_url", transient=False)
    reason = _reason(exc)
    if isinstance(exc, httpx.ConnectError):
        return SourceError(board.key, f"could not connect to {shown} ({reason})", transient=True)
    return SourceError(board.key, f"request to {shown} failed ({reason})", transient=True)


def _status_error(board: BoardRef, shown: str, status: int) -> SourceError:
    if status in (404, 410):
        message = f"board not found at {shown}; check the board token and base_url"
        return SourceError(board.key, message, status=status, transient=False)
    if status == 429:
        return SourceError(board.key, f"rate limited by {shown}; try again later", status=status)
    if status >= 500 or status == 408:
        return SourceError(board.key, f"server error from {shown}", status=status)
    if status in (401, 403):
        message = f"access denied by {shown}; the board may be private"
        return SourceError(board.key, message, status=status, transient=False)
    message = f"unexpected answer from {shown}"
    return SourceError(board.key, message, status=status, transient=False)


async def get_response(client: httpx.AsyncClient, url: str, board: BoardRef) -> httpx.Response:
    """GET `url`, returning only a 2xx response with its body read."""
    shown = display_url(url)
    try:
        response = await client.get(url)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise _request_error(board, shown, exc) from exc
    if not response.is_success:
        raise _status_error(board, shown, response.status_code)
    return response


def _looks_like_html(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    return "html" in content_type or response.content.lstrip()[:1] == b"<"


def _explain_bad_json(response: httpx.Response, shown: str, exc: json.JSONDecodeError) -> tuple[str, bool]:
    """A message and whether trying again may help."""
    if _looks_like_html(response):
        return f"{shown} returned an HTML page, not JSON; check base_url", False
    if not response.content.strip():
        return f"{shown} returned an empty body, not JSON", True
    if exc.msg.startswith("Unterminated string") or exc.pos >= len(exc.doc.rstrip()):
        # A body cut short is a dropped connection more often than a bug.
        return f"the JSON from {shown} ends early (truncated response)", True
    return f"{shown} returned invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", False


def decode_json(response: httpx.Response, board: BoardRef) -> Any:
    shown = display_url(str(response.url))
    try:
        # json.loads on bytes detects UTF-8/16/32 itself, as RFC 8259 asks.
        return json.loads(response.content)
    except json.JSONDecodeError as exc:
        message, transient = _explain_bad_json(response, shown, exc)
        raise SourceError(board.key, message, status=response.status_code, transient=transient) from exc
    except (UnicodeDecodeError, RecursionError) as exc:
        message = f"{shown} returned a body that is not readable JSON"
        raise SourceError(board.key, message, status=response.status_code, transient=False) from exc


async def get_json(client: httpx.AsyncClient, url: str, board: BoardRef) -> Any:
    return decode_json(await get_response(client, url, board), board)


async def fetch_postings(
    client: httpx.AsyncClient,
    url: str,
    board: BoardRef,
    parse: Callable[[Any, BoardRef], list[Posting]],
) -> list[Posting]:
    """GET, decode and parse one board; shape errors gain the URL and status."""
    response = await get_response(client, url, board)
    payload = decode_json(response, board)
    shown = display_url(url)
    try:
        return parse(payload, board)
    except SourceError as exc:
        message = f"unexpected response from {shown} (is base_url right for {board.source}?): {exc.message}"
        raise SourceError(board.key, message, status=response.status_code, transient=exc.transient) from exc
    except Exception as exc:
        # A parser bug must fail this board only, not the whole cycle; the
        # cause (with its traceback) stays attached for `-v`.
        message = f"could not read the response from {shown} ({type(exc).__name__}: a bug in alerts)"
        raise SourceError(board.key, message, status=response.status_code, transient=False) from exc
