"""Per-channel state (digest periods, last send) and the queries behind
`alerts status` and `alerts retry`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.store.db import IN_LIST_MAX, Database, Queries
from alerts.store.tables import channels, deliveries


@dataclass
class ChannelState:
    """One channel's outbox in numbers, for `alerts status`."""

    counts: dict[str, int] = field(default_factory=dict)  # by status
    unconfirmed: int = 0
    next_retry: datetime | None = None
    last_error: str | None = None
    last_sent_at: datetime | None = None
    last_digest_at: datetime | None = None


class ChannelQueries(Queries):
    def requeue(
        self,
        now: datetime,
        *,
        only: Iterable[str] | None = None,
        dead: bool = False,
        unconfirmed: bool = False,
    ) -> int:
        """`alerts retry`: failed rows (and dead or unconfirmed ones when asked)
        become due now with a fresh attempt count. Returns how many."""
        statuses = ["failed", *(["dead"] if dead else [])]
        where: sa.ColumnElement[bool] = deliveries.c.status.in_(statuses)
        if unconfirmed:
            where = sa.or_(where, deliveries.c.unconfirmed_targets.is_not(None))
        if only is not None:
            where = sa.and_(where, deliveries.c.channel.in_(list(only)))
        query = (
            sa.select(deliveries.c.id, deliveries.c.sent_targets, deliveries.c.unconfirmed_targets)
            .where(where)
            .order_by(deliveries.c.id)
        )
        if self.db.dialect == "postgresql":
            # Rows locked in id order, as a run's writes lock them: `alerts
            # retry` beside a run waits for its rows instead of deadlocking.
            query = query.with_for_update()
        with self.db.tx() as conn:
            rows = conn.execute(query).all()
            updates = []
            for row_id, sent, doubtful in rows:
                # An unconfirmed target is owed the row again only when asked.
                keep = set(sent) - set(doubtful or []) if unconfirmed else set(sent)
                updates.append({"did": row_id, "new_targets": sorted(keep)})
            if updates:
                stmt = (
                    sa.update(deliveries)
                    .where(deliveries.c.id == sa.bindparam("did"))
                    .values(
                        status="failed",
                        attempts=0,
                        first_failed_at=None,
                        next_attempt_at=now,
                        sent_at=None,
                        sent_targets=sa.bindparam("new_targets"),
                        unconfirmed_targets=None if unconfirmed else deliveries.c.unconfirmed_targets,
                    )
                )
                conn.execute(stmt, updates)
        return len(updates)

    def last_digest(self, channel: str) -> datetime | None:
        with self.db.engine.connect() as conn:
            return conn.execute(
                sa.select(channels.c.last_digest_at).where(channels.c.name == channel)
            ).scalar_one_or_none()

    def last_digests(self) -> dict[str, datetime]:
        """When each channel's digest period last closed (channels never closed are missing)."""
        query = sa.select(channels.c.name, channels.c.last_digest_at).where(
            channels.c.last_digest_at.is_not(None)
        )
        with self.db.engine.connect() as conn:
            return {name: when for name, when in conn.execute(query)}

    def set_last_digests(self, names: Iterable[str], when: datetime) -> None:
        with self.db.tx() as conn:
            upsert_channels(self.db, conn, sorted(set(names)), last_digest_at=when)

    def channel_states(self) -> dict[str, ChannelState]:
        states: dict[str, ChannelState] = {}
        counts = sa.select(
            deliveries.c.channel,
            deliveries.c.status,
            sa.func.count(),
            sa.func.count(deliveries.c.unconfirmed_targets),
            sa.func.min(deliveries.c.next_attempt_at),
        ).group_by(deliveries.c.channel, deliveries.c.status)
        # The most recent failure's reason per channel.
        latest = (
            sa.select(deliveries.c.channel, deliveries.c.last_error)
            .where(deliveries.c.status.in_(["failed", "dead"]), deliveries.c.last_error.is_not(None))
            .order_by(deliveries.c.last_attempt_at.desc().nulls_last(), deliveries.c.id.desc())
        )
        with self.db.engine.connect() as conn:
            for channel, status, n, doubtful, soonest in conn.execute(counts):
                state = states.setdefault(channel, ChannelState())
                state.counts[status] = n
                state.unconfirmed += doubtful
                if status == "failed":
                    state.next_retry = soonest
            for channel, error in conn.execute(latest):
                state = states.setdefault(channel, ChannelState())
                state.last_error = state.last_error or error
            for name, digest_at, sent_at in conn.execute(
                sa.select(channels.c.name, channels.c.last_digest_at, channels.c.last_sent_at)
            ):
                state = states.setdefault(name, ChannelState())
                state.last_digest_at, state.last_sent_at = digest_at, sent_at
        return states


def upsert_channels(db: Database, conn: sa.Connection, names: Sequence[str], **values: datetime) -> None:
    """Set these columns of the channels' rows, creating rows never seen."""
    for chunk in chunked(names, IN_LIST_MAX):
        stmt = db.insert(channels).values([{"name": name, **values} for name in chunk])
        conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=values))
