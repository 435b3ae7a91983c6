"""A board's new snapshot: reconcile it against the stored postings and write
postings, events and outbox rows in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.errors import StoreError
from alerts.model import BoardRef, Event, Posting
from alerts.reconcile import Outcome, Stored, reconcile, suspect_reason
from alerts.store.base import StoreBase
from alerts.store.boards import _healthy
from alerts.store.tables import boards, deliveries, events, postings

# (event, is_baseline) -> {channel: [subscription names]}
Router = Callable[[Event, bool], dict[str, list[str]]]
# The same change reported by another source (bluedoor and the ATS board)
# within this window is not announced again on a channel.
SAME_CHANGE_WINDOW = timedelta(days=7)


class LeaseLost(StoreError):
    """This process no longer holds the board it was working on."""


@dataclass
class Applied:
    events: list[Event] = field(default_factory=list)
    # Why the snapshot was held as suspect (nothing written), or None.
    held: str | None = None


class SnapshotQueries(StoreBase):
    def apply_snapshot(
        self,
        board: BoardRef,
        snapshot: list[Posting],
        *,
        close_after_misses: int,
        now: datetime,
        route: Router,
        complete: bool = True,
        etag: str | None = None,
        last_modified: str | None = None,
        owner: str | None = None,
        next_poll_at: datetime | None = None,
    ) -> Applied:
        """Reconcile a snapshot and write state, events and outbox rows at once.

        A complete snapshot that drops suddenly is held (nothing written but
        the hold itself) until the next one confirms it.
        """
        with self.engine.begin() as conn:
            query = sa.select(
                boards.c.id, boards.c.baselined, boards.c.suspect_since, boards.c.lease_owner
            ).where(boards.c.key == board.key)
            if self.dialect == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).one()
            if owner is not None and row.lease_owner != owner:
                # Our lease ran out and another process took the board over:
                # its snapshot wins; writing ours could announce twice.
                raise LeaseLost(f"{board.key}: lease lost to another process; snapshot dropped")
            stored, ids = self._load_postings(conn, row.id)
            held = suspect_reason(stored, snapshot) if complete and row.baselined else None
            if held and row.suspect_since is None:
                conn.execute(
                    sa.update(boards)
                    .where(boards.c.id == row.id)
                    .values(
                        suspect_since=now,
                        last_polled_at=now,
                        etag=None,
                        last_modified=None,
                        **({"next_poll_at": next_poll_at} if next_poll_at else {}),
                    )
                )
                return Applied(held=held)
            outcome = reconcile(
                stored,
                snapshot,
                baseline=not row.baselined,
                close_after_misses=close_after_misses,
                now=now,
                complete=complete,
            )
            self._write_postings(conn, row.id, outcome, ids, now)
            written = self._write_events(conn, row.id, outcome, route, now)
            done = {"baselined": True, "suspect_since": None, "etag": etag, "last_modified": last_modified}
            if complete:
                done["last_full_at"] = now
            if next_poll_at is not None:
                done["next_poll_at"] = next_poll_at
            conn.execute(sa.update(boards).where(boards.c.id == row.id).values(**_healthy(now), **done))
        return Applied(events=written)

    def _load_postings(self, conn: sa.Connection, board_id: int) -> tuple[dict[str, Stored], dict[str, int]]:
        stored: dict[str, Stored] = {}
        ids: dict[str, int] = {}
        query = sa.select(
            postings.c.id, postings.c.external_id, postings.c.state, postings.c.misses, postings.c.data
        ).where(postings.c.board_id == board_id)
        for pid, external_id, state, misses, data in conn.execute(query):
            stored[external_id] = Stored(Posting.from_dict(data), state, misses)
            ids[external_id] = pid
        return stored, ids

    def _write_postings(
        self, conn: sa.Connection, board_id: int, outcome: Outcome, ids: dict[str, int], now: datetime
    ) -> None:
        seen, missed = [], []
        for key, row in outcome.changed.items():
            (seen if key in outcome.fresh else missed).append((key, row))
        if seen:
            stmt = self._insert(postings)
            stmt = stmt.on_conflict_do_update(
                index_elements=["board_id", "external_id"],
                set_={
                    name: stmt.excluded[name]
                    for name in ("state", "misses", "content_hash", "data", "changed_at", "closed_at")
                },
            )
            conn.execute(
                stmt,
                [
                    {
                        "board_id": board_id,
                        "external_id": key,
                        "state": row.state,
                        "misses": row.misses,
                        "content_hash": row.posting.content_hash,
                        "data": row.posting.to_dict(),
                        "first_seen_at": now,
                        "changed_at": now,
                        "closed_at": now if row.state == "closed" else None,
                    }
                    for key, row in seen
                ],
            )
        if missed:
            conn.execute(
                sa.update(postings)
                .where(postings.c.id == sa.bindparam("pid"))
                .values(
                    state=sa.bindparam("new_state"),
                    misses=sa.bindparam("new_misses"),
                    closed_at=sa.bindparam("new_closed_at"),
                    changed_at=now,
                ),
                [
                    {
                        "pid": ids[key],
                        "new_state": row.state,
                        "new_misses": row.misses,
                        "new_closed_at": now if row.state == "closed" else None,
                    }
                    for key, row in missed
                ],
            )

    def _write_events(
        self, conn: sa.Connection, board_id: int, outcome: Outcome, route: Router, now: datetime
    ) -> list[Event]:
        routes = [route(e, outcome.baseline) for e in outcome.events]
        if outcome.baseline:  # a baseline's events are kept only where someone asked for them
            kept = [(e, r) for e, r in zip(outcome.events, routes, strict=True) if r]
        else:
            kept = list(zip(outcome.events, routes, strict=True))
        if not kept:
            return []
        result = conn.execute(
            sa.insert(events).returning(events.c.id, sort_by_parameter_order=True),
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
                }
                for e, _ in kept
            ],
        )
        written = [
            (Event(e.kind, e.board, e.external_id, e.posting, e.changes, now, event_id), r)
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
            conn.execute(sa.insert(deliveries), outbox)
        return [e for e, _ in written]

    def _announced_elsewhere(
        self, conn: sa.Connection, board_id: int, new: list[Event], now: datetime
    ) -> set[tuple[str, str, str, str]]:
        """(channel, identity, kind, content_hash) already queued from another board lately."""
        found: set[tuple[str, str, str, str]] = set()
        identities = sorted({e.posting.identity for e in new})
        for start in range(0, len(identities), 500):
            query = (
                sa.select(deliveries.c.channel, events.c.identity, events.c.kind, events.c.content_hash)
                .join(events, events.c.id == deliveries.c.event_id)
                .where(
                    events.c.identity.in_(identities[start : start + 500]),
                    events.c.board_id != board_id,
                    deliveries.c.created_at > now - SAME_CHANGE_WINDOW,
                )
            )
            found.update(tuple(r) for r in conn.execute(query))
        return found
