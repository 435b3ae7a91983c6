"""Job-board sources: one module per kind, one registry, one HTTP client.

Each kind module exports `SOURCE` and a pure `parse(payload, board)` (the
payload decoded: JSON, or Personio's XML root element); its
fetch returns a Snapshot (complete unless asked for an incremental one, or
not-modified) or raises SourceError. A paged board is all pages or an error.
"""

from __future__ import annotations

from dataclasses import replace

from alerts.errors import SourceError
from alerts.model import BoardRef

from . import (
    ashby,
    bluedoor,
    breezy,
    greenhouse,
    lever,
    personio,
    pinpoint,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
)
from .base import FetchContext, Snapshot, Source, Validators, board_url
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
    "bluedoor": bluedoor.SOURCE,
}


async def fetch_board(client: Client, board: BoardRef, ctx: FetchContext | None = None) -> Snapshot:
    """Fetch one board; `ctx.base_url` None means the kind's public host."""
    source = SOURCES.get(board.source)
    if source is None:
        known = ", ".join(sorted(SOURCES))
        message = f"unknown source kind {board.source!r}; known kinds: {known}"
        raise SourceError(board.key, message, transient=False)
    ctx = ctx or FetchContext()
    return await source.fetch(client, board, replace(ctx, base_url=ctx.base_url or source.default_base_url))
