"""Pure comparison of a board's stored state with a new complete snapshot.

No I/O: the store loads the state, calls `reconcile`, and writes the result
and its events in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from alerts.model import Event, EventKind, Posting, diff_tracked

State = Literal["open", "closed"]


@dataclass(frozen=True)
class StoredPosting:
    """One posting as the store knows it.

    `posting` is None when the store did not load it because the snapshot
    holds the very same posting (equal fingerprints): nothing to compare.
    """

    posting: Posting | None
    state: State = "open"
    misses: int = 0  # consecutive complete snapshots it was absent from


@dataclass
class Outcome:
    # At a baseline these are the `opened` events of everything already there:
    # stored only for subscriptions that asked to hear about existing postings.
    baseline: bool = False
    events: list[Event] = field(default_factory=list)
    # Only the rows that differ from what is stored, keyed by external_id.
    changed: dict[str, StoredPosting] = field(default_factory=dict)
    # Keys of `changed` whose posting data came from this snapshot (the
    # others only count a miss or close).
    fresh: set[str] = field(default_factory=set)


_EMPTY = (None, "unknown")  # a tracked field's value when the source did not say

# A sudden drop is held until the next poll confirms it: a board that returns
# nothing at all, or loses more than half of a board this large or larger.
SUSPECT_MIN_BOARD = 10


def suspect_reason(stored: dict[str, StoredPosting], snapshot: list[Posting]) -> str | None:
    """Why this complete snapshot looks like a board hiccup, or None."""
    open_keys = {key for key, row in stored.items() if row.state == "open"}
    if not open_keys:
        return None
    if not snapshot:
        return f"returned no postings (it had {len(open_keys)})"
    present = len(open_keys & {p.external_id for p in snapshot if p.active})
    lost = len(open_keys) - present
    if len(open_keys) >= SUSPECT_MIN_BOARD and lost * 2 > len(open_keys):
        return f"lost {lost} of its {len(open_keys)} postings at once"
    return None


def reconcile(
    stored: dict[str, StoredPosting],
    snapshot: Iterable[Posting],
    *,
    baseline: bool,
    close_after_misses: int,
    now: datetime,
    complete: bool = True,
    filled: frozenset[str] = frozenset(),
) -> Outcome:
    """Events and changed rows for one board.

    `baseline` is True for the board's first complete snapshot: its state is
    stored and its events are marked as the baseline's. An incomplete
    (incremental) snapshot holds only what changed: absence from it is no miss.
    `filled`: postings whose detail arrived only now (it had failed): a field
    that was empty (None, "unknown") and is filled in is written, not
    announced; it was unknown to us, not changed.
    """
    out = Outcome(baseline=baseline)
    seen: set[str] = set()

    def emit(kind: EventKind, posting: Posting, changes: dict[str, list[Any]] | None = None) -> None:
        out.events.append(Event(kind, posting.board_key, posting.external_id, posting, changes or {}, now))

    for posting in snapshot:
        key = posting.external_id
        if key in seen:  # a board listing one job twice: the first one wins
            continue
        seen.add(key)
        old = stored.get(key)
        if not posting.active:
            _inactive(out, key, old, posting, emit)
        elif old is None:
            out.changed[key] = StoredPosting(posting)
            emit("opened", posting)
        elif old.state == "closed":
            assert old.posting is not None, "the store loads every closed posting the snapshot holds"
            out.changed[key] = StoredPosting(posting)
            emit("reopened", posting, diff_tracked(old.posting, posting))
        elif old.posting is None:  # unchanged, as the store already knows
            if old.misses:
                out.changed[key] = StoredPosting(posting)
        else:
            changes = diff_tracked(old.posting, posting)
            if key in filled:
                changes = {name: pair for name, pair in changes.items() if pair[0] not in _EMPTY}
            if changes:
                out.events.append(
                    Event("updated", posting.board_key, key, posting, changes, now, before=old.posting)
                )
            # A new description alone is written, never announced.
            if changes or old.misses or _differs(old.posting, posting):
                out.changed[key] = StoredPosting(posting)
    out.fresh = set(out.changed)

    for key, old in stored.items():
        if not complete or key in seen or old.state == "closed":
            continue
        misses = old.misses + 1
        if misses >= close_after_misses:
            assert old.posting is not None, "the store loads every posting that may close"
            out.changed[key] = replace(old, state="closed", misses=misses)
            emit("closed", old.posting)
        else:
            out.changed[key] = replace(old, misses=misses)
    return out


Emit = Callable[[EventKind, Posting], None]


def _inactive(out: Outcome, key: str, old: StoredPosting | None, posting: Posting, emit: Emit) -> None:
    """The source says the posting is closed: close it now, no misses needed."""
    if old is not None and old.state == "open":
        emit("closed", posting)
    if old is None or old.state == "open" or (old.posting is not None and _differs(old.posting, posting)):
        out.changed[key] = StoredPosting(posting, state="closed")


def _differs(old: Posting, new: Posting) -> bool:
    return old != new or old.description != new.description
