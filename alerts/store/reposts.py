"""Reposts (a posting with a new id for a job seen before) and first
sightings: what the store adds to a poll's events before writing them.

A job is known by a key (`repost_key`): its provider (Lever and Lever EU are
one), its company, and its title and location with case, punctuation and
spacing ignored, stored on each posting's row and indexed. An `opened`
posting whose key is on a posting still open, or closed within the repost
window, is a repost of it: found with one indexed query per poll that opens
anything, never by scanning a board.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import PROVIDER_OF, Event, Posting, Repost
from alerts.store.db import IN_LIST_MAX
from alerts.store.tables import boards, postings

_WORDS = re.compile(r"\w+")

_CANDIDATES = sa.select(
    postings.c.repost_key,
    postings.c.external_id,
    postings.c.state,
    postings.c.first_seen_at,
    postings.c.open_since,
    postings.c.closed_at,
    postings.c.data,
    boards.c.key.label("board_key"),
).join(boards, boards.c.id == postings.c.board_id)


def _words(text: str | None) -> str:
    return " ".join(_WORDS.findall(text.casefold())) if text else ""


def repost_key(posting: Posting) -> str | None:
    """The job's key, or None for a posting without a title (nothing to go by)."""
    title = _words(posting.title)
    if not title:
        return None
    family = PROVIDER_OF.get(posting.source, posting.source)
    company = _words(posting.company) or posting.board_token.casefold()
    text = "\x1f".join((family, company, title, _words(posting.location)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def stored_repost_key(data: dict) -> str | None:
    """The key of a posting as stored (`postings.data`); None if it cannot be read."""
    try:
        return repost_key(Posting.from_dict(data))
    except (TypeError, ValueError):
        return None


def find_reposts(
    conn: sa.Connection, events: Iterable[Event], now: datetime, window: timedelta
) -> dict[str, Repost]:
    """{external_id: what it reposts} for the `opened` events that repost a job.

    Of several earlier postings the one still open, else the last closed, is
    named; the job's first sighting is the earliest of them all (a chain of
    reposts counts from its first posting).
    """
    wanted: dict[str, list[Posting]] = {}
    for event in events:
        key = repost_key(event.posting) if event.kind == "opened" else None
        if key is not None:
            wanted.setdefault(key, []).append(event.posting)
    if not wanted or window <= timedelta(0):
        return {}
    recent = sa.or_(postings.c.state == "open", postings.c.closed_at >= now - window)
    earlier: dict[str, list[sa.Row]] = {}
    for chunk in chunked(sorted(wanted), IN_LIST_MAX):
        for row in conn.execute(_CANDIDATES.where(postings.c.repost_key.in_(chunk), recent)):
            earlier.setdefault(row.repost_key, []).append(row)
    found: dict[str, Repost] = {}
    for key, news in wanted.items():
        for posting in news:
            # The same job seen through another board (two bluedoor queries) is no repost.
            rows = [r for r in earlier.get(key, ()) if Posting.from_dict(r.data).identity != posting.identity]
            if not rows:
                continue
            last = max(rows, key=lambda r: (r.state == "open", r.closed_at or r.first_seen_at))
            found[posting.external_id] = Repost(
                board_key=last.board_key,
                external_id=last.external_id,
                url=last.data.get("url") or last.data.get("apply_url"),
                first_seen_at=min(r.open_since or r.first_seen_at for r in rows),
                closed_at=last.closed_at if last.state == "closed" else None,
            )
    return found


def annotated(
    events: list[Event], seen: dict[str, datetime], reposts: dict[str, Repost], now: datetime
) -> list[Event]:
    """The events with when each posting was first seen (`seen`: read back by
    the poll, as is every posting an event other than `opened` is about) and
    what each repost reposts."""
    return [
        replace(
            e,
            first_seen_at=now if e.kind == "opened" else seen.get(e.external_id),
            reposts=reposts.get(e.external_id) if e.kind == "opened" else None,
        )
        for e in events
    ]
