"""Job-board sources: one module per kind, one registry, one HTTP client.

Each kind module exports `SOURCE` and a pure `parse(payload, board)`; its
fetch returns a complete snapshot of the board or raises SourceError.
"""

from __future__ import annotations

import httpx

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from . import ashby, greenhouse, lever
from .base import Source, board_url
from .http import get_json, make_client

__all__ = ["SOURCES", "Source", "board_url", "fetch_board", "get_json", "make_client"]

SOURCES: dict[str, Source] = {
    "greenhouse": greenhouse.SOURCE,
    "lever": lever.SOURCE,
    "ashby": ashby.SOURCE,
}


async def fetch_board(
    client: httpx.AsyncClient, board: BoardRef, base_url: str | None = None
) -> list[Posting]:
    """Fetch one board as a complete snapshot; `base_url` None means the kind's public host."""
    source = SOURCES.get(board.source)
    if source is None:
        known = ", ".join(sorted(SOURCES))
        message = f"unknown source kind {board.source!r}; known kinds: {known}"
        raise SourceError(board.key, message, transient=False)
    return await source.fetch(client, board, base_url if base_url is not None else source.default_base_url)
