"""Pure comparison of a board's stored state with a new complete snapshot.

No I/O: the store loads the state, calls `reconcile`, and writes the result
and its events in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from alerts.model import Event, Posting, diff_tracked

State = Literal["open", "closed"]


@dataclass(frozen=True)
class Stored:
    """One posting as the store knows it."""

    posting: Posting
    state: State = "open"
    misses: int = 0  # consecutive complete snapshots it was absent from


@dataclass
class Outcome:
    # At a baseline these are the `opened` events of everything already there:
    # stored only for subscriptions that asked to hear about existing postings.
    baseline: bool = False
    events: list[Event] = field(default_factory=list)
    # Only the rows that differ from what is stored, keyed by external_id.
    changed: dict[str, Stored] = field(default_factory=dict)


def reconcile(
    stored: dict[str, Stored],
    snapshot: Iterable[Posting],
    *,
    baseline: bool,
    close_after_misses: int,
    now: datetime,
) -> Outcome:
    """Events and changed rows for one board.

    `baseline` is True for the board's first complete snapshot: its state is
    stored and its events are marked as the baseline's.
    """
    out = Outcome(baseline=baseline)
    seen: set[str] = set()

    def emit(kind: str, posting: Posting, changes: dict | None = None) -> None:
        out.events.append(
            Event(kind, posting.board_key, posting.external_id, posting, changes or {}, now)  # type: ignore[arg-type]
        )

    for posting in snapshot:
        key = posting.external_id
        if key in seen:  # a board listing one job twice: the first one wins
            continue
        seen.add(key)
        old = stored.get(key)
        if old is None:
            out.changed[key] = Stored(posting)
            emit("opened", posting)
        elif old.state == "closed":
            out.changed[key] = Stored(posting)
            emit("reopened", posting, diff_tracked(old.posting, posting))
        else:
            changes = diff_tracked(old.posting, posting)
            if changes:
                emit("updated", posting, changes)
            if changes or old.misses or old.posting != posting:
                out.changed[key] = Stored(posting)

    for key, old in stored.items():
        if key in seen or old.state == "closed":
            continue
        misses = old.misses + 1
        if misses >= close_after_misses:
            out.changed[key] = replace(old, state="closed", misses=misses)
            emit("closed", old.posting)
        else:
            out.changed[key] = replace(old, misses=misses)
    return out
