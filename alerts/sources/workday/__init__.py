"""Workday career sites (CXS API): `workday:TENANT.wdN/SITE`.

The list (`POST {base}/jobs`, 20 a page) says which postings exist; each
posting's detail (`GET {base}{externalPath}`) adds its date, country, places
and company, and is fetched only when its list row is new or changed
(`alerts.sources.details`). A steady poll costs the list pages alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from alerts.boards import WORKDAY_TOKEN
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from ..base import FetchContext, Snapshot, Source, base_of, board_url
from ..cache import Entry
from ..details import BOARD, gather_details, settle
from ..failures import Explain, display_url
from ..fetch import parsed
from ..http import Client
from ..not_found import unknown_board
from .keys import Keys, assign, candidates, path_of
from .listing import list_board, read_page
from .postings import detail_path, read_detail, signature, to_posting

KIND = "workday"
DEFAULT_BASE_URL = "https://{tenant}.{dc}.myworkdayjobs.com/wday/cxs/{tenant}/{site}"
# Cache keys of postings (the board's own entry is "board": the company, and
# the requisitions listed under several keys).
JOB = "job:"


def _list_explain(tenant: str, dc: str, site: str) -> Explain:
    """Workday's failures in words naming the tenant and site, and, like
    every kind, the URL asked (masked), so the user can try it."""
    moved = unknown_board(f"no Workday career site {tenant}/{site} on {dc}")

    def explain(response: httpx.Response, body: bytes) -> str | None:
        status = response.status_code
        shown = display_url(str(response.url))
        if 300 <= status < 400:
            return moved(response, body)
        if status == 422:
            return (
                f"no Workday career site {tenant}/{site} on {dc} at {shown}: check the tenant, "
                f"the wdN part and the site name of the careers URL"
            )
        if status in (404, 410):
            return (
                f"Workday site {site!r} not found for {tenant} on {dc} at {shown}; "
                f"check the site name of the careers URL"
            )
        if status in (401, 403):
            return (
                f"the Workday site {tenant}/{site} refuses our requests at {shown} "
                f"(private, or closed to automated requests)"
            )
        if status == 400:
            return f"Workday refused the list request as malformed at {shown} (a bug in alerts, or a changed API)"
        return None

    return explain


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    """One list page alone as postings (no detail: no date, country or company)."""
    tenant, dc, site = _site(board)
    today = datetime.now(UTC)
    rows = assign(read_page(payload, board).rows, {}, {}).rows
    return [to_posting(key, row, None, board, (tenant, dc, site), None, today) for key, row in rows.items()]


def _site(board: BoardRef) -> tuple[str, str, str]:
    found = WORKDAY_TOKEN.fullmatch(board.token)
    if found is None:
        message = "not a Workday board; write it workday:TENANT.wdN/SITE"
        raise SourceError(board.key, message, transient=False)
    return found["tenant"], found["dc"], found["site"]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    tenant, dc, site = _site(board)
    base = board_url(base_of(ctx, DEFAULT_BASE_URL), "", board.token, tenant=tenant, dc=dc, site=site)
    listing = await list_board(client, board, base, _list_explain(tenant, dc, site))
    entries, keys = await _keys(ctx, list(listing.rows.values()))
    rows = keys.rows
    paths = {JOB + key: path for key, row in rows.items() if (path := detail_path(row))}
    wanted = {JOB + key: signature(row) for key, row in rows.items() if JOB + key in paths}
    # Kept with each detail: where the posting was listed (its key sticks to that path).
    extra = {JOB + key: {"path": path_of(row), "row": row} for key, row in rows.items()}

    async def one(cache_key: str) -> tuple[Any, int]:
        reply = await client.get(base + paths[cache_key], board, follow_redirects=False)
        return await parsed(reply, board, read_detail), reply.requests

    details = await gather_details(ctx.cache, wanted, one, known=entries, extra=extra, time=ctx.details_time)
    deferred = set(details.deferred)
    found_names = (d.get("company") for d in details.data.values() if isinstance(d, dict))
    company = next(filter(None, found_names), None) or details.board.get("company")
    today = datetime.now(UTC)
    postings = []
    for key, row in rows.items():
        if JOB + key in deferred:
            continue
        detail = details.data.get(JOB + key)
        detail = detail if isinstance(detail, dict) else None
        postings.append(to_posting(key, row, detail, board, (tenant, dc, site), company, today))
    carried = []
    for key in keys.carried:
        # Shown as last read: its requisition is still listed under another key.
        data = entries[JOB + key][1] if JOB + key in entries else None
        if isinstance(data, dict) and isinstance(data.get("row"), dict):
            detail = None if data.get("bare") else data
            postings.append(to_posting(key, data["row"], detail, board, (tenant, dc, site), company, today))
            carried.append(JOB + key)
    shown = [JOB + key for key in rows if JOB + key not in deferred]
    await settle(
        ctx.cache, [*shown, *carried], {"company": company, "shared": keys.shared}, whole=not deferred
    )
    return Snapshot(
        postings,
        complete=listing.complete and not deferred,
        requests=listing.requests + details.requests,
        details=details.requests,
        notes=(*listing.notes, *details.notes),
        waiting=len(deferred),
        filled=frozenset(key[len(JOB) :] for key in details.filled),
    )


async def _keys(ctx: FetchContext, listed: list[dict[str, Any]]) -> tuple[dict[str, Entry], Keys]:
    """The cache entries the listed rows may have (the board's own too), and
    each row's key: sticky to the path it was last listed at."""
    if ctx.cache is None:
        return {}, assign(listed, {}, {})
    entries = await ctx.cache.get([BOARD])
    board = entries[BOARD][1] if BOARD in entries and isinstance(entries[BOARD][1], dict) else {}
    found = board.get("shared")
    shared: dict[str, list[str]] = found if isinstance(found, dict) else {}
    entries.update(await ctx.cache.get(JOB + key for key in candidates(listed, shared)))
    known = {
        key[len(JOB) :]: data["path"]
        for key, (_, data) in entries.items()
        if key.startswith(JOB) and isinstance(data, dict) and isinstance(data.get("path"), str)
    }
    return entries, assign(listed, known, shared)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
