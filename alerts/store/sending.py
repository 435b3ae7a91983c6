"""What happened to sends, written on their outbox rows: "sending" just
before a part goes out, then sent (perhaps unconfirmed), failed or dead.

The many-row forms take a whole wave of parts, of many channels, in one
transaction of a few statements: a delivery pass costs statements per wave
of sends, not per channel or per part.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.store.channels import upsert_channels
from alerts.store.db import IN_LIST_MAX, Queries
from alerts.store.tables import OPEN, deliveries

INTERRUPTED = "the process stopped while sending; it may not have arrived"


@dataclass(frozen=True)
class SentPart:
    """One channel URL (`target`, by fingerprint) took these rows.

    `unconfirmed` is why it may not have arrived (a timeout): the rows still
    count as sent, so they are not repeated, and `alerts status` shows them.
    """

    ids: Sequence[int]
    target: str
    all_targets: frozenset[str]  # every URL of the channel: sent once all have it
    unconfirmed: str | None = None


class SendQueries(Queries):
    def mark_sending_many(self, parts: Iterable[tuple[str, Sequence[int]]], now: datetime) -> None:
        """Written just before these parts go out (target, rows): if the
        process dies now, the next holder of each channel knows."""
        pairs = [(row, target) for target, ids in parts for row in ids]
        with self.db.tx() as conn:
            for chunk in chunked(pairs, IN_LIST_MAX):
                by_target: dict[str, list[int]] = {}
                for row, target in chunk:
                    by_target.setdefault(target, []).append(row)
                which = sa.case(*((deliveries.c.id.in_(ids), target) for target, ids in by_target.items()))
                conn.execute(
                    sa.update(deliveries)
                    .where(deliveries.c.id.in_([row for row, _ in chunk]))
                    .values(sending_target=which, sending_since=now, last_attempt_at=now)
                )

    def settle_interrupted_many(self, channels: Mapping[str, frozenset[str]], now: datetime) -> Counter[str]:
        """Rows a dead process was sending, per channel: their outcome is
        unknown, so they are recorded as sent but unconfirmed (like a
        timeout), never sent again on their own. `channels` maps each channel
        to its URLs' fingerprints; call it only while holding their leases."""
        names = sorted(channels)
        found: dict[tuple[str, str], list[int]] = {}
        with self.db.engine.connect() as conn:
            for chunk in chunked(names, IN_LIST_MAX):
                query = sa.select(deliveries.c.id, deliveries.c.channel, deliveries.c.sending_target).where(
                    deliveries.c.channel.in_(chunk), deliveries.c.sending_target.is_not(None)
                )
                for row_id, channel, target in conn.execute(query):
                    found.setdefault((channel, target), []).append(row_id)
        took = [SentPart(ids, target, channels[name], INTERRUPTED) for (name, target), ids in found.items()]
        self.record_sent(took, now)
        settled: Counter[str] = Counter()
        for (name, _), ids in found.items():
            settled[name] += len(ids)
        return settled

    def record_sent(self, took: Sequence[SentPart], now: datetime) -> None:
        """Parts that went out, of any channels, in one transaction."""
        ids = sorted({row for part in took for row in part.ids})
        if not ids:
            return
        columns = (
            deliveries.c.id,
            deliveries.c.channel,
            deliveries.c.sent_targets,
            deliveries.c.status,
            deliveries.c.unconfirmed_targets,
        )
        with self.db.tx() as conn:
            rows: dict[int, dict[str, Any]] = {}
            for chunk in chunked(ids, IN_LIST_MAX):
                for row_id, channel, sent, status, doubtful in conn.execute(
                    sa.select(*columns).where(deliveries.c.id.in_(chunk))
                ):
                    rows[row_id] = {
                        "channel": channel,
                        "sent": set(sent),
                        "status": status,
                        "doubtful": set(doubtful or []),
                        "error": None,
                    }
            for part in took:
                for row_id in part.ids:
                    row = rows.get(row_id)
                    if row is None:
                        continue  # deleted meanwhile (its event was pruned)
                    row["sent"].add(part.target)
                    if part.unconfirmed:
                        row["doubtful"].add(part.target)
                        row["error"] = part.unconfirmed
                    if part.all_targets <= row["sent"]:
                        row["status"] = "sent"
            if not rows:
                return
            updates = [
                {
                    "did": row_id,
                    "new_targets": sorted(row["sent"]),
                    "new_status": row["status"],
                    "new_sent_at": now if row["status"] == "sent" else None,
                    "new_unconfirmed": sorted(row["doubtful"]) or None,
                    "new_error": row["error"],
                }
                # In id order, as every multi-row write locks them (no deadlocks on PostgreSQL).
                for row_id, row in sorted(rows.items())
            ]
            stmt = (
                sa.update(deliveries)
                .where(deliveries.c.id == sa.bindparam("did"))
                .values(
                    sent_targets=sa.bindparam("new_targets"),
                    status=sa.bindparam("new_status"),
                    sent_at=sa.bindparam("new_sent_at"),
                    unconfirmed_targets=sa.bindparam(
                        "new_unconfirmed", type_=deliveries.c.unconfirmed_targets.type
                    ),
                    # A confirmed send keeps the row's last failure, for `alerts status`.
                    last_error=sa.func.coalesce(
                        sa.bindparam("new_error", type_=deliveries.c.last_error.type),
                        deliveries.c.last_error,
                    ),
                    sending_target=None,
                    sending_since=None,
                )
            )
            conn.execute(stmt, updates)
            upsert_channels(
                self.db, conn, sorted({row["channel"] for row in rows.values()}), last_sent_at=now
            )

    def unmark_sending(self, ids: Sequence[int]) -> None:
        """Take the "sending" marks off rows whose outcome could not be
        recorded: they are tried again, not settled as sent-unconfirmed."""
        with self.db.tx() as conn:
            for chunk in chunked(list(ids), IN_LIST_MAX):
                conn.execute(
                    sa.update(deliveries)
                    .where(deliveries.c.id.in_(chunk))
                    .values(sending_target=None, sending_since=None)
                )

    def note_early_failure(self, ids: list[int], error: str, now: datetime) -> None:
        """A failed try made before the row's back-off ended (run --once tries
        everything): recorded, but it does not count toward max_attempts."""
        with self.db.tx() as conn:
            for chunk in chunked(ids, IN_LIST_MAX):
                conn.execute(
                    sa.update(deliveries)
                    .where(deliveries.c.id.in_(chunk), deliveries.c.status.in_(OPEN))
                    .values(last_error=error, last_attempt_at=now, sending_target=None, sending_since=None)
                )

    def mark_failed(
        self,
        ids: list[int],
        error: str,
        next_attempt_at: datetime,
        *,
        now: datetime | None = None,
        max_attempts: int | None = None,
        retry_for: timedelta | None = None,
    ) -> int:
        """Count a failed attempt; rows past `max_attempts` or failing for longer
        than `retry_for` become dead. Returns how many died."""
        now = now or next_attempt_at
        attempts = deliveries.c.attempts + 1
        since = sa.func.coalesce(deliveries.c.first_failed_at, now)
        too_many = attempts >= max_attempts if max_attempts else sa.false()
        too_old = since <= now - retry_for if retry_for is not None else sa.false()
        dies = sa.or_(too_many, too_old)
        dead = 0
        with self.db.tx() as conn:
            for chunk in chunked(ids, IN_LIST_MAX):
                # Only rows still owed: one another process settled meanwhile stays settled.
                which = sa.and_(deliveries.c.id.in_(chunk), deliveries.c.status.in_(OPEN))
                dead += conn.execute(sa.select(sa.func.count()).where(which, dies)).scalar_one()
                conn.execute(
                    sa.update(deliveries)
                    .where(which)
                    .values(
                        status=sa.case((dies, "dead"), else_="failed"),
                        attempts=attempts,
                        first_failed_at=since,
                        last_attempt_at=now,
                        last_error=error,
                        next_attempt_at=next_attempt_at,
                        sending_target=None,
                        sending_since=None,
                    )
                )
        return dead
