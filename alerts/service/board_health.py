"""Each board of the config as `alerts status` and the web page show it:
how its polls go, when it is polled next, and its open postings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alerts.config import Config
from alerts.service.matches import open_counts
from alerts.store import OpenPosting, Store


@dataclass(frozen=True)
class BoardHealth:
    board: str
    open: int
    matching: int  # open postings a subscription on the board matches
    last_success_at: datetime | None
    next_poll_at: datetime | None
    due: bool  # polled at the next chance
    health: str  # "ok" | "failing" | "holding" | "incomplete" | "not polled yet"
    failures: int
    last_error: str | None
    last_status: int | None
    suspect_since: datetime | None
    # Its snapshots have been incomplete (nothing counted missing) since, because.
    incomplete_since: datetime | None = None
    incomplete_why: str | None = None


def board_health(
    config: Config, store: Store, now: datetime, rows: Sequence[OpenPosting] | None = None
) -> list[BoardHealth]:
    """One per board of the config, in key order (`rows`: the open postings,
    when the caller has read them already)."""
    known = {row.key: row for row in store.boards.board_rows()}
    keys = sorted(config.boards())
    counts = open_counts(config, store, keys, rows)
    found = []
    for key in keys:
        row = known.get(key)
        matching, total = counts.get(key, (0, 0))
        found.append(
            BoardHealth(
                board=key,
                open=total,
                matching=matching,
                last_success_at=row.last_success_at if row else None,
                next_poll_at=row.next_poll_at if row else None,
                due=row is None or row.next_poll_at is None or row.next_poll_at <= now,
                health=_state(row),
                failures=row.consecutive_failures if row else 0,
                last_error=row.last_error if row else None,
                last_status=row.last_status if row else None,
                suspect_since=row.suspect_since if row else None,
                incomplete_since=row.incomplete_since if row else None,
                incomplete_why=row.incomplete_why if row else None,
            )
        )
    return found


def _state(row: Any) -> str:
    if row is None or (not row.last_success_at and not row.last_error):
        return "not polled yet"
    if row.last_error:
        return "failing"
    if row.suspect_since:
        return "holding"
    if row.incomplete_since:
        return "incomplete"
    return "ok"


def short_health(board: BoardHealth, width: int = 40) -> str:
    """The health in a few words: "ok", "failing x3 (HTTP 404)", "holding a
    sudden drop", "incomplete: Workday lists at most..."."""
    if board.health == "incomplete":
        return _cut(f"incomplete: {board.incomplete_why or ''}", width)
    if board.health == "failing":
        if board.last_status:
            return f"failing x{board.failures} (HTTP {board.last_status})"
        return f"failing x{board.failures}: {_cut(board.last_error or '', width)}"
    if board.health == "holding":
        return "holding a sudden drop"
    return board.health


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text[: width - 3].rstrip() + "..." if len(text) > width else text
