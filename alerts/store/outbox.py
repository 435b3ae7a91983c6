"""The outbox (one row per channel and event) and per-channel state.

A row is pending until its first send, failed while it waits for a retry,
then sent or dead. Outcomes are recorded per channel URL ("target", by
fingerprint), so a channel with several URLs never repeats a row to one
that already took it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from alerts.model import Event, Pending, Posting
from alerts.store.channels import ChannelQueries
from alerts.store.tables import deliveries, events

# Statuses a delivery pass may still send.
OPEN = ("pending", "failed")
INTERRUPTED = "the process stopped while sending; it may not have arrived"


@dataclass(frozen=True)
class Queued:
    """A pending delivery and the channel URLs (fingerprints) it already reached."""

    pending: Pending
    sent_targets: frozenset[str]
    status: str = "pending"
    next_attempt_at: datetime | None = None


class OutboxQueries(ChannelQueries):
    def queued(self, channel: str, now: datetime | None, *, new: bool = True) -> list[Queued]:
        """Rows a pass may send, oldest first.

        Failed rows whose retry is due (all of them when `now` is None: run
        --once ignores back-off), and with `new` the rows never tried yet.
        """
        retry = deliveries.c.status == "failed"
        if now is not None:
            retry = sa.and_(retry, deliveries.c.next_attempt_at <= now)
        which = sa.or_(retry, deliveries.c.status == "pending") if new else retry
        return self._queued(sa.and_(deliveries.c.channel == channel, which))

    def open_items(self, channel: str | None = None) -> list[Queued]:
        """Every row not yet sent nor dead (for `alerts preview`)."""
        where = deliveries.c.status.in_(OPEN)
        if channel is not None:
            where = sa.and_(where, deliveries.c.channel == channel)
        return self._queued(where)

    def _queued(self, where: sa.ColumnElement[bool]) -> list[Queued]:
        query = (
            sa.select(
                deliveries.c.id,
                deliveries.c.channel,
                deliveries.c.status,
                deliveries.c.subscriptions,
                deliveries.c.attempts,
                deliveries.c.sent_targets,
                deliveries.c.next_attempt_at,
                events.c.id.label("event_id"),
                events.c.kind,
                events.c.external_id,
                events.c.changes,
                events.c.posting,
                events.c.occurred_at,
            )
            .join(events, events.c.id == deliveries.c.event_id)
            .where(where)
            .order_by(deliveries.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            posting = Posting.from_dict(r.posting)
            event = Event(
                r.kind, posting.board_key, r.external_id, posting, r.changes, r.occurred_at, r.event_id
            )
            pending = Pending(r.id, r.channel, event, tuple(r.subscriptions), r.attempts)
            out.append(Queued(pending, frozenset(r.sent_targets), r.status, r.next_attempt_at))
        return out

    def pending_channels(self) -> list[str]:
        """Channels with rows to send now or later (pending or failed)."""
        query = sa.select(deliveries.c.channel).where(deliveries.c.status.in_(OPEN)).distinct()
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def mark_sending(self, ids: list[int], target: str, now: datetime) -> None:
        """Written just before a send: if the process dies now, the next pass knows."""
        with self._tx() as conn:
            conn.execute(
                sa.update(deliveries)
                .where(deliveries.c.id.in_(ids))
                .values(sending_target=target, sending_since=now, last_attempt_at=now)
            )

    def settle_interrupted(self, channel: str, all_targets: set[str], now: datetime) -> int:
        """Rows a dead process was sending: their outcome is unknown, so they are
        recorded as sent but unconfirmed (like a timeout), never sent again on
        their own. Call it only while holding the channel's lease."""
        query = sa.select(deliveries.c.id, deliveries.c.sending_target).where(
            deliveries.c.channel == channel, deliveries.c.sending_target.is_not(None)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        by_target: dict[str, list[int]] = {}
        for row_id, target in rows:
            by_target.setdefault(target, []).append(row_id)
        for target, ids in by_target.items():
            self.mark_sent(ids, target, all_targets, now, unconfirmed=INTERRUPTED)
        return len(rows)

    def mark_sent(
        self,
        ids: list[int],
        target: str,
        all_targets: set[str],
        now: datetime,
        *,
        unconfirmed: str | None = None,
    ) -> None:
        """Record that `target` took these rows; a row is sent once every target has.

        `unconfirmed` is why the send may not have arrived (a timeout): the row
        still counts as sent, so it is not repeated, and `alerts status` shows it.
        """
        columns = (deliveries.c.id, deliveries.c.sent_targets, deliveries.c.status)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(*columns, deliveries.c.unconfirmed_targets).where(deliveries.c.id.in_(ids))
            ).all()
            updates = []
            for row_id, sent, status, doubtful in rows:
                done = sorted(set(sent) | {target})
                finished = all_targets <= set(done)
                doubtful = sorted(set(doubtful or []) | ({target} if unconfirmed else set())) or None
                updates.append(
                    {
                        "did": row_id,
                        "new_targets": done,
                        "new_status": "sent" if finished else status,
                        "new_sent_at": now if finished else None,
                        "new_unconfirmed": doubtful,
                    }
                )
            if updates:
                values: dict[str, Any] = {
                    "sent_targets": sa.bindparam("new_targets"),
                    "status": sa.bindparam("new_status"),
                    "sent_at": sa.bindparam("new_sent_at"),
                    "unconfirmed_targets": sa.bindparam(
                        "new_unconfirmed", type_=deliveries.c.unconfirmed_targets.type
                    ),
                    "sending_target": None,
                    "sending_since": None,
                }
                if unconfirmed:
                    values["last_error"] = unconfirmed
                stmt = sa.update(deliveries).where(deliveries.c.id == sa.bindparam("did")).values(**values)
                conn.execute(stmt, updates)
            channel = conn.execute(
                sa.select(deliveries.c.channel).where(deliveries.c.id.in_(ids)).limit(1)
            ).scalar_one_or_none()
            if channel is not None:
                self._upsert_channel(conn, channel, last_sent_at=now)

    def note_early_failure(self, ids: list[int], error: str, now: datetime) -> None:
        """A failed try made before the row's back-off ended (run --once tries
        everything): recorded, but it does not count toward max_attempts."""
        with self._tx() as conn:
            conn.execute(
                sa.update(deliveries)
                .where(deliveries.c.id.in_(ids))
                .values(last_error=error, last_attempt_at=now, sending_target=None, sending_since=None)
            )

    def mark_failed(
        self,
        ids: list[int],
        error: str,
        next_attempt_at: datetime,
        *,
        now: datetime | None = None,
        max_attempts: int | None = None,
        retry_for: timedelta | None = None,
    ) -> int:
        """Count a failed attempt; rows past `max_attempts` or failing for longer
        than `retry_for` become dead. Returns how many died."""
        now = now or next_attempt_at
        attempts = deliveries.c.attempts + 1
        since = sa.func.coalesce(deliveries.c.first_failed_at, now)
        too_many = attempts >= max_attempts if max_attempts else sa.false()
        too_old = since <= now - retry_for if retry_for is not None else sa.false()
        dies = sa.or_(too_many, too_old)
        with self._tx() as conn:
            dead = conn.execute(sa.select(sa.func.count()).where(deliveries.c.id.in_(ids), dies)).scalar_one()
            conn.execute(
                sa.update(deliveries)
                .where(deliveries.c.id.in_(ids))
                .values(
                    status=sa.case((dies, "dead"), else_="failed"),
                    attempts=attempts,
                    first_failed_at=since,
                    last_attempt_at=now,
                    last_error=error,
                    next_attempt_at=next_attempt_at,
                    sending_target=None,
                    sending_since=None,
                )
            )
        return dead
