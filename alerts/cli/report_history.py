"""`alerts history`: the stored events, newest first, with the company and
where each went; as a table, or as JSON."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from alerts.cli.tables import table, when
from alerts.model import Repost
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


def reposted(event: StoredEvent, zone: tzinfo) -> str | None:
    """ "reposts lever:acme:123, closed 2026-11-20 09:00 UTC" for a repost, else None."""
    earlier = event.reposts
    if earlier is None:
        return None
    closed = f"closed {when(earlier.closed_at, zone)}" if earlier.closed_at else "still open"
    return f"reposts {earlier.board_key}:{earlier.external_id}, {closed}"


def history_lines(events: list[StoredEvent], zone: tzinfo) -> Iterator[str]:
    lines = []
    for event in events:
        posting = event.posting
        changes = "; ".join(f"{field}: {old} -> {new}" for field, (old, new) in event.changes.items())
        notes = [n for n in (changes, reposted(event, zone)) if n]
        if event.open_as:
            also = "still" if event.kind == "closed" else "also"  # a reopen: the job never closed
            notes.append(f"the job is {also} open as {event.open_as}")
        company = f"{posting.company}: " if posting.company else ""
        text = f"{company}{posting.title or '(untitled)'}" + (f" ({'; '.join(notes)})" if notes else "")
        # Rows stored before text was cleaned at normalisation: nothing raw reaches the terminal.
        shown = f"{clean_line(text)} [{delivered(event)}]"
        kind = "reposted" if event.reposts is not None else event.kind
        lines.append((when(event.occurred_at, zone), event.board_key, kind, shown))
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
            # An `opened` event that reposts an earlier posting: which one.
            "reposts": _earlier(event.reposts, zone),
            # A `closed` (or `reopened`) event while the job is open under another id.
            "still_open_as": event.open_as,
            "delivered": any(status == "sent" for _, status in event.deliveries),
            "deliveries": [{"channel": channel, "status": status} for channel, status in event.deliveries],
        }
        for event in events
    ]


def _earlier(earlier: Repost | None, zone: tzinfo) -> dict[str, Any] | None:
    if earlier is None:
        return None
    return {
        "board": earlier.board_key,
        "external_id": earlier.external_id,
        "url": earlier.url,
        "closed_at": iso(earlier.closed_at, zone),
        "job_first_seen_at": iso(earlier.first_seen_at, zone),
    }
