"""A 304 Not Modified: the board's last complete snapshot, again.

It is a poll like a 200 with the same body: the board is healthy, and every
open posting that snapshot lacked (misses > 0) misses once more, closing at
`close_after_misses`, with its `closed` event and outbox rows. Nothing is
parsed and nothing else is read: the postings still missing are few, found
through a partial index, so many unchanged boards cost a few statements in
all, not a query per board.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import BoardRef, Event, Posting, Repost
from alerts.store.announce import Announcer, Router
from alerts.store.boards import HEALTHY_NAMES, bound, healthy_marks
from alerts.store.db import IN_LIST_MAX, Database, Queries
from alerts.store.notices import Ops, recovered
from alerts.store.tables import MISSING, boards, postings

# (board, when it answered 304, its next poll or None to keep the stored one)
Unchanged = tuple[BoardRef, datetime, datetime | None]

_ADVANCE = (
    sa.update(postings)
    .where(postings.c.id == sa.bindparam("pid"))
    .values(
        state=sa.bindparam("new_state"),
        misses=postings.c.misses + 1,
        closed_at=sa.bindparam("new_closed_at", type_=postings.c.closed_at.type),
        changed_at=sa.bindparam("new_changed_at", type_=postings.c.changed_at.type),
    )
)


def _nobody(event: Event, baseline: bool) -> dict[str, list[str]]:
    return {}


class UnchangedQueries(Queries):
    def __init__(self, db: Database, announcer: Announcer | None = None):
        super().__init__(db)
        self.announcer = announcer or Announcer()

    def record_many(
        self,
        unchanged: Sequence[Unchanged],
        *,
        close_after_misses: int,
        route: Callable[[str], Router] | None = None,
        owner: str | None = None,
        ops: Ops | None = None,
        noticed: Iterable[str] | None = None,
        repost_window: timedelta | None = None,
    ) -> dict[str, list[Event]]:
        """Record many 304s in one transaction; returns the `closed` events by board key.

        `route(board_key)` routes that board's events; `owner`, when given,
        counts misses only on boards this process still holds (a board
        taken over by another process is that process's to count). A board
        the ops channel was told is failing is recovered: `ops` is told.
        `noticed`: the keys of such boards among these, when the caller read
        them already (FetchState.failure_noticed); None looks them up.
        `repost_window`: as for a snapshot (SnapshotQueries.apply).
        """
        if not unchanged:
            return {}
        when = {board.key: polled for board, polled, _ in unchanged}
        # A 304 without a next poll time keeps the stored one.
        keep = sa.func.coalesce(
            sa.bindparam("next_poll_at", type_=boards.c.next_poll_at.type), boards.c.next_poll_at
        )
        healthy = (
            sa.update(boards)
            .where(boards.c.key == sa.bindparam("board_key"))
            .values(bound(HEALTHY_NAMES) | {"next_poll_at": keep})
        )
        rows = [
            {"board_key": board.key, **healthy_marks(polled), "next_poll_at": next_poll_at}
            for board, polled, next_poll_at in unchanged
        ]
        with self.db.tx() as conn:
            told = self._noticed(conn, sorted(when if noticed is None else set(noticed) & when.keys()))
            conn.execute(healthy, rows)
            if told:
                recovered(conn, told, ops, max(when.values()))
            missing = self._missing(conn, sorted(when), owner)
            if not missing:
                return {}
            closing = [row for row in missing if row.misses + 1 >= close_after_misses]
            conn.execute(
                _ADVANCE,
                [
                    {
                        "pid": row.id,
                        "new_state": "closed" if row.misses + 1 >= close_after_misses else "open",
                        "new_closed_at": when[row.key] if row.misses + 1 >= close_after_misses else None,
                        "new_changed_at": when[row.key],
                    }
                    for row in missing
                ],
            )
            return self._close(conn, closing, when, route or (lambda key: _nobody), repost_window)

    def _noticed(self, conn: sa.Connection, keys: list[str]) -> list[tuple[int, int]]:
        """(id, failures) of these boards the ops channel was told are failing."""
        found: list[tuple[int, int]] = []
        if not keys:
            return found
        query = sa.select(boards.c.id, boards.c.consecutive_failures).where(
            boards.c.failure_noticed_at.is_not(None)
        )
        for chunk in chunked(keys, IN_LIST_MAX):
            found.extend((board_id, n) for board_id, n in conn.execute(query.where(boards.c.key.in_(chunk))))
        return found

    def _missing(self, conn: sa.Connection, keys: list[str], owner: str | None) -> list[sa.Row]:
        """The open postings these boards' last snapshots lacked."""
        found: list[sa.Row] = []
        for chunk in chunked(keys, IN_LIST_MAX):
            query = (
                sa.select(postings.c.id, postings.c.board_id, boards.c.key, postings.c.misses)
                .join(boards, boards.c.id == postings.c.board_id)
                .where(boards.c.key.in_(chunk), MISSING)
            )
            if owner is not None:
                query = query.where(boards.c.lease_owner == owner)
            found.extend(conn.execute(query))
        return found

    def _close(
        self,
        conn: sa.Connection,
        closing: list[sa.Row],
        when: dict[str, datetime],
        route: Callable[[str], Router],
        window: timedelta | None,
    ) -> dict[str, list[Event]]:
        data: dict[int, sa.Row] = {}
        columns = (postings.c.id, postings.c.data, postings.c.first_seen_at, postings.c.chain)
        for chunk in chunked([row.id for row in closing], IN_LIST_MAX):
            query = sa.select(*columns).where(postings.c.id.in_(chunk))
            data.update((found.id, found) for found in conn.execute(query))
        by_board: dict[tuple[int, str], list[Event]] = {}
        for row in closing:
            stored = data[row.id]
            posting = Posting.from_dict(stored.data)
            chain = Repost.from_dict(stored.chain) if stored.chain else None
            event = Event(
                "closed",
                row.key,
                posting.external_id,
                posting,
                {},
                when[row.key],
                first_seen_at=stored.first_seen_at,
                chain=chain,
            )
            by_board.setdefault((row.board_id, row.key), []).append(event)
        return {
            key: self.announcer.write(conn, board_id, found, route(key), when[key], window=window)
            for (board_id, key), found in by_board.items()
        }
