"""Boards and their postings: sync, snapshots, failures, reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import sqlalchemy as sa

from alerts.errors import SourceError
from alerts.model import BoardRef, Event, Posting
from alerts.reconcile import Outcome, Stored, reconcile
from alerts.store.base import StoreBase
from alerts.store.tables import boards, deliveries, events, postings

# (event, is_baseline) -> {channel: [subscription names]}
Router = Callable[[Event, bool], dict[str, list[str]]]


class BoardQueries(StoreBase):
    def sync_boards(self, refs: Iterable[BoardRef], now: datetime) -> None:
        rows = [
            {"key": ref.key, "source": ref.source, "token": ref.token, "created_at": now, "next_poll_at": now}
            for ref in refs
        ]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(self._insert(boards).on_conflict_do_nothing(index_elements=["key"]), rows)

    def record_failure(self, board: BoardRef, error: SourceError, now: datetime) -> int:
        """Note the failure; returns the board's consecutive failure count."""
        with self.engine.begin() as conn:
            return conn.execute(
                sa.update(boards)
                .where(boards.c.key == board.key)
                .values(
                    last_polled_at=now,
                    last_error=error.message,
                    last_status=error.status,
                    consecutive_failures=boards.c.consecutive_failures + 1,
                )
                .returning(boards.c.consecutive_failures)
            ).scalar_one()

    def apply_snapshot(
        self,
        board: BoardRef,
        snapshot: list[Posting],
        *,
        close_after_misses: int,
        now: datetime,
        route: Router,
    ) -> list[Event]:
        """Reconcile a complete snapshot and write state, events and outbox rows at once."""
        with self.engine.begin() as conn:
            query = sa.select(boards.c.id, boards.c.baselined).where(boards.c.key == board.key)
            if self.dialect == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).one()
            stored, ids = self._load_postings(conn, row.id)
            outcome = reconcile(
                stored, snapshot, baseline=not row.baselined, close_after_misses=close_after_misses, now=now
            )
            self._write_postings(conn, row.id, outcome, ids, now)
            written = self._write_events(conn, row.id, outcome, route, now)
            conn.execute(
                sa.update(boards)
                .where(boards.c.id == row.id)
                .values(
                    baselined=True,
                    last_polled_at=now,
                    last_success_at=now,
                    last_error=None,
                    last_status=None,
                    consecutive_failures=0,
                )
            )
        return written

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
            (seen if row.misses == 0 and row.state == "open" else missed).append((key, row))
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
                        "state": "open",
                        "misses": 0,
                        "content_hash": row.posting.content_hash,
                        "data": row.posting.to_dict(),
                        "first_seen_at": now,
                        "changed_at": now,
                        "closed_at": None,
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
        ]
        if outbox:
            conn.execute(sa.insert(deliveries), outbox)
        return [e for e, _ in written]

    def board_rows(self) -> list[sa.Row]:
        counts = (
            sa.select(postings.c.board_id, sa.func.count().label("open_postings"))
            .where(postings.c.state == "open")
            .group_by(postings.c.board_id)
            .subquery()
        )
        query = (
            sa.select(boards, sa.func.coalesce(counts.c.open_postings, 0).label("open_postings"))
            .outerjoin(counts, counts.c.board_id == boards.c.id)
            .order_by(boards.c.key)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query))
