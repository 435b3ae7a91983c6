"""Plain-text reports for `alerts status` and `alerts history`; the CLI prints them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from alerts.cli.report_delivery import delivery_lines
from alerts.cli.tables import table, when
from alerts.config import Config
from alerts.store import Store
from alerts.text import clean_line


def status_lines(config: Config, store: Store, now: datetime) -> Iterator[str]:
    yield from board_lines(config, store, now)
    yield ""
    yield from delivery_lines(config, store, now)


def _health(row: Any) -> str:
    if row.last_error:
        status = f" (HTTP {row.last_status})" if row.last_status else ""
        return f"failing x{row.consecutive_failures}: {clean_line(row.last_error)}{status}"
    if row.suspect_since:
        return f"holding a sudden drop since {when(row.suspect_since)} (next poll confirms or clears it)"
    return "ok" if row.last_success_at else "not polled yet"


def board_lines(config: Config, store: Store, now: datetime) -> Iterator[str]:
    known = {row.key: row for row in store.boards.board_rows()}
    rows = []
    for key in sorted(config.boards()):
        row = known.get(key)
        if row is None:
            rows.append((key, "0", "never", "now", "not polled yet"))
            continue
        due = "now" if row.next_poll_at is None or row.next_poll_at <= now else when(row.next_poll_at)
        rows.append((key, str(row.open_postings), when(row.last_success_at), due, _health(row)))
    yield from table(("BOARD", "OPEN", "LAST SUCCESS", "NEXT POLL", "HEALTH"), rows)


def history_lines(rows: list[Any]) -> Iterator[str]:
    lines = []
    for row in rows:
        posting = row.posting
        changes = "; ".join(f"{field}: {old} -> {new}" for field, (old, new) in row.changes.items())
        title = f"{posting.get('title') or '(untitled)'}" + (f" ({changes})" if changes else "")
        # Rows stored before text was cleaned at normalisation: nothing raw reaches the terminal.
        lines.append((when(row.occurred_at), row.key, row.kind, clean_line(title)))
    if not lines:
        yield "no events in that window"
        return
    yield from table(("WHEN", "BOARD", "EVENT", "POSTING"), lines)
