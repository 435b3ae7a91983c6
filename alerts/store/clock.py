"""One clock for every process on a database: the database's own.

Leases and "sending" marks are compared across processes: a host whose clock
runs ten minutes ahead would take over every lease still held and count the
send in flight as unconfirmed. So on PostgreSQL a process reads its clock
offset from the database (at start, then now and then), and the times of its
leases and "sending" marks are its own clock plus that offset (everything
else, digests and quiet hours included, keeps the process's clock). SQLite
serves one process: its clock is the local one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.store.db import Database

log = logging.getLogger("alerts")

# Offsets under this are measuring noise, not worth a warning.
SKEW_WARNING = timedelta(seconds=5)
# How often a long-running process reads the offset again (clocks drift, NTP steps).
RESYNC_EVERY = timedelta(minutes=10)


class DatabaseClock:
    """`clock()` is the local clock plus the database's offset from it."""

    def __init__(self, db: Database, local: Callable[[], datetime]):
        self.db = db
        self.local = local
        self.offset = timedelta(0)
        self.synced_at: datetime | None = None

    def __call__(self) -> datetime:
        return self.local() + self.offset

    def due(self) -> bool:
        return self.synced_at is None or self.local() - self.synced_at >= RESYNC_EVERY

    def sync(self) -> None:
        """Read the offset (PostgreSQL; nothing to do on SQLite)."""
        if self.db.dialect != "postgresql":
            self.synced_at = self.local()
            return
        before = self.local()
        with self.db.engine.connect() as conn:
            remote = conn.execute(sa.select(sa.func.clock_timestamp())).scalar_one()
        after = self.local()
        offset = remote - (before + (after - before) / 2)
        if abs(offset) >= SKEW_WARNING and abs(offset - self.offset) >= SKEW_WARNING:
            log.warning(
                "this host's clock is %.0f s %s the database's; using the database's time",
                abs(offset.total_seconds()),
                "behind" if offset > timedelta(0) else "ahead of",
            )
        self.offset, self.synced_at = offset, after
