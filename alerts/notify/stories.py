"""One message tells what happened, in the order it happened, one entry per
posting: that posting's events merged into one story.

- closed then reopened reads as reopened (it is open now);
- opened then closed as "opened and closed" (kind `closed`: it is gone);
- several updates as one, each field's first old value -> last new value.

The message lists companies in the order their first story began, and each
company's stories in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from alerts.model import Delivery, Event, Posting, Repost
from alerts.notify.escape import one_line

KIND_LABELS = {"opened": "New", "reopened": "Reopened", "updated": "Updated", "closed": "Closed"}
REPOST_LABEL = "Reposted"
# Stories whose end alone would hide how they began.
MERGED_LABELS = {("opened", "closed"): "Opened and closed", ("reopened", "closed"): "Reopened and closed"}


def _event(item: Delivery) -> Event:
    event = item.event
    assert isinstance(event, Event), "notices are composed apart (compose.py)"
    return event


def _when(item: Delivery) -> tuple[float, int, int]:
    event = _event(item)
    at = event.occurred_at.timestamp() if event.occurred_at else float("-inf")
    return (at, event.id or 0, item.id)


@dataclass(frozen=True)
class Story:
    """One posting's rows in a message, oldest event first."""

    items: tuple[Delivery, ...]

    @property
    def events(self) -> list[Event]:
        return [_event(item) for item in self.items]

    @property
    def posting(self) -> Posting:
        """As it is after the last event (for `closed`, as last seen)."""
        return self.events[-1].posting

    @cached_property
    def kind(self) -> str:
        kinds = [event.kind for event in self.events]
        if kinds[-1] == "closed":
            return "closed"
        if kinds[0] == "opened":
            return "opened"
        if "reopened" in kinds:
            return "reopened"
        return "updated"

    @property
    def label(self) -> str:
        first, last = self.events[0].kind, self.events[-1].kind
        if last == "closed" and first in ("opened", "reopened") and len(self.items) > 1:
            return MERGED_LABELS[(first, "closed")]
        if self.kind == "opened" and self.reposts is not None:
            return REPOST_LABEL
        return KIND_LABELS[self.kind]

    @property
    def reposts(self) -> Repost | None:
        """The earlier posting this one reposts, when it opened as a repost."""
        first = self.events[0]
        return first.reposts if first.kind == "opened" else None

    @property
    def first_seen_at(self) -> datetime | None:
        """When the job was first seen: along a chain of reposts, its first posting."""
        return self.started[1]

    @property
    def started(self) -> tuple[datetime | None, datetime | None]:
        """(posted, first seen) of the job: the source's date of the posting
        and when it was first seen, or a repost's chain's first posting's."""
        chain = next((e.chain or e.reposts for e in self.events if e.chain or e.reposts), None)
        if chain is not None:
            return chain.start(self.posting.posted_at)
        first_seen = next((event.first_seen_at for event in self.events if event.first_seen_at), None)
        return self.posting.posted_at, first_seen

    @cached_property
    def changes(self) -> dict[str, list[Any]]:
        """Each field's first old and last new value; none for a new posting."""
        if self.kind == "opened" or self.label in MERGED_LABELS.values():
            return {}
        merged: dict[str, list[Any]] = {}
        for event in self.events:
            for name, (old, new) in event.changes.items():
                merged[name] = [merged[name][0] if name in merged else old, new]
        return {name: pair for name, pair in merged.items() if pair[0] != pair[1]}

    @property
    def subscriptions(self) -> list[str]:
        return list(dict.fromkeys(name for item in self.items for name in item.subscriptions))

    @property
    def occurred_at(self) -> datetime | None:
        return self.events[-1].occurred_at

    @property
    def company(self) -> str:
        # Boards without a company name still need a heading of their own.
        posting = self.posting
        return one_line(posting.company or "") or posting.board_token


def stories(items: Sequence[Delivery]) -> list[Story]:
    """The rows as stories, in message order."""
    by_posting: dict[tuple[str, str], list[Delivery]] = {}
    for item in sorted(items, key=_when):
        event = _event(item)
        by_posting.setdefault((event.board_key, event.external_id), []).append(item)
    by_company: dict[str, list[Story]] = {}
    for rows in by_posting.values():  # in the order each story began
        story = Story(tuple(rows))
        by_company.setdefault(story.company.casefold(), []).append(story)
    return [story for group in by_company.values() for story in group]
