"""Leases: which process polls which board, and delivers to which channel.

A lease is a row updated in one statement that only succeeds when nobody
else holds it (or their lease ran out), so any number of processes on one
PostgreSQL database share the work and a dead process's work is taken over
once its leases expire.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.store.db import IN_LIST_MAX, Queries
from alerts.store.tables import boards, leases


def _free(table: sa.Table, now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(table.c.lease_until.is_(None), table.c.lease_until < now)


class LeaseQueries(Queries):
    def claim_boards(
        self,
        owner: str,
        keys: Iterable[str],
        now: datetime,
        lease: timedelta,
        *,
        limit: int,
        due_only: bool = True,
        honour_backoff: bool = False,
    ) -> list[str]:
        """Claim up to `limit` of these boards that are due and free; returns their keys.

        `due_only=False` claims boards before their next poll too (run
        --once); with `honour_backoff`, except failing boards still waiting
        out their back-off.
        """
        keys = list(keys)
        if not keys or limit <= 0:
            return []
        candidates = sa.select(boards.c.id).where(boards.c.key.in_(keys), _free(boards, now))
        due = sa.or_(boards.c.next_poll_at.is_(None), boards.c.next_poll_at <= now)
        if due_only:
            candidates = candidates.where(due)
        elif honour_backoff:
            candidates = candidates.where(sa.or_(boards.c.consecutive_failures == 0, due))
        candidates = candidates.order_by(boards.c.next_poll_at).limit(limit)
        if self.db.dialect == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        stmt = (
            sa.update(boards)
            # Re-check freedom in the UPDATE itself: on SQLite there is no
            # FOR UPDATE, and this keeps the single statement safe.
            .where(boards.c.id.in_(candidates.scalar_subquery()), _free(boards, now))
            .values(lease_owner=owner, lease_until=now + lease)
            .returning(boards.c.key)
        )
        with self.db.tx() as conn:
            return list(conn.execute(stmt).scalars())

    def release_board(self, owner: str, key: str) -> None:
        with self.db.tx() as conn:
            conn.execute(
                sa.update(boards)
                .where(boards.c.key == key, boards.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )

    def take_over(self, owner: str) -> None:
        """Every lease held by anyone but `owner` handed back: only for SQLite,
        where holding the ProcessLock proves that no other process runs, so
        a lease left by a killed one need not run out first."""
        with self.db.tx() as conn:
            conn.execute(
                sa.update(boards)
                .where(boards.c.lease_owner.is_not(None), boards.c.lease_owner != owner)
                .values(lease_owner=None, lease_until=None)
            )
            conn.execute(
                sa.update(leases)
                .where(leases.c.owner.is_not(None), leases.c.owner != owner)
                .values(owner=None, until=None)
            )

    def release_all(self, owner: str) -> None:
        """A clean shutdown hands everything back at once instead of letting leases expire."""
        with self.db.tx() as conn:
            conn.execute(
                sa.update(boards)
                .where(boards.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )
            conn.execute(sa.delete(leases).where(leases.c.owner == owner))

    def claim_many(self, owner: str, names: Iterable[str], now: datetime, lease: timedelta) -> set[str]:
        """Named leases taken at once: those this owner now holds (new or renewed)."""
        # Sorted, so two processes claiming overlapping sets insert rows in
        # the same order and cannot deadlock on PostgreSQL.
        names = sorted(set(names))
        held: set[str] = set()
        with self.db.tx() as conn:
            for chunk in chunked(names, IN_LIST_MAX):
                conn.execute(
                    self.db.insert(leases)
                    .values([{"name": name, "owner": None, "until": None} for name in chunk])
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                held |= self._take(conn, owner, chunk, now, lease)
        return held

    def renew(self, owner: str, names: Iterable[str], now: datetime, lease: timedelta) -> set[str]:
        """Extend leases that still name this owner (held, or run out with
        nobody taking them since); returns those. A name missing from the
        answer was taken by another process, even if it has released it
        again: what this owner loaded may be stale, so stop working on it."""
        names = sorted(set(names))
        if not names:
            return set()
        held: set[str] = set()
        with self.db.tx() as conn:
            for chunk in chunked(names, IN_LIST_MAX):
                stmt = (
                    sa.update(leases)
                    .where(leases.c.name.in_(chunk), leases.c.owner == owner)
                    .values(until=now + lease)
                    .returning(leases.c.name)
                )
                held |= set(conn.execute(stmt).scalars())
        return held

    def _take(
        self, conn: sa.Connection, owner: str, names: Sequence[str], now: datetime, lease: timedelta
    ) -> set[str]:
        free = sa.or_(leases.c.owner == owner, leases.c.until.is_(None), leases.c.until < now)
        candidates = sa.select(leases.c.name).where(leases.c.name.in_(names), free)
        if self.db.dialect == "postgresql":
            # A row another process is claiming or releasing right now is
            # skipped rather than waited for: no lock-order deadlocks.
            candidates = candidates.with_for_update(skip_locked=True)
        stmt = (
            sa.update(leases)
            # Free again in the UPDATE itself, as in claim_boards.
            .where(leases.c.name.in_(candidates.scalar_subquery()), free)
            .values(owner=owner, until=now + lease)
            .returning(leases.c.name)
        )
        return set(conn.execute(stmt).scalars())

    def release_many(self, owner: str, names: Iterable[str]) -> None:
        names = sorted(set(names))
        with self.db.tx() as conn:
            for chunk in chunked(names, IN_LIST_MAX):
                conn.execute(
                    sa.update(leases)
                    .where(leases.c.name.in_(chunk), leases.c.owner == owner)
                    .values(owner=None, until=None)
                )
