"""The last step of every fetch, whatever the kind: a snapshot the store can
always write and a terminal or chat service can always show.

Each kind cleans its display text as it normalises (normalize.clean_text);
this pass makes sure of it for every string field of every posting, bounds
their lengths, picks one posting per id when a board lists an id twice, and
reads the country from the place text of a posting whose source named none.
One hostile or broken posting must never block its board: a NUL or an id
over the column's 255 characters would make every write of the board fail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.text import clean_line, has_controls, truncate

from .base import Snapshot
from .country import place_country

# More postings than any real board lists (a sitemap holds 50,000 URLs at
# most): the board fails instead of filling the store.
MAX_POSTINGS = 50_000
# The stored external_id (and same_as) column holds 255 characters.
ID_MAX_CHARS = 255
# A longer (or dirty) id is stored as a readable prefix and a digest of the whole.
ID_PREFIX_CHARS = 190
# Display text beyond this is noise in a notification.
TEXT_MAX_CHARS = 300
# A cut URL is a broken link: a longer one is dropped.
URL_MAX_CHARS = 2048

# Times from outside (posted_at, updated_at): before this is no job board's
# (a 0 or a 1970 default), so unknown; a little ahead of the poll (a skewed
# clock, a date read in the wrong zone) is the poll's time; further ahead is
# no date at all, so unknown too: "first seen" is then the truthful age.
EARLIEST_TIME = datetime(1990, 1, 1, tzinfo=UTC)
AHEAD_AT_MOST = timedelta(days=2)
_TIMES = ("posted_at", "updated_at")
_IDS = ("external_id", "same_as")
_URLS = ("url", "apply_url")
_TEXTS = (
    "title",
    "company",
    "department",
    "team",
    "location",
    "city",
    "region",
    "country",
    "salary_currency",
    "salary_period",
)


def bounded_id(value: str) -> str:
    """The id as stored: itself when clean and short enough, else a readable
    prefix and a digest of the original (stable from poll to poll, distinct
    for distinct ids)."""
    if len(value) <= ID_MAX_CHARS and not has_controls(value) and value.strip() == value:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"{clean_line(value)[:ID_PREFIX_CHARS]}~{digest}"


def bounded_time(value: datetime | None, now: datetime) -> datetime | None:
    """A time from a source as stored: never after the poll (`now`), None
    when it is absurd (before 1990, or more than two days ahead)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value < EARLIEST_TIME or value > now + AHEAD_AT_MOST:
        return None
    return min(value, now)


def _fixes(posting: Posting, now: datetime) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in _TIMES:
        when = getattr(posting, name)
        if when is not None and (moved := bounded_time(when, now)) != when:
            changes[name] = moved
    for name in _IDS:
        value = getattr(posting, name)
        if value is not None and (fixed := bounded_id(value)) != value:
            changes[name] = fixed
    for name in _TEXTS:
        value = getattr(posting, name)
        if isinstance(value, str) and (len(value) > TEXT_MAX_CHARS or has_controls(value)):
            changes[name] = truncate(clean_line(value), TEXT_MAX_CHARS) or (None if name != "title" else "")
    for name in _URLS:
        value = getattr(posting, name)
        if isinstance(value, str) and (len(value) > URL_MAX_CHARS or has_controls(value)):
            cleaned = clean_line(value)
            changes[name] = cleaned if cleaned and len(cleaned) <= URL_MAX_CHARS else None
    if posting.country is None and (code := place_country(changes.get("location", posting.location))):
        # Whatever the kind, a source that named no country may have written
        # one in its place text ("London, UK", "New York, NY", "Remote - USA").
        changes["country"] = code
    return changes


def bound_posting(posting: Posting, now: datetime | None = None) -> Posting:
    """The posting as it may be stored; `now` is the poll's time."""
    changes = _fixes(posting, now or datetime.now(UTC))
    return replace(posting, **changes) if changes else posting


def one_per_id(postings: Iterable[Posting]) -> list[Posting]:
    """One posting per external_id, at the place of its first listing. Of a
    board's duplicates the same one wins whatever their order: an active one
    first, then the smallest fingerprint (else a board shuffling two versions
    of one id would read as an update at every poll)."""
    chosen: dict[str, Posting] = {}
    for posting in postings:
        kept = chosen.get(posting.external_id)
        if kept is None or _rank(posting) < _rank(kept):
            chosen[posting.external_id] = posting
    return list(chosen.values())


def _rank(posting: Posting) -> tuple[bool, str]:
    return (not posting.active, posting.fingerprint)


def bound_snapshot(snapshot: Snapshot, board: BoardRef, now: datetime | None = None) -> Snapshot:
    """The snapshot as it may be stored (`now`: the poll's time); SourceError
    for a board listing more than MAX_POSTINGS."""
    if len(snapshot.postings) > MAX_POSTINGS:
        message = (
            f"the board lists more than {MAX_POSTINGS:,} postings ({len(snapshot.postings):,}); "
            "no job board is that large, so it is not read"
        )
        raise SourceError(board.key, message, transient=False)
    now = now or datetime.now(UTC)
    postings = [bound_posting(posting, now) for posting in snapshot.postings]
    unique = one_per_id(postings)
    filled = frozenset(map(bounded_id, snapshot.filled))
    if (
        len(unique) == len(snapshot.postings)
        and all(a is b for a, b in zip(postings, snapshot.postings, strict=True))
        and filled == snapshot.filled
    ):
        return snapshot
    return replace(snapshot, postings=unique, filled=filled)
