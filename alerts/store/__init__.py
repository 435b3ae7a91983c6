"""Every query. The only package that touches the database.

Methods are synchronous; the async cycle calls them through a worker thread.
Queries are grouped by what they serve: board rows (boards.py), snapshots of
postings and their events (snapshots.py), the outbox and channel state
(outbox.py, channels.py), the outcome of sends (sending.py), and who does
which work (leases.py).
"""

from __future__ import annotations

from alerts.store.base import StoreBase
from alerts.store.boards import BoardQueries, FetchState
from alerts.store.engine import ProcessLock
from alerts.store.leases import LeaseQueries
from alerts.store.outbox import OutboxQueries, Queued
from alerts.store.sending import Took
from alerts.store.snapshots import Applied, LeaseLost, Router, SnapshotQueries

__all__ = ["Applied", "FetchState", "LeaseLost", "ProcessLock", "Queued", "Router", "Store", "Took"]


class Store(SnapshotQueries, BoardQueries, LeaseQueries, OutboxQueries, StoreBase):
    pass
