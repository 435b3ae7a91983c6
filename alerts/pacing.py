"""When to poll a board next, and when an incremental fetch is enough. Pure."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from alerts.backoff import failing_board

# Sources with an incremental mode still take a complete snapshot this often,
# so that postings that vanished without a trace are noticed and closed.
FULL_SNAPSHOT_EVERY = timedelta(hours=6)
# Incremental fetches reach back a little before the last success: clocks drift.
INCREMENTAL_OVERLAP = timedelta(minutes=5)


def next_poll(interval: timedelta, jitter: timedelta, now: datetime) -> datetime:
    return now + interval + jitter * random.random()


# A server's Retry-After is honoured up to this (sources clamp it already).
MAX_RETRY_AFTER = timedelta(days=1)


def after_failure(interval: timedelta, failures: int, retry_after: float | None) -> timedelta:
    asked = timedelta(seconds=min(max(retry_after or 0.0, 0.0), MAX_RETRY_AFTER.total_seconds()))
    return max(failing_board(interval).delay(failures), asked)


def incremental_since(source: Any, state: Any, now: datetime) -> datetime | None:
    """The `since` of an incremental fetch, or None for a complete snapshot."""
    if not getattr(source, "incremental", False) or not state.baselined:
        return None
    if state.last_full_at is None or now - state.last_full_at >= FULL_SNAPSHOT_EVERY:
        return None
    if state.last_success_at is None:
        return None
    return state.last_success_at - INCREMENTAL_OVERLAP
