"""Job-board sources: one module per kind, one registry, one HTTP client.

Each kind module exports `SOURCE` and a pure `parse(payload, board)` (the
payload decoded: JSON, or Personio's XML root element); its
fetch returns a Snapshot (complete unless asked for an incremental one, or
not-modified) or raises SourceError. A paged board is all pages or an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from alerts.config.types import format_duration
from alerts.errors import SourceError
from alerts.model import BoardRef

from . import (
    ashby,
    bamboohr,
    bluedoor,
    breezy,
    greenhouse,
    jsonld,
    lever,
    personio,
    pinpoint,
    recruitee,
    rippling,
    smartrecruiters,
    teamtailor,
    workable,
    workday,
)
from .base import FetchContext, Snapshot, Source, TimeBox, Validators, board_url
from .bounds import bound_snapshot
from .http import Client, RetryPolicy, make_client

__all__ = [
    "SOURCES",
    "Client",
    "FetchContext",
    "RetryPolicy",
    "Snapshot",
    "Source",
    "Validators",
    "board_url",
    "fetch_board",
    "make_client",
]

# The shares of board_deadline within which detail requests may start, and
# after which one still in flight is dropped; the rest is for writing down.
DETAILS_SHARE = (0.7, 0.85)

SOURCES: dict[str, Source] = {
    "greenhouse": greenhouse.SOURCE,
    "lever": lever.SOURCE,
    "lever-eu": lever.EU_SOURCE,
    "ashby": ashby.SOURCE,
    "smartrecruiters": smartrecruiters.SOURCE,
    "workable": workable.SOURCE,
    "recruitee": recruitee.SOURCE,
    "personio": personio.SOURCE,
    "teamtailor": teamtailor.SOURCE,
    "breezy": breezy.SOURCE,
    "pinpoint": pinpoint.SOURCE,
    "workday": workday.SOURCE,
    "bamboohr": bamboohr.SOURCE,
    "rippling": rippling.SOURCE,
    "jsonld": jsonld.SOURCE,
    "bluedoor": bluedoor.SOURCE,
}


async def fetch_board(
    client: Client,
    board: BoardRef,
    ctx: FetchContext | None = None,
    *,
    deadline_seconds: float | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Snapshot:
    """Fetch one board; `ctx.base_url` None means the kind's public host.

    `deadline_seconds` bounds the whole fetch (every page, retry and detail):
    a board that trickles its answer fails like any other failure instead of
    holding up the cycle. Details start only within the first share of it
    and end within the second (`DETAILS_SHARE`); the rest wait for the next
    poll (an incomplete snapshot, not a failure). The snapshot comes back
    bounded (bounds.py): its times never after `clock()`, the poll's time.
    """
    source = SOURCES.get(board.source)
    if source is None:
        known = ", ".join(sorted(SOURCES))
        message = f"unknown source kind {board.source!r}; known kinds: {known}"
        raise SourceError(board.key, message, transient=False)
    ctx = ctx or FetchContext()
    ctx = replace(ctx, base_url=ctx.base_url or source.default_base_url)
    if deadline_seconds is not None and ctx.details_time is None:
        now = asyncio.get_running_loop().time()
        start_by, done_by = (now + share * deadline_seconds for share in DETAILS_SHARE)
        ctx = replace(ctx, details_time=TimeBox(start_by, done_by))
    try:
        async with asyncio.timeout(deadline_seconds) as deadline:
            snapshot = await source.fetch(client, board, ctx)
    except TimeoutError:
        if not deadline.expired():
            raise
        took = format_duration(deadline_seconds or 0)
        message = f"took longer than {took} (board_deadline); stopped, tried again at its next poll"
        raise SourceError(board.key, message, transient=True) from None
    return bound_snapshot(snapshot, board, clock() if clock else datetime.now(UTC))
