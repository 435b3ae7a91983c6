"""`alerts history`: the stored events, newest first, with the company and
where each went; as a table, or as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from alerts.cli.tables import table, when
from alerts.service.display import iso
from alerts.store import StoredEvent
from alerts.text import clean_line

# Delivery statuses as a reader says them.
DELIVERY_WORDS = {"sent": "sent", "pending": "waiting", "failed": "failing", "dead": "gave up"}


def delivered(event: StoredEvent) -> str:
    """ "sent: me, team-slack; failing: mail", or "not delivered" (nothing matched it)."""
    by_word: dict[str, list[str]] = {}
    for channel, status in event.deliveries:
        by_word.setdefault(DELIVERY_WORDS.get(status, status), []).append(channel)
    if not by_word:
        return "not delivered"
    return "; ".join(f"{word}: {', '.join(channels)}" for word, channels in by_word.items())


def history_lines(events: list[StoredEvent], zone: tzinfo) -> Iterator[str]:
    lines = []
    for event in events:
        posting = event.posting
        changes = "; ".join(f"{field}: {old} -> {new}" for field, (old, new) in event.changes.items())
        company = f"{posting.company}: " if posting.company else ""
        text = f"{company}{posting.title or '(untitled)'}" + (f" ({changes})" if changes else "")
        # Rows stored before text was cleaned at normalisation: nothing raw reaches the terminal.
        shown = f"{clean_line(text)} [{delivered(event)}]"
        lines.append((when(event.occurred_at, zone), event.board_key, event.kind, shown))
    if not lines:
        yield "no events in that window"
        return
    yield from table(("WHEN", "BOARD", "EVENT", "POSTING"), lines)


def history_data(events: list[StoredEvent], zone: tzinfo) -> list[dict[str, Any]]:
    return [
        {
            "occurred_at": iso(event.occurred_at, zone),
            "board": event.board_key,
            "event": event.kind,
            "external_id": event.external_id,
            "company": clean_line(event.posting.company) if event.posting.company else None,
            "title": clean_line(event.posting.title or ""),
            "url": event.posting.url,
            "changes": event.changes,
            "delivered": any(status == "sent" for _, status in event.deliveries),
            "deliveries": [{"channel": channel, "status": status} for channel, status in event.deliveries],
        }
        for event in events
    ]
