"""The source cache: what a source keeps between polls of one board
(details, sitemap pages), each entry valid while its signature holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.store.db import IN_LIST_MAX, Queries
from alerts.store.tables import boards, source_cache

# (signature, data) per key
Entries = Mapping[str, tuple[str, Any]]


class CacheQueries(Queries):
    def _board_id(self, conn: sa.Connection, board_key: str) -> int | None:
        return conn.execute(sa.select(boards.c.id).where(boards.c.key == board_key)).scalar()

    def get(self, board_key: str, keys: Iterable[str]) -> dict[str, tuple[str, Any]]:
        found: dict[str, tuple[str, Any]] = {}
        with self.db.engine.connect() as conn:
            board_id = self._board_id(conn, board_key)
            if board_id is None:
                return found
            columns = (source_cache.c.key, source_cache.c.signature, source_cache.c.data)
            for chunk in chunked(sorted(set(keys)), IN_LIST_MAX):
                query = sa.select(*columns).where(
                    source_cache.c.board_id == board_id, source_cache.c.key.in_(chunk)
                )
                found.update((key, (signature, data)) for key, signature, data in conn.execute(query))
        return found

    def put(self, board_key: str, entries: Entries, now: datetime) -> None:
        if not entries:
            return
        with self.db.tx() as conn:
            board_id = self._board_id(conn, board_key)
            if board_id is None:
                return
            rows = [
                {"board_id": board_id, "key": key, "signature": sig, "data": data, "updated_at": now}
                for key, (sig, data) in sorted(entries.items())
            ]
            stmt = self.db.insert(source_cache)
            stmt = stmt.on_conflict_do_update(
                index_elements=["board_id", "key"],
                set_={name: stmt.excluded[name] for name in ("signature", "data", "updated_at")},
            )
            for chunk in chunked(rows, 500):
                conn.execute(stmt, list(chunk))

    def retain(self, board_key: str, keys: Iterable[str]) -> int:
        """Drop the board's entries whose key is not among `keys`; how many went."""
        keep = set(keys)
        with self.db.tx() as conn:
            board_id = self._board_id(conn, board_key)
            if board_id is None:
                return 0
            stored = conn.execute(
                sa.select(source_cache.c.key).where(source_cache.c.board_id == board_id)
            ).scalars()
            gone = sorted(set(stored) - keep)
            for chunk in chunked(gone, IN_LIST_MAX):
                conn.execute(
                    sa.delete(source_cache).where(
                        source_cache.c.board_id == board_id, source_cache.c.key.in_(chunk)
                    )
                )
        return len(gone)

    def of_board(self, board_key: str, clock: Callable[[], datetime]) -> BoardCache:
        """One board's entries, for its fetch (the sources' SourceCache)."""
        return BoardCache(self, board_key, clock)


class BoardCache:
    """One board's source cache, awaited from a fetch: each call runs in a thread."""

    def __init__(self, queries: CacheQueries, board_key: str, clock: Callable[[], datetime]):
        self.queries, self.board_key, self.clock = queries, board_key, clock

    async def get(self, keys: Iterable[str]) -> dict[str, tuple[str, Any]]:
        return await asyncio.to_thread(self.queries.get, self.board_key, list(keys))

    async def put(self, entries: Entries) -> None:
        await asyncio.to_thread(self.queries.put, self.board_key, dict(entries), self.clock())

    async def retain(self, keys: Iterable[str]) -> None:
        await asyncio.to_thread(self.queries.retain, self.board_key, list(keys))
