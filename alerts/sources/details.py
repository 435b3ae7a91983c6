"""What a list does not say, fetched only where the list changed.

Workday, BambooHR and Rippling list every posting in a few requests but keep
the posting date, the country or the pay in one detail per posting; a JSON-LD
sitemap lists pages that each hold postings. Fetching every detail on every
poll would cost a request per posting per poll, so each detail is kept in the
board's source cache under the signature of the list entry it belongs to (a
digest of the entry, a page's lastmod), and fetched again only when that
signature changes. A steady board costs its list requests and nothing more.

At most `MAX_PER_POLL` details are fetched per poll (`CATCH_UP_MAX` until
the board has been read whole once, when it is not yet *settled*), and none
is started past the poll's time for details (`FetchContext.details_time`,
most of board_deadline). New entries beyond either wait for the next poll:
the snapshot is then incomplete (nothing is counted missing) and says how
many wait (`Snapshot.waiting`), and the store keeps a board that has never
been read whole unbaselined until they have arrived, so that they join its
baseline silently. Changed entries keep their last detail meanwhile. A large
first poll so converges over a few polls instead of failing its deadline.
Progress is cached after every batch, so a poll that fails halfway does not
start over.

A new posting whose detail fails is shown from its list entry alone, and
remembered as such (`BARE`): its detail is asked again at later polls, and
when it arrives it *fills* the posting in (`Details.filled`,
`Snapshot.filled`): a pay or a place that was unknown only because of our
failed request is never announced as an update.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alerts.chunks import chunked
from alerts.errors import SourceError

from .base import TimeBox
from .cache import Entry, SourceCache, fresh
from .together import all_or_none

BOARD = "board"  # the board's own entry: settled, its company name, ...
# The signature of an entry whose posting was shown from the list alone (its
# detail failed): never a list entry's, so it is asked again.
BARE = "(no detail)"
MAX_PER_POLL = 250  # details per poll once the board is settled
# Even a first poll stops here (a sitemap of 50,000 pages); the rest follow
# on later polls.
CATCH_UP_MAX = 5000
BATCH = 50  # details cached after each batch
# Soft failures in a row before the rest of this poll's details are left
# alone, as they are at the first 429 (or Retry-After): a host that refuses
# every detail (some Workday tenants block them), or starts to, costs a few
# requests per poll, not hundreds. What was not asked waits for the next poll;
# only when no detail at all succeeded (a host that refuses them outright)
# are new postings shown from the list alone.
GIVE_UP_AFTER = 5
CONCURRENCY = 3  # details of one board in flight at once ("a few" per host)

# A detail's data and the HTTP requests it took; raises SourceError.
FetchOne = Callable[[str], Awaitable[tuple[Any, int]]]


@dataclass
class Details:
    data: dict[str, Any] = field(default_factory=dict)  # fresh, fetched or last known
    deferred: list[str] = field(default_factory=list)  # new, left for a later poll
    failed: list[str] = field(default_factory=list)  # no detail: the request failed
    # Shown from the list alone: new ones whose detail failed, and earlier
    # ones whose detail has still not arrived.
    bare: list[str] = field(default_factory=list)
    # Shown from the list alone before, with their detail now: what it adds
    # is no change of the posting (see `Snapshot.filled`).
    filled: list[str] = field(default_factory=list)
    board: dict[str, Any] = field(default_factory=dict)
    requests: int = 0
    fetched: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def owed(self) -> bool:
        """Some detail is missing or stale: a 304 must not stand for this snapshot."""
        return bool(self.deferred or self.failed or self.bare)


async def gather_details(
    cache: SourceCache | None,
    wanted: Mapping[str, str],
    fetch_one: FetchOne,
    *,
    soft: bool = True,
    budget: int = MAX_PER_POLL,
    concurrency: int = CONCURRENCY,
    known: Mapping[str, Entry] | None = None,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
    time: TimeBox | None = None,
) -> Details:
    """Details for `wanted` (key -> signature of its list entry), from the
    cache where the signature still holds, fetched otherwise.

    `soft`: a failed detail leaves its key without data (in `failed`), as
    when the list is the authority and the detail only adds to it; otherwise
    the first failure is raised, after the progress so far is cached.
    `known`: the cache entries already read by the caller (every wanted key
    and the board's own), so that they are not read twice. `extra`: what to
    keep in a key's entry beside its detail (Workday: the path and row it was
    read from). `time`: when details stop starting, and when one still in
    flight is dropped.
    """
    if known is not None:
        entries = dict(known)
    else:
        entries = await cache.get([*wanted, BOARD]) if cache is not None else {}
    extra = extra or {}
    result = Details(board=dict(_board_entry(entries)))
    new: list[str] = []
    changed: list[str] = []
    bare: list[str] = []  # shown from the list alone so far
    for key, signature in wanted.items():
        data = fresh(entries.get(key), signature)
        if data is not None:
            result.data[key] = data
        elif key in entries and entries[key][0] == BARE:
            bare.append(key)
        elif key in entries:
            changed.append(key)
            result.data[key] = entries[key][1]  # the last known detail, until a new one arrives
        else:
            new.append(key)
    limit = budget if result.board.get("settled") else CATCH_UP_MAX
    todo = (new + changed + bare)[:limit]
    result.deferred = new[limit:]
    run = _Run(result, fetch_one, soft, concurrency, time)
    # The first few start whatever the time: every poll makes progress, even
    # one whose list took most of its deadline.
    first = max(1, concurrency)
    batches = [todo[:first], *chunked(todo[first:], BATCH)]
    for number, batch in enumerate(filter(None, batches)):
        try:
            got = await run.batch(batch, timed=number > 0)
        finally:
            if cache is not None and run.done:
                await cache.put(
                    {key: (wanted[key], _with(run.done[key], extra.get(key))) for key in run.done}
                )
            run.done = {}
        result.data.update(got)
    late = set(run.late)
    result.deferred.extend(key for key in new if key in late)
    if run.gave_up:
        skipped = [key for key in todo if key not in run.tried and key not in run.late]
        left = [key for key in skipped if key in new]
        # A host that answered some details and then stopped: the rest wait.
        # One that answered none: new postings are shown from the list alone.
        (result.deferred if run.succeeded else result.failed).extend(left)
        result.notes.append(f"{run.why_stopped}; {len(skipped)} details left for the next poll")
    failed = set(result.failed)
    result.filled = [key for key in bare if key in result.data]
    newly_bare = [key for key in new if key in failed]
    result.bare = newly_bare + [key for key in bare if key not in result.data]
    if cache is not None and newly_bare:
        # Remembered, so that the detail, when it arrives, is known to fill a
        # posting in rather than to change it.
        await cache.put({key: (BARE, {"bare": True, **extra.get(key, {})}) for key in newly_bare})
    why = [
        *([f"at most {limit} details a poll"] if len(new) > limit else []),
        *(["the poll's time for details ran out"] if late else []),
    ]
    if result.deferred:
        result.notes.append(
            f"{len(result.deferred)} new postings wait for their details until the next poll "
            f"({'; '.join(why)}); nothing is counted missing meanwhile"
        )
    elif late:
        result.notes.append(
            f"the poll's time for details ran out; {len(late)} changed postings keep their last"
        )
    return result


def _with(data: Any, more: Mapping[str, Any] | None) -> Any:
    return {**data, **more} if more and isinstance(data, dict) else data


def _board_entry(entries: Mapping[str, tuple[str, Any]]) -> Mapping[str, Any]:
    entry = entries.get(BOARD)
    return entry[1] if entry is not None and isinstance(entry[1], dict) else {}


class _Run:
    """One poll's detail requests: a few at once, until too many fail or the
    time for details runs out."""

    def __init__(
        self, result: Details, fetch_one: FetchOne, soft: bool, concurrency: int, time: TimeBox | None
    ):
        self.result, self.fetch_one, self.soft, self.time = result, fetch_one, soft, time
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.late: list[str] = []  # not started: the time for details ran out
        self.timed = True  # this batch stops when the time for details runs out
        self.done: dict[str, Any] = {}  # fetched since the last cache write
        self.tried: set[str] = set()
        self.finished: set[str] = set()  # fetched or failed
        self.failures = 0  # in a row
        self.succeeded = False
        self.gave_up = False  # no more details this poll
        self.why_stopped = ""

    async def batch(self, keys: Sequence[str], *, timed: bool = True) -> dict[str, Any]:
        self.timed = timed
        try:
            async with asyncio.timeout_at(self.time.done_by if timed and self.time else None) as limit:
                got = await all_or_none(self.one(key) for key in keys)
        except TimeoutError:
            if not limit.expired():
                raise
            # The time ran out mid-batch: what is still in flight is dropped
            # (a few requests' work) and waits with the rest.
            self.late.extend(key for key in keys if key not in self.finished and key not in self.late)
            return {key: self.done[key] for key in keys if key in self.done}
        return {key: data for key, data in zip(keys, got, strict=True) if data is not None}

    async def one(self, key: str) -> Any | None:
        async with self.slots:
            if self.gave_up:
                return None
            if self.timed and self.time and asyncio.get_running_loop().time() >= self.time.start_by:
                self.late.append(key)
                return None
            self.tried.add(key)
            try:
                data, requests = await self.fetch_one(key)
            except SourceError as exc:
                self.result.requests += 1
                if not self.soft:
                    raise
                self.finished.add(key)
                self.result.failed.append(key)  # a changed one keeps its last known detail
                self.failures += 1
                if not self.gave_up and (exc.status == 429 or exc.retry_after):
                    self.gave_up, self.why_stopped = True, f"the host asks us to slow down ({exc.message})"
                elif not self.gave_up and self.failures >= GIVE_UP_AFTER:
                    failed = f"{self.failures} detail requests failed in a row ({exc.message})"
                    self.gave_up, self.why_stopped = True, failed
                return None
            self.result.requests += requests
            self.result.fetched += 1
            self.succeeded, self.failures = True, 0
            self.finished.add(key)
            self.done[key] = data
            return data


async def settle(
    cache: SourceCache | None, keys: Iterable[str], board: Mapping[str, Any], *, whole: bool
) -> None:
    """Keep only these keys' details, and the board's own entry updated with
    `board`; `whole`: this poll read every entry the board lists (the board
    is settled from now on; it stays settled once it is)."""
    if cache is None:
        return
    await cache.retain([*keys, BOARD])
    entry = {**_board_entry(await cache.get([BOARD])), **board}
    if whole:
        entry["settled"] = True
    await cache.put({BOARD: (BOARD, entry)})
