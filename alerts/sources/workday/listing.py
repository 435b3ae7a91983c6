"""Workday's list of postings (`POST {base}/jobs`), every page of it.

Real tenants refuse `limit` above 20 (HTTP 400), fill `total` on the first
page only (later pages say 0), and list at most 2,000 postings: past that,
some tenants clamp `total` to 2,000 and wrap offsets back to the first page.
A larger board is read one facet value at a time (each value below the
cap), when page 0's facets offer a split that provably covers the board;
otherwise what can be read is returned as an incomplete snapshot, so that
nothing beyond the cap is ever taken for closed.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import Any

from alerts.model import BoardRef

from ..failures import Explain
from ..fetch import parse_reply
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
        return parse_reply(reply, self.board, read_page)

    async def run(self) -> Listing:
        first = await self.page(0, {})
        if first.total is None:
            raise malformed(self.board, "the first page has no 'total'")
        await self._read(first)
        return self.listing

    async def _read(self, first: Page) -> None:
        total = first.total or 0
        sums = [sum(count for _, count in values) for _, values in facets_of(first.facets)]
        largest = max(sums, default=0)
        if total < CAP or (total == CAP and largest == CAP):
            # Below the cap, or exactly at it by the facets' own count.
            await self._query(first, {}, total)
            return
        split = choose_split(first.facets, max(total, largest))
        if split is not None and pages_of(split[1]) > MAX_LIST_REQUESTS:
            split = None
        if split is None:
            await self._query(first, {}, CAP)
            self._incomplete(
                f"Workday lists at most {CAP:,} postings at a time; this board has about "
                f"{max(total, largest):,} and offers no way to read them in parts"
            )
            return
        parameter, values = split
        firsts = await all_or_none(self.page(0, {parameter: [value]}) for value, _ in values)
        pairs = zip(firsts, values, strict=True)
        await all_or_none(self._part(page, {parameter: [value]}) for page, (value, _) in pairs)
        found = len(self.listing.rows) + self.listing.placeholders
        if self.listing.complete and found < max(total, largest):
            self._incomplete(
                f"read {found:,} postings by {parameter!r}, but the board counts "
                f"{max(total, largest):,}: some may have no {parameter!r}"
            )

    async def _part(self, first: Page, facets: dict[str, list[str]]) -> None:
        total = first.total or 0
        if total >= CAP:
            self._incomplete(f"{facets} alone lists {total:,} postings, over Workday's {CAP:,}")
            total = CAP
        await self._query(first, facets, total)

    async def _query(self, first: Page, facets: dict[str, list[str]], total: int) -> None:
        """Every page of one query, page 0 already read; rows kept by externalPath."""
        offsets = list(range(PAGE_SIZE, min(total, CAP), PAGE_SIZE))
        allowed = max(0, MAX_LIST_REQUESTS - self.listing.requests - self.pending)
        if len(offsets) > allowed:
            offsets = offsets[:allowed]
            self._incomplete(f"stopped at {MAX_LIST_REQUESTS} list requests")
        self.pending += len(offsets)
        pages = [first, *await all_or_none(self.page(offset, facets) for offset in offsets)]
        self.pending -= len(offsets)
        before = len(self.listing.rows)
        placeholders = 0
        for page in pages:
            placeholders += page.placeholders
            for row in page.rows:
                self.listing.rows.setdefault(str(row["externalPath"]).strip(), row)
        self.listing.placeholders += placeholders
        found = len(self.listing.rows) - before + placeholders
        if not facets and found < min(total, CAP) and self.listing.complete:
            # A posting that moved between pages while we read them.
            self._incomplete(f"the board changed while paging ({found:,} of {total:,} postings read)")

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


def choose_split(facets: list[dict[str, Any]], size: int) -> tuple[str, list[tuple[str, int]]] | None:
    """A facet whose values are each below the cap and together count the
    whole board (`size`, the largest count anyone gives): the one that costs
    the fewest requests."""
    candidates = [
        (parameter, values)
        for parameter, values in facets_of(facets)
        if all(count < CAP for _, count in values) and sum(count for _, count in values) >= size
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (pages_of(c[1]), c[0]))


def pages_of(values: list[tuple[str, int]]) -> int:
    return sum(max(1, math.ceil(count / PAGE_SIZE)) for _, count in values)


async def list_board(client: Client, board: BoardRef, base: str, explain: Explain) -> Listing:
    """Every posting the board lists (incomplete past the cap), or
    SourceError if any page fails."""
    return await Lister(client, board, base, explain).run()
