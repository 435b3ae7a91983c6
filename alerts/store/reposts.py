"""Reposts (a posting with a new id for a job seen before) and first
sightings: what the store adds to a poll's events before writing them.

A job is known by a key (`repost_key`): its company (the board's configured
`name`, else the company the source gives, else the board's token), its
department, and its title and location with case, punctuation and spacing
ignored (and the order of several places joined by "; "), whatever the
source kind (a company moving from Lever to Greenhouse posts the same job
again), stored on each posting's row and indexed. An
`opened` posting whose key is on a posting still open (on a board polled
successfully within the repost window), or closed within the repost
window, is a repost of it: found with one indexed query per poll that
opens anything, never by scanning a board. Of several new ids of one poll
with the same key, only the lowest reposts the earlier job; the others are
new. A repost keeps what it reposted (`chain`): a chain of reposts counts
from its first posting.

A `closed` posting whose job is still open under another id (the repost
already opened) says so (`open_as`): for `reposts = "hide"` that close is
not the job closing. So does a `reopened` one: for `reposts = "hide"` the
job never closed (it heard no close while it was open as the other id).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa

from alerts.chunks import chunked
from alerts.model import Event, Posting, Repost
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
    postings.c.chain,
    boards.c.key.label("board_key"),
).join(boards, boards.c.id == postings.c.board_id)
_STILL_OPEN = sa.select(
    postings.c.repost_key, postings.c.external_id, postings.c.data, boards.c.key.label("board_key")
).join(boards, boards.c.id == postings.c.board_id)


def _words(text: str | None) -> str:
    return " ".join(_WORDS.findall(text.casefold())) if text else ""


def _places(location: str | None) -> str:
    """A location's words; several places ("London; Paris", as sources join a
    posting's offices) in any order alike. One place: just its words."""
    return " ".join(sorted(filter(None, map(_words, (location or "").split(";")))))


