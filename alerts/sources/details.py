"""What a list does not say, fetched only where the list changed.

Workday, BambooHR and Rippling list every posting in a few requests but keep
the posting date, the country or the pay in one detail per posting; a JSON-LD
sitemap lists pages that each hold postings. Fetching every detail on every
poll would cost a request per posting per poll, so each detail is kept in the
board's source cache under the signature of the list entry it belongs to (a
digest of the entry, a page's lastmod), and fetched again only when that
signature changes. A steady board costs its list requests and nothing more.

Until a board has been read whole once (it is not yet *settled*), every
detail it needs is fetched in that poll: postings left out of a board's
first snapshot would be announced as new later. After that, at most
`MAX_PER_POLL` are fetched per poll; new entries beyond it wait for the next
poll (the snapshot is then incomplete, so nothing is counted missing), and
changed ones keep their last detail meanwhile. Progress is cached after
every batch, so a poll that fails halfway does not start over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alerts.errors import SourceError

from .cache import Entry, SourceCache, fresh
from .together import all_or_none

BOARD = "board"  # the board's own entry: settled, its company name, ...
MAX_PER_POLL = 250  # details per poll once the board is settled
# Even a first poll stops here (a sitemap of 50,000 pages); the rest follow
# on later polls.
CATCH_UP_MAX = 5000
BATCH = 50  # details cached after each batch
# Soft failures in a row, without one success, before the rest of this
# poll's details are left alone: a host that refuses every detail (some
# Workday tenants block them) costs a few requests per poll, not hundreds.
GIVE_UP_AFTER = 5
CONCURRENCY = 3  # details of one board in flight at once ("a few" per host)

# A detail's data and the HTTP requests it took; raises SourceError.
FetchOne = Callable[[str], Awaitable[tuple[Any, int]]]


@dataclass
class Details:
    data: dict[str, Any] = field(default_factory=dict)  # fresh, fetched or last known
    deferred: list[str] = field(default_factory=list)  # new, left for a later poll
    failed: list[str] = field(default_factory=list)  # no detail: the request failed
    board: dict[str, Any] = field(default_factory=dict)
    requests: int = 0
    fetched: int = 0
    notes: list[str] = field(default_factory=list)


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
) -> Details:
    """Details for `wanted` (key -> signature of its list entry), from the
    cache where the signature still holds, fetched otherwise.

    `soft`: a failed detail leaves its key without data (in `failed`), as
    when the list is the authority and the detail only adds to it; otherwise
    the first failure is raised, after the progress so far is cached.
    `known`: the cache entries already read by the caller (every wanted key
    and the board's own), so that they are not read twice. `extra`: what to
    keep in a key's entry beside its detail (Workday: the path and row it was
    read from).
    """
    if known is not None:
        entries = dict(known)
    else:
        entries = await cache.get([*wanted, BOARD]) if cache is not None else {}
    extra = extra or {}
    result = Details(board=dict(_board_entry(entries)))
    new: list[str] = []
    changed: list[str] = []
    for key, signature in wanted.items():
        data = fresh(entries.get(key), signature)
        if data is not None:
            result.data[key] = data
        elif key in entries:
            changed.append(key)
            result.data[key] = entries[key][1]  # the last known detail, until a new one arrives
        else:
            new.append(key)
    limit = budget if result.board.get("settled") else CATCH_UP_MAX
    todo = (new + changed)[:limit]
    result.deferred = new[limit:]
    run = _Run(result, fetch_one, soft, concurrency)
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        try:
            got = await run.batch(batch)
        finally:
            if cache is not None and run.done:
                await cache.put(
                    {key: (wanted[key], _with(run.done[key], extra.get(key))) for key in run.done}
                )
            run.done = {}
        result.data.update(got)
    if run.gave_up:
        skipped = [key for key in todo if key not in run.tried]
        result.failed.extend(key for key in skipped if key in new)
        result.notes.append(
            f"{run.failures} detail requests failed in a row ({run.last_error}); "
            f"{len(skipped)} details left for the next poll"
        )
    if result.deferred:
        result.notes.append(
            f"{len(result.deferred)} new postings wait for their details until the next poll "
            f"(at most {limit} details a poll); nothing is counted missing meanwhile"
        )
    return result


def _with(data: Any, more: Mapping[str, Any] | None) -> Any:
    return {**data, **more} if more and isinstance(data, dict) else data


def _board_entry(entries: Mapping[str, tuple[str, Any]]) -> Mapping[str, Any]:
    entry = entries.get(BOARD)
    return entry[1] if entry is not None and isinstance(entry[1], dict) else {}


class _Run:
    """One poll's detail requests: a few at once, until too many fail."""

    def __init__(self, result: Details, fetch_one: FetchOne, soft: bool, concurrency: int):
        self.result, self.fetch_one, self.soft = result, fetch_one, soft
        self.slots = asyncio.Semaphore(max(1, concurrency))
        self.done: dict[str, Any] = {}  # fetched since the last cache write
        self.tried: set[str] = set()
        self.failures = 0  # in a row, with no success this poll
        self.succeeded = False
        self.gave_up = False
        self.last_error = ""

    async def batch(self, keys: list[str]) -> dict[str, Any]:
        got = await all_or_none(self.one(key) for key in keys)
        return {key: data for key, data in zip(keys, got, strict=True) if data is not None}

    async def one(self, key: str) -> Any | None:
        async with self.slots:
            if self.gave_up:
                return None
            self.tried.add(key)
            try:
                data, requests = await self.fetch_one(key)
            except SourceError as exc:
                self.result.requests += 1
                if not self.soft:
                    raise
                self.result.failed.append(key)  # a changed one keeps its last known detail
                self.failures += 1
                self.last_error = exc.message
                if exc.retry_after or (not self.succeeded and self.failures >= GIVE_UP_AFTER):
                    self.gave_up = True
                return None
            self.result.requests += requests
            self.result.fetched += 1
            self.succeeded, self.failures = True, 0
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
