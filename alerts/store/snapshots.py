"""A board's new snapshot: reconcile it against the stored postings and write
postings, events and outbox rows in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.errors import StoreError
from alerts.model import BoardRef, Event, Posting, Repost
from alerts.reconcile import Outcome, StoredPosting, reconcile, suspect_reason
from alerts.store.announce import Announcer, Router
from alerts.store.boards import bound, healthy_marks
from alerts.store.db import IN_LIST_MAX, Database, Queries
from alerts.store.notices import Ops, recovered
from alerts.store.reposts import annotated, find_reposts, rename_closed, repost_key
from alerts.store.tables import boards, postings

# Statements built once: building one per board costs as much as running it.
_BOARD = sa.select(
    boards.c.id,
    boards.c.baselined,
    boards.c.suspect_since,
    boards.c.lease_owner,
    boards.c.consecutive_failures,
    boards.c.failure_noticed_at,
    boards.c.incomplete_since,
).where(boards.c.key == sa.bindparam("key"))
_BOARD_FOR_UPDATE = _BOARD.with_for_update()
_BOARD_POSTINGS = sa.select(
    postings.c.id, postings.c.external_id, postings.c.state, postings.c.misses, postings.c.fingerprint
).where(postings.c.board_id == sa.bindparam("board_id"))
_COUNT_MISS = (
    sa.update(postings)
    .where(postings.c.id == sa.bindparam("pid"))
    .values(
        state=sa.bindparam("new_state"),
        misses=sa.bindparam("new_misses"),
        closed_at=sa.bindparam("new_closed_at"),
        changed_at=sa.bindparam("new_changed_at"),
    )
)


@lru_cache(maxsize=16)
def _board_update(names: tuple[str, ...]) -> sa.Update:
    """UPDATE boards SET each of `names` (bound under its own name) for one board id."""
    return sa.update(boards).where(boards.c.id == sa.bindparam("board_id")).values(bound(names))


class LeaseLost(StoreError):
    """This process no longer holds the board it was working on."""


@dataclass
class WrittenSnapshot:
    events: list[Event] = field(default_factory=list)
    # Why the snapshot was held as suspect (nothing written), or None.
    held: str | None = None


class SnapshotQueries(Queries):
    def __init__(self, db: Database, announcer: Announcer | None = None):
        super().__init__(db)
        self.announcer = announcer or Announcer()

    def apply(
        self,
        board: BoardRef,
        snapshot: list[Posting],
        *,
        close_after_misses: int,
        now: datetime,
        route: Router,
        complete: bool = True,
        waiting: int = 0,
        filled: frozenset[str] = frozenset(),
        incomplete: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        owner: str | None = None,
        next_poll_at: datetime | None = None,
        repost_window: timedelta = timedelta(0),
        ops: Ops | None = None,
        rename: str | None = None,
    ) -> WrittenSnapshot:
        """Reconcile a snapshot and write state, events and outbox rows at once.

        A complete snapshot that drops suddenly is held (nothing written but
        the hold itself) until the next one confirms it. A new posting that
        reposts a job seen within `repost_window` carries what it reposts.
        A board is baselined by its first snapshot in which no posting
        `waiting` for its details was left out: until then every snapshot is
        part of its baseline, so that what was listed all along is never
        announced as opened when its details arrive. `incomplete`: why a
        snapshot that is not complete is not (None for an incremental one,
        incomplete by design): kept, with since when, until a complete one.
        `etag` and `last_modified` are kept only from a complete snapshot.
        """
        with self.db.tx() as conn:
            query = _BOARD_FOR_UPDATE if self.db.dialect == "postgresql" else _BOARD
            row = conn.execute(query, {"key": board.key}).one()
            if owner is not None and row.lease_owner != owner:
                # Our lease ran out and another process took the board over:
                # its snapshot wins; writing ours could announce twice.
                raise LeaseLost(f"{board.key}: lease lost to another process; snapshot dropped")
            prints = {p.external_id: p.fingerprint for p in snapshot}
            stored, ids, backfill, seen = self._load_postings(conn, row.id, prints, close_after_misses)
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
                return WrittenSnapshot(held=held)
            outcome = reconcile(
                stored,
                snapshot,
                baseline=not row.baselined,
                close_after_misses=close_after_misses,
                now=now,
                complete=complete,
                filled=filled,
            )
            for key in backfill - outcome.changed.keys():
                # Same posting, but its row's fingerprint is another (the row
                # predates fingerprints, or only the description's markup
                # changed): write the new one.
                outcome.changed[key] = stored[key]
                outcome.fresh.add(key)
            if rename is not None:
                rename_closed(conn, row.id, rename)
            reposts, earlier = (
                ({}, {}) if outcome.baseline else find_reposts(conn, outcome.events, now, repost_window)
            )
            outcome.events = annotated(outcome.events, seen, reposts, now, earlier)
            self._write_postings(conn, row.id, outcome, ids, prints, now, reposts)
            written = self.announcer.write(
                conn, row.id, outcome.events, route, now, baseline=outcome.baseline, window=repost_window
            )
            # Validators only for a complete snapshot: a 304 must stand for
            # a whole board, never freeze one cut short (a short list, a capped
            # sitemap, details still owed). Otherwise none: the next poll asks in full.
            whole = complete and not waiting
            done: dict[str, object] = {
                "baselined": row.baselined or not waiting,
                "suspect_since": None,
                "etag": etag if whole else None,
                "last_modified": last_modified if whole else None,
            }
            if complete:
                done.update(last_full_at=now, incomplete_since=None, incomplete_why=None)
            elif incomplete is not None:
                done.update(incomplete_since=row.incomplete_since or now, incomplete_why=incomplete[:2000])
            if next_poll_at is not None:
                done["next_poll_at"] = next_poll_at
            values = {**healthy_marks(now), **done}
            conn.execute(_board_update(tuple(values)), {"board_id": row.id, **values})
            if row.failure_noticed_at is not None:
                recovered(conn, [(row.id, row.consecutive_failures)], ops, now)
        return WrittenSnapshot(events=written)

    def _load_postings(
        self, conn: sa.Connection, board_id: int, prints: dict[str, str], close_after_misses: int
    ) -> tuple[dict[str, StoredPosting], dict[str, int], set[str], dict[str, tuple[datetime, Repost | None]]]:
        """The board's stored rows; full postings only where reconcile needs them.

        A posting the snapshot holds unchanged (same fingerprint, open) is
        not read back at all: on a steady board that is nearly every row.
        Returns the rows, their ids, the keys whose rows hold another
        fingerprint than the snapshot's (to write it even when nothing else
        changed), and when each posting read back was first seen (with what
        it reposted, for a repost).
        """
        found = conn.execute(_BOARD_POSTINGS, {"board_id": board_id})
        rows = {key: (pid, state, misses, fp) for pid, key, state, misses, fp in found}
        need = {
            key
            for key, (_, state, misses, fp) in rows.items()
            if (key in prints and (fp != prints[key] or state == "closed"))
            or (key not in prints and state == "open" and misses + 1 >= close_after_misses)
        }
        data = self._load_data(conn, [rows[key][0] for key in need])
        stored = {
            key: StoredPosting(Posting.from_dict(data[pid][0]) if key in need else None, state, misses)
            for key, (pid, state, misses, _) in rows.items()
        }
        backfill = {key for key in need if key in prints and rows[key][3] != prints[key]}
        seen = {key: data[rows[key][0]][1] for key in need}
        return stored, {key: row[0] for key, row in rows.items()}, backfill, seen

    def _load_data(
        self, conn: sa.Connection, ids: list[int]
    ) -> dict[int, tuple[dict, tuple[datetime, Repost | None]]]:
        data: dict[int, tuple[dict, tuple[datetime, Repost | None]]] = {}
        for chunk in chunked(ids, IN_LIST_MAX):
            query = sa.select(postings.c.id, postings.c.data, postings.c.first_seen_at, postings.c.chain)
            data.update(
                (pid, (value, (at, Repost.from_dict(chain) if chain else None)))
                for pid, value, at, chain in conn.execute(query.where(postings.c.id.in_(chunk)))
            )
        return data

    @cached_property
    def _upsert_postings(self) -> sa.Insert:
        # Built once: constructing an upsert (its `excluded` proxies) costs
        # more than running it for a board's few changed rows.
        stmt = self.db.insert(postings)
        return stmt.on_conflict_do_update(
            index_elements=["board_id", "external_id"],
            set_={
                name: stmt.excluded[name]
                for name in (
                    "state",
                    "misses",
                    "content_hash",
                    "fingerprint",
                    "data",
                    "changed_at",
                    "closed_at",
                    "repost_key",
                )
            },
        )

    def _write_postings(
        self,
        conn: sa.Connection,
        board_id: int,
        outcome: Outcome,
        ids: dict[str, int],
        prints: dict[str, str],
        now: datetime,
        reposts: dict[str, Repost],
    ) -> None:
        seen: list[tuple[str, StoredPosting, Posting]] = []
        missed: list[tuple[str, StoredPosting]] = []
        for key, row in outcome.changed.items():
            if key in outcome.fresh:
                assert row.posting is not None, "a row from this snapshot carries its posting"
                seen.append((key, row, row.posting))
            else:
                missed.append((key, row))
        if seen:
            conn.execute(
                self._upsert_postings,
                [
                    {
                        "board_id": board_id,
                        "external_id": key,
                        "state": row.state,
                        "misses": row.misses,
                        "content_hash": posting.content_hash,
                        "fingerprint": prints.get(key) or posting.fingerprint,
                        "data": posting.to_dict(),
                        "first_seen_at": now,
                        "changed_at": now,
                        "closed_at": now if row.state == "closed" else None,
                        "repost_key": repost_key(posting),
                        # Kept from the first insert on: a repost's job was first seen earlier.
                        "open_since": reposts[key].first_seen_at if key in reposts else None,
                        "chain": reposts[key].to_dict() if key in reposts else None,
                    }
                    for key, row, posting in seen
                ],
            )
        if missed:
            conn.execute(
                _COUNT_MISS,
                [
                    {
                        "pid": ids[key],
                        "new_state": row.state,
                        "new_misses": row.misses,
                        "new_closed_at": now if row.state == "closed" else None,
                        "new_changed_at": now,
                    }
                    for key, row in missed
                ],
            )
