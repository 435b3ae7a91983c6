"""Events and their outbox rows, written inside a board's transaction: by a
new snapshot (snapshots.py) and by a 304 that counts a miss (unchanged.py).

A job seen through two boards (bluedoor and its own ATS board) is queued
once per channel: the second board's same change is stored, not announced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import Event, Posting
from alerts.store.db import IN_LIST_MAX
from alerts.store.reposts import ELSEWHERE_KINDS, open_elsewhere
from alerts.store.tables import boards, deliveries, events

# (event, is_baseline) -> {channel: [subscription names]}
Router = Callable[[Event, bool], dict[str, list[str]]]
# The same change reported by another source (bluedoor and the ATS board)
# within this window is not announced again on a channel.
SAME_CHANGE_WINDOW = timedelta(days=7)
AGGREGATORS = ("bluedoor",)
AGGREGATOR_RECHECK = timedelta(minutes=1)

_INSERT_EVENTS = sa.insert(events).returning(events.c.id, sort_by_parameter_order=True)
_INSERT_DELIVERIES = sa.insert(deliveries)


class Announcer:
    # Whether any board is an aggregator, and when that was last asked: the
    # cross-source check costs a query per board, and most setups have none.
    _aggregator_seen: tuple[bool, datetime] | None = None

    def _any_aggregator(self, conn: sa.Connection, now: datetime) -> bool:
        if self._aggregator_seen is None or now - self._aggregator_seen[1] > AGGREGATOR_RECHECK:
            query = sa.select(sa.exists().where(boards.c.source.in_(AGGREGATORS)))
            self._aggregator_seen = (bool(conn.execute(query).scalar()), now)
        return self._aggregator_seen[0]

    def write(
        self,
        conn: sa.Connection,
        board_id: int,
        found: Sequence[Event],
        route: Router,
        now: datetime,
        *,
        baseline: bool = False,
        window: timedelta | None = None,
    ) -> list[Event]:
        """Store these events of one board and queue them where they are routed;
        returns them as stored (with ids). A `closed` or `reopened` event
        learns here whether its job is open under another id (reposts.py;
        `window`: the repost window)."""
        if not baseline and any(e.kind in ELSEWHERE_KINDS for e in found):
            still = open_elsewhere(conn, found[0].board_key, found, now, window)
            found = [_open_as(e, still.get(e.external_id)) if e.kind in ELSEWHERE_KINDS else e for e in found]
        routes = [route(e, baseline) for e in found]
        if baseline:  # a baseline's events are kept only where someone asked for them
            kept = [(e, r) for e, r in zip(found, routes, strict=True) if r]
        else:
            kept = list(zip(found, routes, strict=True))
        if not kept:
            return []
        result = conn.execute(
            _INSERT_EVENTS,
            [
                {
                    "board_id": board_id,
                    "external_id": e.external_id,
                    "kind": e.kind,
                    "identity": e.posting.identity,
                    "content_hash": e.posting.content_hash,
                    "changes": e.changes,
                    "posting": e.posting.to_dict(),
                    "occurred_at": now,
                    "first_seen_at": e.first_seen_at,
                    "reposts": e.reposts.to_dict() if e.reposts is not None else None,
                    "chain": e.chain.to_dict() if e.chain is not None else None,
                    "open_as": e.open_as,
                }
                for e, _ in kept
            ],
        )
        written = [
            (replace(e, occurred_at=now, id=event_id), r)
            for (e, r), event_id in zip(kept, result.scalars(), strict=True)
        ]
        announced = self._announced_elsewhere(conn, board_id, [e for e, _ in written], now)
        outbox = [
            {
                "event_id": e.id,
                "channel": channel,
                "subscriptions": sorted(names),
                "status": "pending",
                "sent_targets": [],
                "next_attempt_at": now,
                "created_at": now,
            }
            for e, r in written
            for channel, names in r.items()
            if (channel, e.posting.identity, e.kind, e.posting.content_hash) not in announced
        ]
        if outbox:
            conn.execute(_INSERT_DELIVERIES, outbox)
        return [e for e, _ in written]

    def _announced_elsewhere(
        self, conn: sa.Connection, board_id: int, new: list[Event], now: datetime
    ) -> set[tuple[str, str, str, str]]:
        """(channel, identity, kind, content_hash) already queued from another board lately."""
        found: set[tuple[str, str, str, str]] = set()
        if not self._any_aggregator(conn, now):
            return found  # without bluedoor boards no job is seen through two boards
        identities = sorted({e.posting.identity for e in new})
        for chunk in chunked(identities, IN_LIST_MAX):
            query = (
                sa.select(deliveries.c.channel, events.c.identity, events.c.kind, events.c.content_hash)
                .join(events, events.c.id == deliveries.c.event_id)
                .where(
                    events.c.identity.in_(chunk),
                    events.c.board_id != board_id,
                    deliveries.c.created_at > now - SAME_CHANGE_WINDOW,
                )
            )
            found.update(tuple(r) for r in conn.execute(query))
        return found


def _open_as(event: Event, other: tuple[str, Posting] | None) -> Event:
    if other is None:
        return replace(event, open_as=None)
    return replace(event, open_as=other[0], elsewhere=other[1])
