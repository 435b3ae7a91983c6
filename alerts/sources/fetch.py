"""What the kinds share between transport and parsing: conditional requests,
decoding a reply, and the fetch of a board answered by one GET."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from .base import FetchContext, Snapshot, Validators
from .failures import Explain, decode_json, display_url
from .http import Client, Reply

T = TypeVar("T")
Parse = Callable[[Any, BoardRef], list[Posting]]
# A body this large or larger is decoded and parsed in a worker thread, so
# the event loop (every other board's requests and deadlines) runs meanwhile.
OFF_LOOP_BYTES = 256 * 1024
# A response body as the parser reads it (JSON by default; Personio's is XML).
Decode = Callable[[httpx.Response, bytes, BoardRef], Any]


def conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def parse_reply(
    reply: Reply, board: BoardRef, parse: Callable[[Any, BoardRef], Any], decode: Decode = decode_json
) -> Any:
    """Decode and parse one response; shape errors gain the URL and status."""
    response = reply.response
    payload = decode(response, reply.body, board)
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


async def off_loop(size: int, work: Callable[..., T], *args: Any) -> T:
    """`work(*args)`: at once for a small body (`size` bytes), else in a
    worker thread. Its bounds (weight.py) keep what such a thread may cost
    small, since a thread cannot be stopped once started."""
    if size < OFF_LOOP_BYTES:
        return work(*args)
    return await asyncio.to_thread(work, *args)


async def parsed(
    reply: Reply, board: BoardRef, parse: Callable[[Any, BoardRef], Any], decode: Decode = decode_json
) -> Any:
    """`parse_reply`, off the event loop when the body is large."""
    return await off_loop(len(reply.body), parse_reply, reply, board, parse, decode)


def not_modified(reply: Reply, url: str, board: BoardRef, ctx: FetchContext, asked: bool) -> Snapshot:
    """A 304: the same snapshot as last time, if the request was conditional."""
    if not asked:
        message = f"{display_url(url)} answered 304 Not Modified to a request that was not conditional"
        raise SourceError(board.key, message, status=304, transient=True)
    return Snapshot([], validators=ctx.validators or Validators(), not_modified=True, requests=reply.requests)


def validators_of(reply: Reply) -> Validators:
    headers = reply.response.headers
    return Validators(headers.get("ETag"), headers.get("Last-Modified"))


async def fetch_single(
    client: Client,
    url: str,
    board: BoardRef,
    parse: Parse,
    ctx: FetchContext,
    *,
    decode: Decode = decode_json,
    explain: Explain | None = None,
    follow_redirects: bool | None = None,
    headers: Mapping[str, str] | None = None,
) -> Snapshot:
    """A board answered by one GET: conditional when validators are known."""
    conditional = conditional_headers(ctx.validators)
    reply = await client.get(
        url,
        board,
        headers={**(headers or {}), **conditional},
        explain=explain,
        follow_redirects=follow_redirects,
    )
    if reply.response.status_code == 304:
        return not_modified(reply, url, board, ctx, bool(conditional))
    postings = await parsed(reply, board, parse, decode)
    return Snapshot(postings, validators=validators_of(reply), requests=reply.requests)
