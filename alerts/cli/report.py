"""`alerts status`: each board's health and open postings, then each
channel's deliveries; as tables, or as one JSON document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, tzinfo
from typing import Any

from alerts.cli.report_delivery import channel_data, delivery_lines
from alerts.cli.tables import table, when
from alerts.config import Config
from alerts.service.board_health import BoardHealth, board_health, short_health
from alerts.service.display import iso
from alerts.store import Store
from alerts.text import clean_line


def status_lines(config: Config, store: Store, now: datetime, *, verbose: bool = False) -> Iterator[str]:
    yield from board_lines(config, store, now, verbose=verbose)
    yield ""
    yield from delivery_lines(config, store, now)


def status_data(config: Config, store: Store, now: datetime) -> dict[str, Any]:
    zone = config.display.zone
    boards = []
    for board in board_health(config, store, now):
        data = asdict(board)
        for name in ("last_success_at", "next_poll_at", "suspect_since", "incomplete_since"):
            data[name] = iso(data[name], zone)
        boards.append(data)
    return {
        "timezone": config.display.timezone,
        "boards": boards,
        "channels": channel_data(config, store, now),
    }


def _health(board: BoardHealth, zone: tzinfo, verbose: bool) -> str:
    if not verbose:
        return short_health(board)
    if board.health == "failing":
        status = f" (HTTP {board.last_status})" if board.last_status else ""
        return f"failing x{board.failures}: {clean_line(board.last_error or '')}{status}"
    if board.health == "holding":
        since = when(board.suspect_since, zone)
        return f"holding a sudden drop since {since} (next poll confirms or clears it)"
    if board.health == "incomplete":
        since = when(board.incomplete_since, zone)
        return f"incomplete since {since} (nothing counted missing): {clean_line(board.incomplete_why or '')}"
    return board.health


def board_lines(config: Config, store: Store, now: datetime, *, verbose: bool = False) -> Iterator[str]:
    zone = config.display.zone
    rows = [
        (
            board.board,
            f"{board.matching}/{board.open}",
            when(board.last_success_at, zone),
            "now" if board.due else when(board.next_poll_at, zone),
            _health(board, zone, verbose),
        )
        for board in board_health(config, store, now)
    ]
    yield from table(("BOARD", "MATCH/OPEN", "LAST SUCCESS", "NEXT POLL", "HEALTH"), rows)
