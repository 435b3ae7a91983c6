"""Every query. The only package that touches the database.

Methods are synchronous; the async cycle calls them through a worker thread.
Queries are grouped by what they serve: boards and postings (boards.py), the
outbox and channel state (outbox.py).
"""

from __future__ import annotations

from alerts.store.base import StoreBase
from alerts.store.boards import BoardQueries, Router
from alerts.store.outbox import OutboxQueries, Queued

__all__ = ["Queued", "Router", "Store"]


class Store(BoardQueries, OutboxQueries, StoreBase):
    pass
