"""One-row forms of store queries, for tests: the product only uses the
many-row forms (a pass or a cycle asks about many rows at once)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.model import BoardRef, Delivery
from alerts.store import FetchState, SentPart, Store
from alerts.store.tables import deliveries


def queued(store: Store, channel: str, now: datetime | None, *, new: bool = True) -> list[Delivery]:
    return store.outbox.queued_many({channel: new}, now)[channel]


def mark_sending(store: Store, ids: list[int], target: str, now: datetime) -> None:
    store.sends.mark_sending_many([(target, ids)], now)


def mark_sent(
    store: Store,
    ids: list[int],
    target: str,
    all_targets: Iterable[str],
    now: datetime,
    *,
    unconfirmed: str | None = None,
) -> None:
    store.sends.record_sent([SentPart(ids, target, frozenset(all_targets), unconfirmed)], now)


def settle_interrupted(store: Store, channel: str, all_targets: Iterable[str], now: datetime) -> int:
    return store.sends.settle_interrupted_many({channel: frozenset(all_targets)}, now).get(channel, 0)


def claim(store: Store, owner: str, name: str, now: datetime, lease: timedelta) -> bool:
    return name in store.leases.claim_many(owner, [name], now, lease)


def release(store: Store, owner: str, name: str) -> None:
    store.leases.release_many(owner, [name])


def set_last_digest(store: Store, channel: str, when: datetime) -> None:
    store.channels.set_last_digests([channel], when)


def fetch_state(store: Store, board: BoardRef) -> FetchState:
    return store.boards.fetch_states([board.key])[board.key]


def record_not_modified(
    store: Store, board: BoardRef, now: datetime, next_poll_at: datetime | None = None
) -> None:
    store.unchanged.record_many([(board, now, next_poll_at)], close_after_misses=2)


def delivery_counts(store: Store) -> dict[tuple[str, str], int]:
    query = sa.select(deliveries.c.channel, deliveries.c.status, sa.func.count()).group_by(
        deliveries.c.channel, deliveries.c.status
    )
    with store.engine.connect() as conn:
        return {(channel, status): n for channel, status, n in conn.execute(query)}
