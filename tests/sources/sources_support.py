"""Helpers for the source tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import FetchContext, RetryPolicy, Snapshot, fetch_board, make_client

# One try: error tests see exactly the failure they set up.
ONCE = RetryPolicy(attempts=1)
# Retries that stay fast: backoff draws from at most 10, 20 ms.
FAST = RetryPolicy(attempts=3, base_seconds=0.01, cap_seconds=2.0)


def base_url(server: HTTPServer) -> str:
    # 127.0.0.1, not localhost: the server binds IPv4 only.
    return f"http://127.0.0.1:{server.port}"


def run_fetch(
    board: BoardRef,
    url: str | None,
    ctx: FetchContext | None = None,
    *,
    retry: RetryPolicy = ONCE,
    timeout: float = 5.0,
) -> Snapshot:
    async def go() -> Snapshot:
        async with make_client(timeout_seconds=timeout, retry=retry) as client:
            return await fetch_board(client, board, replace(ctx or FetchContext(), base_url=url))

    return asyncio.run(go())


def fetch_error(
    board: BoardRef,
    url: str | None,
    ctx: FetchContext | None = None,
    *,
    retry: RetryPolicy = ONCE,
    timeout: float = 5.0,
) -> SourceError:
    with pytest.raises(SourceError) as caught:
        run_fetch(board, url, ctx, retry=retry, timeout=timeout)
    err = caught.value
    # Every failure names its board, so the user knows which one to fix.
    assert err.board_key == board.key and board.key in str(err)
    return err


Edit = Callable[[dict[str, Any]], None]


def set_fields(**fields: Any) -> Edit:
    """An edit of one recorded job: these fields set (added or replaced)."""
    return lambda job: job.update(fields)


def drop_fields(*names: str) -> Edit:
    """An edit of one recorded job: these fields removed."""

    def edit(job: dict[str, Any]) -> None:
        for name in names:
            job.pop(name)

    return edit
