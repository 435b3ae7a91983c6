"""`alerts status`: each board's health and open postings, then each
channel's deliveries; as tables, or as one JSON document."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from alerts.cli.report_delivery import channel_data, delivery_lines
from alerts.cli.tables import shorten, table, when
from alerts.config import Config
from alerts.service.display import iso
from alerts.service.matches import open_counts
from alerts.store import Store

# The health cell of the table; -v shows the whole reason.
SHORT_ERROR = 40


def status_lines(config: Config, store: Store, now: datetime, *, verbose: bool = False) -> Iterator[str]:
    yield from board_lines(config, store, now, verbose=verbose)
    yield ""
    yield from delivery_lines(config, store, now)


def status_data(config: Config, store: Store, now: datetime) -> dict[str, Any]:
    zone = config.display.zone
    boards = []
    for board in board_data(config, store, now):
        boards.append(
            {
                **board,
                "last_success_at": iso(board["last_success_at"], zone),
                "next_poll_at": iso(board["next_poll_at"], zone),
                "suspect_since": iso(board["suspect_since"], zone),
            }
        )
    return {
        "timezone": config.display.timezone,
        "boards": boards,
        "channels": channel_data(config, store, now),
    }


def board_data(config: Config, store: Store, now: datetime) -> list[dict[str, Any]]:
    """One dict per board of the config, in key order."""
    known = {row.key: row for row in store.boards.board_rows()}
    keys = sorted(config.boards())
    counts = open_counts(config, store, keys)
    found = []
    for key in keys:
        row = known.get(key)
        matching, total = counts.get(key, (0, 0))
        found.append(
            {
                "board": key,
                "open": total,
                "matching": matching,
                "last_success_at": row.last_success_at if row else None,
                "next_poll_at": row.next_poll_at if row else None,
                "due": row is None or row.next_poll_at is None or row.next_poll_at <= now,
                "health": _state(row),
                "failures": row.consecutive_failures if row else 0,
                "last_error": row.last_error if row else None,
                "last_status": row.last_status if row else None,
                "suspect_since": row.suspect_since if row else None,
            }
        )
    return found


def _state(row: Any) -> str:
    if row is None or (not row.last_success_at and not row.last_error):
        return "not polled yet"
    if row.last_error:
        return "failing"
    if row.suspect_since:
        return "holding"
    return "ok"


def _health(board: dict[str, Any], zone: Any, verbose: bool) -> str:
    state = board["health"]
    if state == "failing":
        status = f" (HTTP {board['last_status']})" if board["last_status"] else ""
        if verbose:
            return f"failing x{board['failures']}: {board['last_error']}{status}"
        if status:
            return f"failing x{board['failures']}{status}"
        return f"failing x{board['failures']}: {shorten(board['last_error'], SHORT_ERROR)}"
    if state == "holding":
        if verbose:
            since = when(board["suspect_since"], zone)
            return f"holding a sudden drop since {since} (next poll confirms or clears it)"
        return "holding a sudden drop"
    return state


def board_lines(config: Config, store: Store, now: datetime, *, verbose: bool = False) -> Iterator[str]:
    zone = config.display.zone
    rows = []
    for board in board_data(config, store, now):
        rows.append(
            (
                board["board"],
                f"{board['matching']}/{board['open']}",
                when(board["last_success_at"], zone),
                "now" if board["due"] else when(board["next_poll_at"], zone),
                _health(board, zone, verbose),
            )
        )
    yield from table(("BOARD", "MATCH/OPEN", "LAST SUCCESS", "NEXT POLL", "HEALTH"), rows)
