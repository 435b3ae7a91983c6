"""Read-only views of what is stored: open postings, events with where they
went, one posting's life, and the open/close history behind the chart.

Nothing here writes. `alerts jobs`, `status`, `history`, the web page and
the feeds read through these; which subscription matches what is decided
by their callers with `alerts.filters`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import Posting, Repost
from alerts.store.db import IN_LIST_MAX, Queries
from alerts.store.tables import boards, deliveries, events, postings


@dataclass(frozen=True)
class OpenPosting:
    board_key: str
    external_id: str
    posting: Posting
    first_seen_at: datetime
    changed_at: datetime
    chain: Repost | None = None  # for a repost: what it reposted, and where the job began

    @property
    def started(self) -> tuple[datetime | None, datetime]:
        return _started(self.posting, self.first_seen_at, self.chain)

    @property
    def since(self) -> datetime:
        """Its age counts from here: the source's posting date, else when first
        seen (of the chain's first posting, for a repost)."""
        posted, first_seen = self.started
        return posted or first_seen


@dataclass(frozen=True)
class StoredEvent:
    id: int
    board_key: str
    external_id: str
    kind: str
    posting: Posting
    changes: dict[str, list[Any]]
    occurred_at: datetime
    # (channel, delivery status) per outbox row, when asked for.
    deliveries: tuple[tuple[str, str], ...] = ()
    first_seen_at: datetime | None = None  # the posting's, when the event was stored
    reposts: Repost | None = None  # what an `opened` posting reposts
    chain: Repost | None = None  # for any event of a repost: what it reposted
    open_as: str | None = None  # for a `closed`/`reopened` one: the job open as "board:id"


@dataclass(frozen=True)
class PostingLife:
    """One posting as stored now, and every event it had, oldest first."""

    board_key: str
    external_id: str
    state: str
    posting: Posting
    first_seen_at: datetime
    changed_at: datetime
    closed_at: datetime | None
    events: list[StoredEvent] = field(default_factory=list)
    chain: Repost | None = None  # for a repost: what it reposted, and where the job began

    @property
    def started(self) -> tuple[datetime | None, datetime]:
        return _started(self.posting, self.first_seen_at, self.chain)


def _started(
    posting: Posting, first_seen_at: datetime, chain: Repost | None
) -> tuple[datetime | None, datetime]:
    """(posted, first seen) of the job: along a chain of reposts, its first posting's."""
    if chain is None:
        return posting.posted_at, first_seen_at
    return chain.start(posting.posted_at)


@dataclass(frozen=True)
class OpenSpan:
    """What the open-postings chart needs of one posting: when it was first
    seen, its state now, and its closes and reopens in time order."""

    board_key: str
    company: str
    first_seen_at: datetime
    state: str
    closed_at: datetime | None
    changes: tuple[tuple[datetime, str], ...]  # (when, "closed" | "reopened")


_EVENT_COLUMNS = (
    events.c.id,
    boards.c.key,
    events.c.external_id,
    events.c.kind,
    events.c.posting,
    events.c.changes,
    events.c.occurred_at,
    events.c.first_seen_at,
    events.c.reposts,
    events.c.chain,
    events.c.open_as,
)


def _event(row: Any, sent: Sequence[tuple[str, str]] = ()) -> StoredEvent:
    event_id, key, external_id, kind, posting, changes, occurred_at, first_seen, reposts, chain, open_as = row
    return StoredEvent(
        event_id,
        key,
        external_id,
        kind,
        Posting.from_dict(posting),
        changes,
        occurred_at,
        tuple(sent),
        first_seen,
        Repost.from_dict(reposts) if reposts else None,
        Repost.from_dict(chain) if chain else None,
        open_as,
    )


class ViewQueries(Queries):
    def version(self) -> tuple[Any, ...]:
        """A token that changes whenever a poll writes anything the views
        show, cheap to read, for keeping a page made."""
        # Every write of postings comes with its board's last_polled_at (a
        # poll's own time; a page is kept only briefly should two polls' times
        # cross); new postings and events bring new ids. Read from the primary
        # keys and the small boards table: no scan of postings or events.
        queries = (
            sa.select(sa.func.max(postings.c.id)),
            sa.select(sa.func.max(events.c.id)),
            sa.select(
                sa.func.count(),
                sa.func.max(boards.c.last_polled_at),
                sa.func.max(boards.c.last_success_at),
                sa.func.sum(boards.c.consecutive_failures),
            ).select_from(boards),
        )
        with self.db.engine.connect() as conn:
            return tuple(value for query in queries for value in conn.execute(query).one())

    def open_postings(self, board_keys: Iterable[str] | None = None) -> list[OpenPosting]:
        """Every open posting (of these boards), in no particular order."""
        query = (
            sa.select(
                boards.c.key,
                postings.c.external_id,
                postings.c.data,
                postings.c.first_seen_at,
                postings.c.changed_at,
                postings.c.chain,
            )
            .join(boards, boards.c.id == postings.c.board_id)
            .where(postings.c.state == "open")
        )
        found: list[OpenPosting] = []
        with self.db.engine.connect() as conn:
            if board_keys is None:
                rows: Iterable[Any] = conn.execute(query)
            else:
                keys = sorted(set(board_keys))
                rows = [
                    r
                    for chunk in chunked(keys, IN_LIST_MAX)
                    for r in conn.execute(query.where(boards.c.key.in_(chunk)))
                ]
            for key, external_id, data, first_seen, changed, chain in rows:
                earlier = Repost.from_dict(chain) if chain else None
                found.append(
                    OpenPosting(key, external_id, Posting.from_dict(data), first_seen, changed, earlier)
                )
        return found

    def events(
        self,
        *,
        board_keys: Iterable[str] | None = None,
        since: datetime | None = None,
        before: tuple[datetime, int] | None = None,
        limit: int = 200,
        with_deliveries: bool = False,
    ) -> list[StoredEvent]:
        """Stored events, newest first (of these boards, since then, older
        than `before`: the (occurred_at, id) of the last one of a page)."""
        query = sa.select(*_EVENT_COLUMNS).join(boards, boards.c.id == events.c.board_id)
        if since is not None:
            query = query.where(events.c.occurred_at >= since)
        if before is not None:
            at, event_id = before
            query = query.where(
                sa.or_(events.c.occurred_at < at, sa.and_(events.c.occurred_at == at, events.c.id < event_id))
            )
        query = query.order_by(events.c.occurred_at.desc(), events.c.id.desc()).limit(limit)
        with self.db.engine.connect() as conn:
            if board_keys is None:
                rows = list(conn.execute(query))
            else:
                keys = sorted(set(board_keys))
                rows = [
                    r
                    for chunk in chunked(keys, IN_LIST_MAX)
                    for r in conn.execute(query.where(boards.c.key.in_(chunk)))
                ]
                rows.sort(key=lambda r: (r.occurred_at, r.id), reverse=True)
                rows = rows[:limit]
            sent = self._deliveries(conn, [r.id for r in rows]) if with_deliveries else {}
        return [_event(r, sent.get(r.id, ())) for r in rows]

    @staticmethod
    def _deliveries(conn: sa.Connection, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        found: dict[int, list[tuple[str, str]]] = {}
        query = sa.select(deliveries.c.event_id, deliveries.c.channel, deliveries.c.status)
        for chunk in chunked(sorted(ids), IN_LIST_MAX):
            rows = conn.execute(query.where(deliveries.c.event_id.in_(chunk)).order_by(deliveries.c.channel))
            for event_id, channel, status in rows:
                found.setdefault(event_id, []).append((channel, status))
        return found

    def posting_of(self, board_key: str, external_id: str) -> Posting | None:
        """The posting as stored now, or None."""
        query = (
            sa.select(postings.c.data)
            .join(boards, boards.c.id == postings.c.board_id)
            .where(boards.c.key == board_key, postings.c.external_id == external_id)
        )
        with self.db.engine.connect() as conn:
            data = conn.execute(query).scalar_one_or_none()
        return Posting.from_dict(data) if data is not None else None

    def posting_life(self, board_key: str, external_id: str) -> PostingLife | None:
        query = (
            sa.select(
                postings.c.board_id,
                postings.c.state,
                postings.c.data,
                postings.c.first_seen_at,
                postings.c.changed_at,
                postings.c.closed_at,
                postings.c.chain,
            )
            .join(boards, boards.c.id == postings.c.board_id)
            .where(boards.c.key == board_key, postings.c.external_id == external_id)
        )
        with self.db.engine.connect() as conn:
            row = conn.execute(query).one_or_none()
            if row is None:
                return None
            history = (
                sa.select(*_EVENT_COLUMNS)
                .join(boards, boards.c.id == events.c.board_id)
                .where(events.c.board_id == row.board_id, events.c.external_id == external_id)
                .order_by(events.c.occurred_at, events.c.id)
            )
            rows = list(conn.execute(history))
            sent = self._deliveries(conn, [r.id for r in rows])
        return PostingLife(
            board_key,
            external_id,
            row.state,
            Posting.from_dict(row.data),
            row.first_seen_at,
            row.changed_at,
            row.closed_at,
            [_event(r, sent.get(r.id, ())) for r in rows],
            Repost.from_dict(row.chain) if row.chain else None,
        )

    def open_spans(self) -> list[OpenSpan]:
        """Every posting's open and closed times, for the chart.

        Reads the company out of the stored JSON rather than whole postings.
        """
        spans = sa.select(
            postings.c.board_id,
            postings.c.external_id,
            boards.c.key,
            postings.c.data["company"].as_string(),
            postings.c.first_seen_at,
            postings.c.state,
            postings.c.closed_at,
        ).join(boards, boards.c.id == postings.c.board_id)
        moves = (
            sa.select(events.c.board_id, events.c.external_id, events.c.occurred_at, events.c.kind)
            .where(events.c.kind.in_(["closed", "reopened"]))
            .order_by(events.c.occurred_at, events.c.id)
        )
        with self.db.engine.connect() as conn:
            changes: dict[tuple[int, str], list[tuple[datetime, str]]] = {}
            for board_id, external_id, when, kind in conn.execute(moves):
                changes.setdefault((board_id, external_id), []).append((when, kind))
            return [
                OpenSpan(
                    key,
                    name or key,
                    first_seen,
                    state,
                    closed_at,
                    tuple(changes.get((board_id, external_id), ())),
                )
                for board_id, external_id, key, name, first_seen, state, closed_at in conn.execute(spans)
            ]
