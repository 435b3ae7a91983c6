"""Every query. The only package that touches the database.

Methods are synchronous; the async cycle calls them through a worker thread.
`Store` holds one query group per concern, all over one database handle:

    store.boards     board rows: which exist, how their polls went (boards.py)
    store.snapshots  a board's new snapshot reconciled and written (snapshots.py)
    store.unchanged  304s: the last snapshot again, counting misses (unchanged.py)
    store.leases     who polls which board and delivers to which channel (leases.py)
    store.outbox     the rows a delivery pass may send (outbox.py)
    store.sends      what happened to sends: sending, sent, failed, dead (sending.py)
    store.channels   per-channel state, `alerts status` and `alerts retry` (channels.py)
    store.cache      what sources keep between polls of a board (cache.py)
    store.views      read-only views: open postings, events, a posting's life (views.py)
"""

from __future__ import annotations

import sqlalchemy as sa

from alerts.store.announce import Announcer
from alerts.store.boards import BoardQueries, FetchState
from alerts.store.cache import CacheQueries
from alerts.store.channels import ChannelQueries, ChannelState
from alerts.store.clock import DatabaseClock
from alerts.store.db import Database, database_problem, store_reason
from alerts.store.engine import ProcessLock
from alerts.store.leases import LeaseQueries
from alerts.store.notices import Ops
from alerts.store.outbox import OutboxQueries
from alerts.store.sending import SendQueries, SentPart
from alerts.store.snapshots import LeaseLost, Router, SnapshotQueries, WrittenSnapshot
from alerts.store.unchanged import UnchangedQueries
from alerts.store.views import OpenPosting, OpenSpan, PostingLife, StoredEvent, ViewQueries

__all__ = [
    "ChannelState",
    "DatabaseClock",
    "FetchState",
    "LeaseLost",
    "Ops",
    "OpenPosting",
    "OpenSpan",
    "PostingLife",
    "ProcessLock",
    "Router",
    "SentPart",
    "Store",
    "StoredEvent",
    "WrittenSnapshot",
    "database_problem",
    "store_reason",
]


class Store:
    def __init__(self, url: str):
        self.db = Database(url)
        self.boards = BoardQueries(self.db)
        announcer = Announcer()  # one, so both know whether any board is an aggregator
        self.snapshots = SnapshotQueries(self.db, announcer)
        self.unchanged = UnchangedQueries(self.db, announcer)
        self.leases = LeaseQueries(self.db)
        self.outbox = OutboxQueries(self.db)
        self.sends = SendQueries(self.db)
        self.channels = ChannelQueries(self.db)
        self.cache = CacheQueries(self.db)
        self.views = ViewQueries(self.db)

    @property
    def engine(self) -> sa.Engine:
        return self.db.engine

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def upgrade(self) -> None:
        self.db.upgrade()

    def ping(self) -> bool:
        return self.db.ping()

    def close(self) -> None:
        self.db.close()
