"""Board rows: which boards exist, how their polls went, what to send next time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.store.db import IN_LIST_MAX, Queries
from alerts.store.notices import Ops, note_failure
from alerts.store.tables import boards, postings


@dataclass(frozen=True)
class FetchState:
    """What the next fetch of a board needs from the last one."""

    etag: str | None
    last_modified: str | None
    last_full_at: datetime | None
    last_success_at: datetime | None
    baselined: bool
    consecutive_failures: int
    # The ops channel was told this board is failing: its next success tells it the board recovered.
    failure_noticed: bool = False
    # The config names the board (`[boards."k:t"] name`) otherwise than its
    # stored postings: the next fetch must be complete, not a 304, to rename them.
    renamed: bool = False


class BoardQueries(Queries):
    def sync_boards(self, refs: Iterable[BoardRef], now: datetime) -> None:
        rows = [
            {"key": ref.key, "source": ref.source, "token": ref.token, "created_at": now, "next_poll_at": now}
            for ref in refs
        ]
        if rows:
            with self.db.tx() as conn:
                conn.execute(self.db.insert(boards).on_conflict_do_nothing(index_elements=["key"]), rows)

    def fetch_states(
        self, keys: Iterable[str], names: Mapping[str, str] | None = None
    ) -> dict[str, FetchState]:
        """What the next fetch of each board needs, in one query for many
        boards. `names`: the company name the config gives some boards."""
        keys = list(keys)
        query = sa.select(
            boards.c.key,
            boards.c.etag,
            boards.c.last_modified,
            boards.c.last_full_at,
            boards.c.last_success_at,
            boards.c.baselined,
            boards.c.consecutive_failures,
            boards.c.failure_noticed_at.is_not(None),
        )
        states: dict[str, FetchState] = {}
        with self.db.engine.connect() as conn:
            for chunk in chunked(keys, IN_LIST_MAX):
                for key, *state in conn.execute(query.where(boards.c.key.in_(chunk))):
                    states[key] = FetchState(*state)
            named = [(key, name) for key, name in (names or {}).items() if key in states]
            for key in _renamed(conn, named):
                states[key] = replace(states[key], renamed=True)
        return states

    def record_failure(
        self,
        board: BoardRef,
        error: SourceError,
        now: datetime,
        next_poll_at: datetime | None = None,
        ops: Ops | None = None,
    ) -> int:
        """Note the failure (and when to try again), queueing the ops channel's
        notice when the board just became failing; returns the consecutive
        failure count."""
        values: dict[str, object] = {
            "last_polled_at": now,
            "last_error": error.message,
            "last_status": error.status,
            "consecutive_failures": boards.c.consecutive_failures + 1,
        }
        if next_poll_at is not None:
            values["next_poll_at"] = next_poll_at
        with self.db.tx() as conn:
            board_id, failures, noticed_at = conn.execute(
                sa.update(boards)
                .where(boards.c.key == board.key)
                .values(**values)
                .returning(boards.c.id, boards.c.consecutive_failures, boards.c.failure_noticed_at)
            ).one()
            reason = str(error).removeprefix(f"{board.key}: ")  # the notice names the board itself
            note_failure(conn, board_id, failures, noticed_at, reason, ops, now)
            return failures

    def backing_off(self, keys: Iterable[str], now: datetime) -> dict[str, datetime]:
        """Failing boards among these that wait out their back-off: when each is tried next."""
        found: dict[str, datetime] = {}
        query = sa.select(boards.c.key, boards.c.next_poll_at).where(
            boards.c.consecutive_failures > 0, boards.c.next_poll_at > now
        )
        with self.db.engine.connect() as conn:
            for chunk in chunked(list(keys), IN_LIST_MAX):
                found.update((key, at) for key, at in conn.execute(query.where(boards.c.key.in_(chunk))))
        return found

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
        with self.db.engine.connect() as conn:
            return list(conn.execute(query))


def _renamed(conn: sa.Connection, named: list[tuple[str, str]]) -> set[str]:
    """The boards among `named` with a stored posting of another company name."""
    company = postings.c.data["company"].as_string()
    query = sa.select(boards.c.key).join(postings, postings.c.board_id == boards.c.id).distinct()
    found: set[str] = set()
    for chunk in chunked(named, IN_LIST_MAX // 2):
        differs = sa.or_(*(sa.and_(boards.c.key == key, company != name) for key, name in chunk))
        found.update(conn.scalars(query.where(differs)))
    return found


def healthy_marks(now: datetime) -> dict[str, object]:
    """A successful poll's marks on its board row."""
    return {
        "last_polled_at": now,
        "last_success_at": now,
        "last_error": None,
        "last_status": None,
        "consecutive_failures": 0,
    }


HEALTHY_NAMES = tuple(healthy_marks(datetime.min))


def bound(names: Iterable[str]) -> dict[str, sa.BindParameter]:
    """`SET name = :name` for each board column named, with the column's type
    (so values are stored as every other write stores them)."""
    return {name: sa.bindparam(name, type_=boards.c[name].type) for name in names}
