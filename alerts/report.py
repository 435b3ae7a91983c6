"""Plain-text reports for `alerts status`; cli.py prints them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from alerts.config import Config
from alerts.store import Store


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Iterator[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        yield "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()


def status_lines(config: Config, store: Store) -> Iterator[str]:
    wanted = set(config.boards())
    rows = []
    for b in store.board_rows():
        if b.key not in wanted:
            continue
        if b.last_error:
            status = f" (HTTP {b.last_status})" if b.last_status else ""
            health = f"failing x{b.consecutive_failures}: {b.last_error}{status}"
        else:
            health = "ok" if b.last_success_at else "not polled yet"
        rows.append((b.key, str(b.open_postings), _when(b.last_success_at), health))
    yield from _table(("BOARD", "OPEN", "LAST SUCCESS", "HEALTH"), rows)
    counts = store.delivery_counts()
    yield ""
    channel_rows = [
        (
            name,
            str(counts.get((name, "pending"), 0)),
            str(counts.get((name, "sent"), 0)),
            str(counts.get((name, "dead"), 0)),
        )
        for name in sorted(config.channels)
    ]
    yield from _table(("CHANNEL", "PENDING", "SENT", "DEAD"), channel_rows)
