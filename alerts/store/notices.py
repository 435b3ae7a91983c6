"""Notices to the ops channel, decided from the stored failure counts and
queued in the outbox inside the transaction that records the poll.

A board's `failure_noticed_at` says the ops channel was told it is failing:
"failing" is queued once, when a failure brings the count to the threshold
(or past it, for a board already failing when the ops channel was set);
"recovered" once, at the next success. Both modes (`run`, `run --once`) and
every process share this, because it lives in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import NoticeKind
from alerts.store.db import IN_LIST_MAX
from alerts.store.tables import boards, deliveries, notices


@dataclass(frozen=True)
class Ops:
    """Who is told about failing boards, and after how many failed polls in a row."""

    channel: str
    threshold: int


_INSERT_NOTICE = sa.insert(notices).returning(notices.c.id)


def queue_notice(
    conn: sa.Connection,
    board_id: int,
    kind: NoticeKind,
    failures: int,
    error: str | None,
    channel: str,
    now: datetime,
) -> None:
    values = {"board_id": board_id, "kind": kind, "failures": failures, "error": error, "occurred_at": now}
    notice_id = conn.execute(_INSERT_NOTICE, values).scalar_one()
    conn.execute(
        sa.insert(deliveries).values(
            notice_id=notice_id,
            channel=channel,
            subscriptions=[],
            status="pending",
            sent_targets=[],
            next_attempt_at=now,
            created_at=now,
        )
    )


def note_failure(
    conn: sa.Connection,
    board_id: int,
    failures: int,
    noticed_at: datetime | None,
    error: str,
    ops: Ops | None,
    now: datetime,
) -> None:
    """After a failure is counted: tell the ops channel if the board just became failing."""
    if ops is None or noticed_at is not None or failures < ops.threshold:
        return
    queue_notice(conn, board_id, "failing", failures, error, ops.channel, now)
    conn.execute(sa.update(boards).where(boards.c.id == board_id).values(failure_noticed_at=now))


def recovered(conn: sa.Connection, found: Iterable[tuple[int, int]], ops: Ops | None, now: datetime) -> None:
    """Boards (id, failures before) the ops channel was told are failing and
    that answered again: tell it, and clear the mark (even with no ops channel
    any more, so a later one is not told of an old recovery)."""
    found = list(found)
    if ops is not None:
        for board_id, failures in found:
            queue_notice(conn, board_id, "recovered", failures, None, ops.channel, now)
    for chunk in chunked([board_id for board_id, _ in found], IN_LIST_MAX):
        conn.execute(sa.update(boards).where(boards.c.id.in_(chunk)).values(failure_noticed_at=None))
