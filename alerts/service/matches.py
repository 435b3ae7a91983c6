"""What the subscriptions match among what is stored: the open postings
behind `alerts jobs` and the web page, the events behind the feeds, and
each board's open count for `alerts status`.

Matching is the delivery's own (`alerts.filters`), applied to the stored
postings as they are now, so a list shows what a subscription would be told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from alerts.config import Config, Subscription
from alerts.errors import ConfigError
from alerts.filters import matches_event, matches_posting
from alerts.model import Event, EventKind
from alerts.store import OpenPosting, Store, StoredEvent

# Events are read this many at a time, at most this many times, looking for
# the ones a subscription matches.
EVENT_PAGE = 500
MAX_EVENT_PAGES = 20


@dataclass(frozen=True)
class Match:
    """An open posting and the subscriptions that match it."""

    open: OpenPosting
    subscriptions: tuple[str, ...]

    @property
    def since(self) -> datetime:
        return self.open.since

    @property
    def dated_by_source(self) -> bool:
        """True when the age counts from the source's posting date, not from first sight."""
        return self.open.started[0] is not None


def subscription_named(config: Config, name: str | None) -> list[Subscription]:
    """The named subscription (every one for None); a clear error for a name not in the config."""
    if name is None:
        return list(config.subscriptions)
    for sub in config.subscriptions:
        if sub.name == name:
            return [sub]
    known = ", ".join(sorted(s.name for s in config.subscriptions)) or "none"
    raise ConfigError(f"no subscription {name!r}; defined: {known}")


def _words(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(text.strip().casefold())}(?!\w)")


def open_matches(
    config: Config,
    store: Store,
    *,
    subscription: str | None = None,
    company: str | None = None,
    since: timedelta | None = None,
    now: datetime,
    rows: Sequence[OpenPosting] | None = None,
) -> list[Match]:
    """Open postings a subscription (or any) matches, newest first.

    `company`: whole words of the company name, any case ("stripe" finds
    "Stripe, Inc."). `since`: posted (or, without a date, first seen)
    within that long before `now`. `rows`: the open postings, when the
    caller has read them already (of these boards or more).
    """
    subs = subscription_named(config, subscription)
    boards = {key for sub in subs for key in sub.boards}
    wanted = _words(company) if company else None
    found: list[Match] = []
    for row in store.views.open_postings(boards) if rows is None else rows:
        if row.board_key not in boards:
            continue
        if since is not None and row.since < now - since:
            continue
        if wanted is not None and not wanted.search((row.posting.company or "").casefold()):
            continue
        names = tuple(
            s.name
            for s in subs
            if row.board_key in s.boards
            and matches_posting(s, row.posting, now=now, first_seen=row.first_seen_at)
        )
        if names:
            found.append(Match(row, names))
    found.sort(key=lambda m: (m.since, m.open.board_key, m.open.external_id), reverse=True)
    return found


def matched_events(
    config: Config,
    store: Store,
    *,
    subscription: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    with_deliveries: bool = False,
) -> list[tuple[StoredEvent, tuple[str, ...]]]:
    """Recent stored events a subscription (or any) matches by today's
    config, newest first, with the names of the subscriptions."""
    subs = subscription_named(config, subscription)
    boards = {key for sub in subs for key in sub.boards}
    hiding = any(sub.reposts == "hide" for sub in subs)
    found: list[tuple[StoredEvent, tuple[str, ...]]] = []
    before: tuple[datetime, int] | None = None
    # Pages of events on these boards, newest first, until enough match:
    # some match nobody (filters changed, or baseline events kept for others).
    for _ in range(MAX_EVENT_PAGES):
        page = store.views.events(
            board_keys=boards, since=since, before=before, limit=EVENT_PAGE, with_deliveries=with_deliveries
        )
        for event in page:
            as_event = _as_event(event, store, boards if hiding else None)
            names = tuple(s.name for s in subs if matches_event(s, as_event, event.board_key))
            if names:
                found.append((event, names))
                if len(found) >= limit:
                    return found
        if len(page) < EVENT_PAGE:
            break
        before = (page[-1].occurred_at, page[-1].id)
    return found


def _as_event(event: StoredEvent, store: Store | None = None, boards: set[str] | None = None) -> Event:
    """`store` and `boards`: read the job's other posting (a repost's earlier
    one, the one a close is open as) on these boards, for `reposts = "hide"`."""
    kind = cast(EventKind, event.kind)
    other = None
    if store is not None and boards is not None:
        if event.reposts is not None:
            other = store.views.posting_of(event.reposts.board_key, event.reposts.external_id)
        elif event.open_as:
            board = next((b for b in boards if event.open_as.startswith(f"{b}:")), None)
            other = store.views.posting_of(board, event.open_as[len(board) + 1 :]) if board else None
    return Event(
        kind,
        event.board_key,
        event.external_id,
        event.posting,
        event.changes,
        event.occurred_at,
        first_seen_at=event.first_seen_at,
        reposts=event.reposts,
        chain=event.chain,
        open_as=event.open_as,
        elsewhere=other,
    )


def open_counts(
    config: Config, store: Store, keys: Iterable[str], rows: Sequence[OpenPosting] | None = None
) -> dict[str, tuple[int, int]]:
    """{board: (open postings one of its subscriptions matches, all open postings)};
    `rows` as for open_matches."""
    counts = {key: [0, 0] for key in keys}
    for row in store.views.open_postings(counts) if rows is None else rows:
        count = counts.get(row.board_key)
        if count is None:
            continue
        count[1] += 1
        subs = config.subscriptions_on(row.board_key)
        if any(matches_posting(sub, row.posting, first_seen=row.first_seen_at) for sub in subs):
            count[0] += 1
    return {key: (matching, total) for key, (matching, total) in counts.items()}
