"""The outbox: one row per channel and event, and the rows a pass may send.

A row is pending until its first send, failed while it waits for a retry,
then sent or dead. Outcomes are recorded per channel URL ("target", by
fingerprint), so a channel with several URLs never repeats a row to one
that already took it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import Delivery, Event, Notice, Posting, Repost
from alerts.store.db import IN_LIST_MAX, Queries
from alerts.store.tables import OPEN, boards, deliveries, events, notices


class OutboxQueries(Queries):
    def queued_many(self, channels: Mapping[str, bool], now: datetime | None) -> dict[str, list[Delivery]]:
        """Rows a pass may send, per channel, oldest first.

        Failed rows whose retry is due (all of them when `now` is None: run
        --once ignores back-off), and the rows never tried yet of the
        channels mapped to True (False: a digest not due yet).
        """
        retry = deliveries.c.status == "failed"
        if now is not None:
            retry = sa.and_(retry, deliveries.c.next_attempt_at <= now)
        out: dict[str, list[Delivery]] = {name: [] for name in channels}
        for chunk in chunked(sorted(channels), IN_LIST_MAX):
            new = [name for name in chunk if channels[name]]
            fresh = sa.and_(deliveries.c.status == "pending", deliveries.c.channel.in_(new))
            which = sa.or_(retry, fresh) if new else retry
            for queued in self._queued(sa.and_(deliveries.c.channel.in_(chunk), which)):
                out[queued.channel].append(queued)
        return out

    def open_items(self, channel: str | None = None) -> list[Delivery]:
        """Every row not yet sent nor dead (for `alerts preview`)."""
        where: sa.ColumnElement[bool] = deliveries.c.status.in_(OPEN)
        if channel is not None:
            where = sa.and_(where, deliveries.c.channel == channel)
        return self._queued(where)

    def _queued(self, where: sa.ColumnElement[bool]) -> list[Delivery]:
        query = (
            sa.select(
                deliveries.c.id,
                deliveries.c.channel,
                deliveries.c.status,
                deliveries.c.subscriptions,
                deliveries.c.attempts,
                deliveries.c.sent_targets,
                deliveries.c.next_attempt_at,
                deliveries.c.event_id,
                deliveries.c.notice_id,
            )
            .where(where)
            .order_by(deliveries.c.id)
        )
        with self.db.engine.connect() as conn:
            rows = conn.execute(query).all()
            # An event goes to many channels: it is read (and its posting
            # decoded) once, not once per row.
            found = self._events(conn, sorted({r.event_id for r in rows if r.event_id is not None}))
            told = self._notices(conn, sorted({r.notice_id for r in rows if r.notice_id is not None}))
        return [
            Delivery(
                r.id,
                r.channel,
                found[r.event_id] if r.event_id is not None else told[r.notice_id],
                tuple(r.subscriptions),
                r.attempts,
                r.status,
                frozenset(r.sent_targets),
                r.next_attempt_at,
            )
            for r in rows
        ]

    @staticmethod
    def _events(conn: sa.Connection, ids: list[int]) -> dict[int, Event]:
        found: dict[int, Event] = {}
        columns = (events.c.id, events.c.kind, events.c.external_id, events.c.changes, events.c.posting)
        extra = (
            events.c.occurred_at,
            events.c.first_seen_at,
            events.c.reposts,
            events.c.chain,
            events.c.open_as,
        )
        for chunk in chunked(ids, IN_LIST_MAX):
            query = sa.select(*columns, *extra).where(events.c.id.in_(chunk))
            for r in conn.execute(query):
                posting = Posting.from_dict(r.posting)
                found[r.id] = Event(
                    r.kind,
                    posting.board_key,
                    r.external_id,
                    posting,
                    r.changes,
                    r.occurred_at,
                    r.id,
                    first_seen_at=r.first_seen_at,
                    reposts=Repost.from_dict(r.reposts) if r.reposts else None,
                    chain=Repost.from_dict(r.chain) if r.chain else None,
                    open_as=r.open_as,
                )
        return found

    @staticmethod
    def _notices(conn: sa.Connection, ids: list[int]) -> dict[int, Notice]:
        found: dict[int, Notice] = {}
        columns = (notices.c.id, notices.c.kind, boards.c.key, notices.c.failures, notices.c.error)
        for chunk in chunked(ids, IN_LIST_MAX):
            query = (
                sa.select(*columns, notices.c.occurred_at)
                .join(boards, boards.c.id == notices.c.board_id)
                .where(notices.c.id.in_(chunk))
            )
            for r in conn.execute(query):
                found[r.id] = Notice(r.kind, r.key, r.failures, r.error, r.occurred_at, r.id)
        return found

    def pending_channels(self) -> list[str]:
        """Channels with rows to send now or later (pending or failed)."""
        query = sa.select(deliveries.c.channel).where(deliveries.c.status.in_(OPEN)).distinct()
        with self.db.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def pending_count(self) -> int:
        """Rows not yet sent nor dead (for /metrics)."""
        waiting = deliveries.c.status.in_(OPEN)
        query = sa.select(sa.func.count()).select_from(deliveries).where(waiting)
        with self.db.engine.connect() as conn:
            return conn.execute(query).scalar_one()
