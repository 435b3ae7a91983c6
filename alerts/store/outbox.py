"""The outbox (one row per channel and event) and per-channel state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from alerts.model import Event, Pending, Posting
from alerts.store.base import StoreBase
from alerts.store.tables import channels, deliveries, events


@dataclass(frozen=True)
class Queued:
    """A pending delivery and the channel URLs (fingerprints) it already reached."""

    pending: Pending
    sent_targets: frozenset[str]


class OutboxQueries(StoreBase):
    def queued(self, channel: str, now: datetime | None) -> list[Queued]:
        """Pending deliveries for a channel, oldest first; `now=None` ignores back-off."""
        query = (
            sa.select(
                deliveries.c.id,
                deliveries.c.subscriptions,
                deliveries.c.attempts,
                deliveries.c.sent_targets,
                events.c.id.label("event_id"),
                events.c.kind,
                events.c.external_id,
                events.c.changes,
                events.c.posting,
                events.c.occurred_at,
            )
            .join(events, events.c.id == deliveries.c.event_id)
            .where(deliveries.c.channel == channel, deliveries.c.status == "pending")
            .order_by(deliveries.c.id)
        )
        if now is not None:
            query = query.where(deliveries.c.next_attempt_at <= now)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            posting = Posting.from_dict(r.posting)
            event = Event(
                r.kind, posting.board_key, r.external_id, posting, r.changes, r.occurred_at, r.event_id
            )
            pending = Pending(r.id, channel, event, tuple(r.subscriptions), r.attempts)
            out.append(Queued(pending, frozenset(r.sent_targets)))
        return out

    def pending_channels(self) -> list[str]:
        query = sa.select(deliveries.c.channel).where(deliveries.c.status == "pending").distinct()
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def mark_sent(self, ids: list[int], target: str, all_targets: set[str], now: datetime) -> None:
        """Record that `target` took these deliveries; a row is sent once every target has."""
        with self.engine.begin() as conn:
            rows = conn.execute(
                sa.select(deliveries.c.id, deliveries.c.sent_targets).where(deliveries.c.id.in_(ids))
            ).all()
            updates = []
            for row_id, sent in rows:
                done = sorted(set(sent) | {target})
                finished = all_targets <= set(done)
                updates.append(
                    {
                        "did": row_id,
                        "new_targets": done,
                        "new_status": "sent" if finished else "pending",
                        "new_sent_at": now if finished else None,
                    }
                )
            if updates:
                conn.execute(
                    sa.update(deliveries)
                    .where(deliveries.c.id == sa.bindparam("did"))
                    .values(
                        sent_targets=sa.bindparam("new_targets"),
                        status=sa.bindparam("new_status"),
                        sent_at=sa.bindparam("new_sent_at"),
                    ),
                    updates,
                )

    def mark_failed(self, ids: list[int], error: str, next_attempt_at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(deliveries)
                .where(deliveries.c.id.in_(ids))
                .values(
                    attempts=deliveries.c.attempts + 1,
                    last_error=error,
                    next_attempt_at=next_attempt_at,
                )
            )

    def last_digest(self, channel: str) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(channels.c.last_digest_at).where(channels.c.name == channel)
            ).scalar_one_or_none()

    def set_last_digest(self, channel: str, when: datetime) -> None:
        stmt = self._insert(channels).values(name=channel, last_digest_at=when)
        with self.engine.begin() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"last_digest_at": when}))

    def delivery_counts(self) -> dict[tuple[str, str], int]:
        query = sa.select(deliveries.c.channel, deliveries.c.status, sa.func.count()).group_by(
            deliveries.c.channel, deliveries.c.status
        )
        with self.engine.connect() as conn:
            return {(channel, status): n for channel, status, n in conn.execute(query)}