def repost_key(posting: Posting) -> str | None:
    """The job's key, or None for a posting without a title (nothing to go by)."""
    title = _words(posting.title)
    if not title:
        return None
    company = _words(posting.company) or posting.board_token.casefold()
    text = "\x1f".join((company, _words(posting.department), title, _places(posting.location)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def stored_repost_key(data: dict) -> str | None:
    """The key of a posting as stored (`postings.data`); None if it cannot be read."""
    try:
        return repost_key(Posting.from_dict(data))
    except (TypeError, ValueError):
        return None


def rename_closed(conn: sa.Connection, board_id: int, company: str) -> None:
    """The board's closed postings take the company name the config now gives
    it (its open ones take it from the snapshot), and their keys with it: a
    repost after the rename still finds them, and the board's stored postings
    all carry the name (its fetches may be conditional again)."""
    named = postings.c.data["company"].as_string()
    query = sa.select(postings.c.id, postings.c.data).where(
        postings.c.board_id == board_id,
        postings.c.state == "closed",
        sa.or_(named.is_(None), named != company),
    )
    rows = [(pid, {**data, "company": company}) for pid, data in conn.execute(query)]
    if rows:
        update = (
            sa.update(postings)
            .where(postings.c.id == sa.bindparam("pid"))
            .values(data=sa.bindparam("new_data"), repost_key=sa.bindparam("new_key"))
        )
        conn.execute(
            update, [{"pid": pid, "new_data": data, "new_key": stored_repost_key(data)} for pid, data in rows]
        )


def _id_order(posting: Posting) -> tuple[int, int, str]:
    """Lowest id first: numbers by value, then text."""
    key = posting.external_id
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def _posted(row: sa.Row) -> datetime | None:
    """The earliest source date of an earlier posting and its own chain."""
    dates = []
    if row.data.get("posted_at"):
        dates.append(datetime.fromisoformat(row.data["posted_at"]))
    if row.chain and row.chain.get("posted_at"):
        dates.append(datetime.fromisoformat(row.chain["posted_at"]))
    return min(dates) if dates else None


def find_reposts(
    conn: sa.Connection, events: Iterable[Event], now: datetime, window: timedelta
) -> tuple[dict[str, Repost], dict[str, Posting]]:
    """{external_id: what it reposts} for the `opened` events that repost a
    job, and {external_id: the earlier posting named} (for the filters).

    Of several earlier postings the one still open, else the last closed, is
    named; the job's first sighting is the earliest of them all (a chain of
    reposts counts from its first posting). Of several new postings of the
    job, the lowest id alone reposts it: one job is reposted once.
    """
    wanted: dict[str, list[Posting]] = {}
    for event in events:
        key = repost_key(event.posting) if event.kind == "opened" else None
        if key is not None:
            wanted.setdefault(key, []).append(event.posting)
    if not wanted or window <= timedelta(0):
        return {}, {}
    # Open as of its board's last successful poll, within the window: a board
    # no longer polled (dropped from the config) leaves its postings open forever.
    still = sa.and_(postings.c.state == "open", boards.c.last_success_at >= now - window)
    recent = sa.or_(still, postings.c.closed_at >= now - window)
    earlier: dict[str, list[sa.Row]] = {}
    for chunk in chunked(sorted(wanted), IN_LIST_MAX):
        for row in conn.execute(_CANDIDATES.where(postings.c.repost_key.in_(chunk), recent)):
            earlier.setdefault(row.repost_key, []).append(row)
    found: dict[str, Repost] = {}
    postings_named: dict[str, Posting] = {}
    for key, news in wanted.items():
        for posting in sorted(news, key=_id_order):
            # The same job seen through another board (two bluedoor queries) is no repost.
            rows = [r for r in earlier.get(key, ()) if Posting.from_dict(r.data).identity != posting.identity]
            if not rows:
                continue
            last = max(rows, key=lambda r: (r.state == "open", r.closed_at or r.first_seen_at))
            dates = [d for d in map(_posted, rows) if d is not None]
            found[posting.external_id] = Repost(
                board_key=last.board_key,
                external_id=last.external_id,
                url=last.data.get("url") or last.data.get("apply_url"),
                first_seen_at=min(r.open_since or r.first_seen_at for r in rows),
                closed_at=last.closed_at if last.state == "closed" else None,
                posted_at=min(dates) if dates else None,
            )
            postings_named[posting.external_id] = Posting.from_dict(last.data)
            break  # the others with this key are new postings
    return found, postings_named


ELSEWHERE_KINDS = ("closed", "reopened")


def open_elsewhere(
    conn: sa.Connection,
    board_key: str,
    events: Iterable[Event],
    now: datetime,
    window: timedelta | None = None,
) -> dict[str, tuple[str, Posting]]:
    """{external_id: ("board:id", that posting)} for the `closed` and
    `reopened` events whose job is (also) open under another id (read after
    this poll's postings are written); with a repost `window`, on a board
    polled successfully within it, as find_reposts has it."""
    closing: dict[str, list[Posting]] = {}
    for event in events:
        key = repost_key(event.posting) if event.kind in ELSEWHERE_KINDS else None
        if key is not None:
            closing.setdefault(key, []).append(event.posting)
    found: dict[str, tuple[str, Posting]] = {}
    if not closing:
        return found
    open_rows: dict[str, list[sa.Row]] = {}
    for chunk in chunked(sorted(closing), IN_LIST_MAX):
        query = _STILL_OPEN.where(postings.c.repost_key.in_(chunk), postings.c.state == "open")
        if window is not None and window > timedelta(0):
            query = query.where(boards.c.last_success_at >= now - window)
        for row in conn.execute(query):
            open_rows.setdefault(row.repost_key, []).append(row)
    for key, gone in closing.items():
        for posting in gone:
            others = sorted(
                (r.board_key, r.external_id, other)
                for r in open_rows.get(key, ())
                if (r.board_key, r.external_id) != (board_key, posting.external_id)
                and (other := Posting.from_dict(r.data)).identity != posting.identity
            )
            if others:
                first_board, first_id, other = others[0]
                found[posting.external_id] = (f"{first_board}:{first_id}", other)
    return found


def annotated(
    events: list[Event],
    seen: dict[str, tuple[datetime, Repost | None]],
    reposts: dict[str, Repost],
    now: datetime,
    earlier: dict[str, Posting] | None = None,
) -> list[Event]:
    """The events with when each posting was first seen and what its chain
    reposted (`seen`: read back by the poll, as is every posting an event
    other than `opened` is about) and what each repost reposts (`earlier`:
    the earlier posting itself, for the filters of `reposts = "hide"`)."""
    found = []
    for e in events:
        if e.kind == "opened":
            named = reposts.get(e.external_id)
            other = (earlier or {}).get(e.external_id)
            found.append(replace(e, first_seen_at=now, reposts=named, chain=named, elsewhere=other))
        else:
            first, chain = seen.get(e.external_id, (None, None))
            found.append(replace(e, first_seen_at=first, reposts=None, chain=chain))
    return found
