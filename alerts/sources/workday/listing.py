"""Workday's list of postings (`POST {base}/jobs`), every page of it.

Real tenants refuse `limit` above 20 (HTTP 400), fill `total` on the first
page only (later pages say 0), and list at most 2,000 postings: past that,
some tenants clamp `total` to 2,000 and wrap offsets back to the first page.
A larger board is read one facet value at a time (each value below the
cap): the cheapest facet first, and the next when one does not cover the
board. A facet read whole shows whether it is a partition (its postings add
up to its count); the largest such count, or `total` when page 0 gives more
than the cap, is the board's size, and the read is complete once that many
postings are read. A facet that counts a posting once per place or family is
no measure of the board (its count is too high), so it never makes a read
incomplete. Otherwise what can be read is returned as an incomplete
snapshot, so that nothing beyond the cap is ever taken for closed. (A
partition that leaves out the postings with none of its values cannot be
told from a whole one by its counts; `total`, where a tenant gives more
than the cap, is the guard then.)
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import Any

from alerts.model import BoardRef

from ..failures import Explain
from ..fetch import parsed
from ..http import Client
from ..normalize import as_dict, as_list, to_str
from ..payload import jobs_in, malformed
from ..together import all_or_none

PAGE_SIZE = 20  # the most a real tenant accepts
CAP = 2000  # the most a tenant lists for one query
# A poll's list requests at most (10,000 postings); beyond, the snapshot is incomplete.
MAX_LIST_REQUESTS = 500
CONCURRENCY = 3  # list pages of one board in flight at once


@dataclass
class Page:
    total: int | None
    rows: list[dict[str, Any]]
    placeholders: int  # rows without a posting (only bulletFields)
    facets: list[dict[str, Any]]


@dataclass
class Listing:
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # by externalPath, in order
    placeholders: int = 0
    complete: bool = True
    requests: int = 0
    notes: list[str] = field(default_factory=list)


def read_page(payload: Any, board: BoardRef) -> Page:
    rows = jobs_in(payload, board, "jobPostings")
    total = payload.get("total")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
        raise malformed(board, f"expected 'total' to be a count, got {total!r}")
    postings = [row for row in rows if to_str(row.get("externalPath"))]
    facets = [as_dict(facet) for facet in as_list(payload.get("facets"))]
    return Page(total, postings, len(rows) - len(postings), facets)


def body(offset: int, facets: dict[str, list[str]]) -> dict[str, Any]:
    # Exactly what the careers site itself sends: an empty body is refused (422).
    return {"appliedFacets": facets, "limit": PAGE_SIZE, "offset": offset, "searchText": ""}


class Lister:
    def __init__(self, client: Client, board: BoardRef, base: str, explain: Explain):
        self.client, self.board, self.url, self.explain = client, board, f"{base}/jobs", explain
        self.slots = asyncio.Semaphore(CONCURRENCY)
        self.listing = Listing()
        self.pending = 0  # list requests planned but not yet made

    async def page(self, offset: int, facets: dict[str, list[str]]) -> Page:
        async with self.slots:
            reply = await self.client.request(
                "POST",
                self.url,
                self.board,
                json=body(offset, facets),
                explain=self.explain,
                follow_redirects=False,  # the API never redirects a real site
            )
        self.listing.requests += reply.requests
        return await parsed(reply, self.board, read_page)

    async def run(self) -> Listing:
        first = await self.page(0, {})
        if first.total is None:
            raise malformed(self.board, "the first page has no 'total'")
        await self._read(first)
        return self.listing

    async def _read(self, first: Page) -> None:
        total = first.total or 0
        facets = facets_of(first.facets)
        largest = max((sum(count for _, count in values) for _, values in facets), default=0)
        if total < CAP or (total == CAP and largest == CAP):
            # Below the cap, or exactly at it by the facets' own count.
            await self._query(first, {}, total)
            return
        split = candidates(first.facets, total)
        if not split:
            await self._query(first, {}, CAP)
            self._incomplete(
                f"Workday lists at most {CAP:,} postings at a time; this board has about "
                f"{max(total, largest):,} and offers no way to read them in parts"
            )
            return
        # Cheapest first; a facet read whole shows whether its values are
        # disjoint (its postings add up to its count): the largest such count
        # is the board's size. A facet that counts a posting under several
        # values (places, overlapping job families) is no measure of it.
        disjoint: list[int] = []
        tried: list[str] = []
        for parameter, values in split:
            if pages_of(values) > MAX_LIST_REQUESTS - self.listing.requests:
                continue
            tried.append(repr(parameter))
            read = await self._facet(parameter, values)
            if read == sum(count for _, count in values):
                disjoint.append(read)
            size = max(total, *disjoint) if disjoint else None
            found = len(self.listing.rows) + self.listing.placeholders
            if not self.listing.complete or (size is not None and found >= size):
                return
        found = len(self.listing.rows) + self.listing.placeholders
        size = max(total, *disjoint) if disjoint else largest
        self._incomplete(
            f"read {found:,} postings by {' and '.join(tried)}, but the board "
            f"counts {size:,}: some may have none of their values"
            if disjoint
            else f"read {found:,} postings, but no facet of the board splits it into parts that each "
            f"hold a posting once (each counts some postings under several values)"
        )

    async def _facet(self, parameter: str, values: list[tuple[str, int]]) -> int:
        """Every value of one facet; how many postings it holds, each once."""
        firsts = await all_or_none(self.page(0, {parameter: [value]}) for value, _ in values)
        pairs = zip(firsts, values, strict=True)
        parts = await all_or_none(self._part(page, {parameter: [value]}) for page, (value, _) in pairs)
        return len(set().union(*(paths for paths, _ in parts))) + sum(extra for _, extra in parts)

    async def _part(self, first: Page, facets: dict[str, list[str]]) -> tuple[set[str], int]:
        total = first.total or 0
        if total >= CAP:
            self._incomplete(f"{facets} alone lists {total:,} postings, over Workday's {CAP:,}")
            total = CAP
        return await self._query(first, facets, total)

    async def _query(self, first: Page, facets: dict[str, list[str]], total: int) -> tuple[set[str], int]:
        """Every page of one query, page 0 already read; rows kept by
        externalPath. Returns the paths read and the placeholder rows."""
        offsets = list(range(PAGE_SIZE, min(total, CAP), PAGE_SIZE))
        allowed = max(0, MAX_LIST_REQUESTS - self.listing.requests - self.pending)
        if len(offsets) > allowed:
            offsets = offsets[:allowed]
            self._incomplete(f"stopped at {MAX_LIST_REQUESTS} list requests")
        self.pending += len(offsets)
        pages = [first, *await all_or_none(self.page(offset, facets) for offset in offsets)]
        self.pending -= len(offsets)
        paths: set[str] = set()
        placeholders = 0
        for page in pages:
            placeholders += page.placeholders
            for row in page.rows:
                path = str(row["externalPath"]).strip()
                paths.add(path)
                self.listing.rows.setdefault(path, row)
        self.listing.placeholders += placeholders
        found = len(paths) + placeholders
        if not facets and found < min(total, CAP) and self.listing.complete:
            # A posting that moved between pages while we read them.
            self._incomplete(f"the board changed while paging ({found:,} of {total:,} postings read)")
        return paths, placeholders

    def _incomplete(self, why: str) -> None:
        self.listing.complete = False
        self.listing.notes.append(f"{why}; no posting is counted missing this poll")


def facets_of(facets: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """(parameter, [(value id, count)]) for each facet, nested groups flattened
    (`locationMainGroup` holds `locationCountry`, ...). A facet with any value
    lacking an id or a count is left out: it cannot be asked for."""
    found: list[tuple[str, list[tuple[str, int]]]] = []
    for facet in facets:
        values = [as_dict(value) for value in as_list(facet.get("values"))]
        if values and all("facetParameter" in value for value in values):
            found.extend(facets_of(values))
            continue
        parameter = to_str(facet.get("facetParameter"))
        counted: list[tuple[str, int]] = []
        for value in values:
            key, count = to_str(value.get("id")), value.get("count")
            if key and isinstance(count, int) and not isinstance(count, bool) and count >= 0:
                counted.append((key, count))
        if parameter and values and len(counted) == len(values):
            found.append((parameter, counted))
    return found


def candidates(facets: list[dict[str, Any]], total: int) -> list[tuple[str, list[tuple[str, int]]]]:
    """The facets that may split the board: each value below the cap, and
    together at least the board's `total`; the cheapest first."""
    found = [
        (parameter, values)
        for parameter, values in facets_of(facets)
        if all(count < CAP for _, count in values) and sum(count for _, count in values) >= total
    ]
    return sorted(found, key=lambda c: (pages_of(c[1]), c[0]))


def pages_of(values: list[tuple[str, int]]) -> int:
    return sum(max(1, math.ceil(count / PAGE_SIZE)) for _, count in values)


async def list_board(client: Client, board: BoardRef, base: str, explain: Explain) -> Listing:
    """Every posting the board lists (incomplete past the cap), or
    SourceError if any page fails."""
    return await Lister(client, board, base, explain).run()
