"""Any careers site that publishes schema.org JobPosting: `jsonld:URL`.

URL is either a page whose JSON-LD holds the postings (one, a list, an
ItemList, an @graph), or an XML sitemap of job pages, each read for its
postings. A sitemap's pages are fetched only when new or when their
`lastmod` moved (`alerts.sources.details`); a page gone from the sitemap is
a miss. Pages without a lastmod are read again once a week, spread over the
days.

A board remembers which of the two it is. A sitemap board answered by
anything but a sitemap (a CDN's "checking your browser" page, a maintenance
page, a soft 404) fails for that poll. A page board whose page suddenly
holds no JobPosting fails too, unless its JSON-LD says in so many words that
there are none (an empty list or ItemList where the postings were), until
the page has shown none for a day (`EMPTY_FOR`): one answer without
postings is more often a passing fault of the site than every job closing
at once. Either way nothing is counted missing meanwhile.

`[sources.jsonld] base_url` is "{url}" (the URL itself); set to a host
("http://127.0.0.1:8080") it takes every request instead of the URL's own
host, or with "{url}" inside, it receives the URL as a parameter (a proxy).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from alerts.boards import jsonld_url_ok
from alerts.config.types import format_duration
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from ..base import FetchContext, Snapshot, Source, Validators
from ..details import BOARD, gather_details, settle
from ..failures import display_url
from ..fetch import conditional_headers, not_modified, off_loop, validators_of
from ..http import Client, Reply
from ..normalize import to_datetime
from ..weight import TooHeavy
from . import sitemap as sitemaps
from .mapping import KIND, closes_at, external_id, for_cache, to_posting, trim
from .reader import MAX_POSTINGS, Page, read_page

DEFAULT_BASE_URL = "{url}"
PAGE = "page:"
ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
REREAD_DAYS = 7  # pages without a lastmod
EMPTY_FOR = timedelta(days=1)  # a page board's page without postings, before it is believed
SITEMAP, PAGE_BOARD = "sitemap", "page"  # what a board is, remembered in its cache entry


def route(url: str, base: str | None) -> str:
    """Where to ask for `url`: itself, or through `base` (see the module doc)."""
    if not base or base.strip() == DEFAULT_BASE_URL:
        return url
    if DEFAULT_BASE_URL in base:
        return base.replace(DEFAULT_BASE_URL, quote(url, safe=""))
    parts = urlsplit(url)
    return base.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def page_text(reply: Reply) -> str:
    """The page as text: the header's charset, else a <meta charset>, else UTF-8."""
    body = reply.body
    charset = reply.response.charset_encoding
    if not charset and (found := _META_CHARSET.search(body[:2048])):
        charset = found.group(1).decode("ascii")
    try:
        codecs.lookup(charset or "utf-8")
    except LookupError:
        charset = None
    return body.decode(charset or "utf-8", errors="replace")


async def _page_of(reply: Reply, board: BoardRef) -> Page:
    """The page's JSON-LD, read off the event loop when it is large; a page
    over weight.py's bounds fails the board."""
    try:
        return await off_loop(len(reply.body), lambda: read_page(page_text(reply)))
    except TooHeavy as exc:
        message = f"{display_url(str(reply.response.url))} returned {exc}"
        raise SourceError(board.key, message, status=reply.response.status_code, transient=False) from None


def _explain(board: BoardRef) -> Any:
    def explain(response: httpx.Response, body: bytes) -> str | None:
        if response.status_code in (404, 410):
            shown = display_url(str(response.url))
            return f"nothing at {shown} (HTTP {response.status_code}); check the URL after jsonld:"
        return None

    return explain


def _key(loc: str) -> str:
    """A page's cache key: its URL, or a digest of a long one (keys are kept up to 500 characters)."""
    return PAGE + (loc if len(loc) <= 400 else "sha256:" + hashlib.sha256(loc.encode()).hexdigest())


def _signature(loc: str, lastmod: str, now: datetime) -> str:
    if lastmod:
        return lastmod
    # No lastmod: a new signature once a week, on a day of its own per page.
    day = (now - datetime(1970, 1, 1, tzinfo=UTC)).days + zlib.crc32(loc.encode()) % REREAD_DAYS
    return f"week:{day // REREAD_DAYS}"


def _postings(
    pages: list[tuple[str, dict[str, Any]]], board: BoardRef, now: datetime
) -> tuple[list[Posting], str | None]:
    """Every page's postings, and the first company any of them names."""
    named = (job.get("hiringOrganization") for _, data in pages for job in data.get("jobs") or [])
    found = next((x for x in named if x), None)
    company = found.get("name") if isinstance(found, dict) else found
    postings = []
    host = urlsplit(board.token).hostname
    for page_url, data in pages:
        jobs = [job for job in data.get("jobs") or [] if isinstance(job, dict)]
        # Who is hiring: the postings say, else the site's name or title, else its host.
        fallback = company if isinstance(company, str) else data.get("company") or host
        for ordinal, job in enumerate(jobs):
            key = external_id(job, page_url, ordinal, len(jobs) == 1)
            postings.append(to_posting(job, key, page_url, board, fallback, now))
    return postings, company if isinstance(company, str) else None


async def _read_page(client: Client, url: str, board: BoardRef, base: str | None) -> tuple[Any, int]:
    try:
        reply = await client.get(route(url, base), board, headers=ACCEPT)
    except SourceError as exc:
        if exc.status in (404, 410):  # gone: its postings are missing
            return {"jobs": []}, 1
        raise
    if not reply.body.strip():
        message = f"{display_url(url)} returned an empty page"
        raise SourceError(board.key, message, status=reply.response.status_code, transient=True)
    page = await _page_of(reply, board)
    jobs = [for_cache(trim(job, page.nodes)) for job in page.jobs]
    return {"jobs": jobs, "company": page.site_name or page.title}, reply.requests


@dataclass
class _Pages:
    pages: dict[str, str]  # page URL -> lastmod
    requests: int = 0
    index: bool = False  # read through a sitemap index
    # Some of the site's pages were past a limit and not read: what they hold
    # cannot count as gone.
    capped: bool = False
    elsewhere: int = 0  # URLs on other sites, not read


async def _sitemap_pages(client: Client, board: BoardRef, reply: Reply, base: str | None) -> _Pages:
    """The pages a sitemap lists, the children of a sitemap index included:
    those on the site of the board's URL, or of where it was answered from
    (unless base_url stands in for every host)."""
    url = board.token
    sites = (url, str(reply.response.url)) if route(url, base) == url else (url,)
    found = await off_loop(len(reply.body), sitemaps.read, reply.body, *sites)
    # Every URL the sitemap names passes the redirect policy before it is asked.
    configured, via = route(url, base), functools.partial(route, base=base)
    found.pages, refused = await sitemaps.reachable(found.pages, configured, via)
    if not found.index:
        return _Pages(found.pages, capped=found.capped, elsewhere=found.elsewhere + refused)
    out = _Pages({}, index=True, capped=len(found.pages) > sitemaps.MAX_CHILDREN)
    out.elsewhere = found.elsewhere + refused
    for child in list(found.pages)[: sitemaps.MAX_CHILDREN]:
        got = await client.get(route(child, base), board, headers=ACCEPT)
        out.requests += got.requests
        part = await off_loop(len(got.body), sitemaps.read, got.body, *sites)
        part.pages, refused = await sitemaps.reachable(part.pages, configured, via)
        out.elsewhere += part.elsewhere + refused
        # One level of index, as the protocol allows; a deeper one is not read.
        out.capped |= part.index or part.capped
        for loc, lastmod in [] if part.index else part.pages.items():
            if len(out.pages) < sitemaps.MAX_URLS:
                out.pages.setdefault(loc, lastmod)
            else:
                out.capped = True
    return out


def parse(page: str, board: BoardRef) -> list[Posting]:
    """The postings of one page's HTML (`board.token` is the page's URL)."""
    found = read_page(page)
    jobs = [trim(job, found.nodes) for job in found.jobs]
    return _postings(
        [(board.token, {"jobs": jobs, "company": found.site_name or found.title})], board, datetime.now(UTC)
    )[0]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board.token
    if not jsonld_url_ok(url):
        raise SourceError(board.key, "not a jsonld board; write it jsonld:https://...", transient=False)
    now = datetime.now(UTC)
    known = (await ctx.cache.get([BOARD])).get(BOARD) if ctx.cache is not None else None
    state = known[1] if known and isinstance(known[1], dict) else {}
    recheck = to_datetime(state.get("recheck_at"))
    # Past the earliest closing date (or a weekly re-read) of what we hold: a
    # 304 would keep a closed posting open, so ask in full.
    asked = conditional_headers(None if recheck is not None and recheck <= now else ctx.validators)
    target = route(url, ctx.base_url)
    reply = await client.get(target, board, headers={**ACCEPT, **asked}, explain=_explain(board))
    if reply.response.status_code == 304:
        return not_modified(reply, target, board, ctx, bool(asked))
    try:
        if sitemaps.is_sitemap(reply.body):
            return await _from_sitemap(client, board, ctx, reply, now, state)
    except sitemaps.NotASitemap as exc:
        message = f"{display_url(target)} is {exc}"
        raise SourceError(board.key, message, status=reply.response.status_code, transient=False) from exc
    if state.get("format") == SITEMAP:
        message = (
            f"{display_url(target)} answered with {_what(reply)} instead of its sitemap (a bot check or a "
            f"maintenance page?); nothing is counted missing until the sitemap is back"
        )
        raise SourceError(board.key, message, status=reply.response.status_code, transient=True)
    return await _from_page(board, ctx, reply, now, state)


def _what(reply: Reply) -> str:
    if not reply.body.strip():
        return "an empty answer"
    kind = reply.response.headers.get("content-type", "").split(";")[0].strip().lower()
    if "html" in kind or reply.body.lstrip()[:1] == b"<":
        return "an HTML page"
    return f"something else ({kind or 'no content type'})"


async def _from_page(
    board: BoardRef, ctx: FetchContext, reply: Reply, now: datetime, state: dict[str, Any]
) -> Snapshot:
    if not reply.body.strip():
        # A blank answer is a hiccup of the site, not a page without postings.
        message = f"{display_url(str(reply.response.url))} returned an empty page"
        raise SourceError(board.key, message, status=reply.response.status_code, transient=True)
    page = await _page_of(reply, board)
    data = {"jobs": [trim(job, page.nodes) for job in page.jobs], "company": page.site_name or page.title}
    shown = display_url(str(reply.response.url))
    entry: dict[str, Any] = {"had_postings": True, "format": PAGE_BOARD, "empty_since": None}
    if not data["jobs"] and not state.get("had_postings"):
        bad = f" ({page.bad_blocks} JSON-LD blocks could not be read)" if page.bad_blocks else ""
        message = (
            f"found no job postings (schema.org JobPosting) on {shown}{bad}. "
            f"The page may build its list in the browser: try one job's page, or the site's sitemap.xml"
        )
        raise SourceError(board.key, message, status=reply.response.status_code, transient=False)
    if not data["jobs"] and not page.says_none:
        since = to_datetime(state.get("empty_since")) or now
        if now - since < EMPTY_FOR:
            await settle(ctx.cache, [], {**entry, "empty_since": since.isoformat()}, whole=True)
            message = (
                f"no job postings on {shown} now (it had some); taken for a passing fault of the "
                f"site until it shows none for {format_duration(EMPTY_FOR)}, and nothing is counted missing"
            )
            raise SourceError(board.key, message, status=reply.response.status_code, transient=True)
        entry["empty_since"] = since.isoformat()  # a day without postings: believed
    postings, _ = _postings([(board.token, data)], board, now)
    await settle(ctx.cache, [], {**entry, "recheck_at": _recheck(postings, now, False)}, whole=True)
    if page.truncated:
        # Postings past the limit were not read: none of them may count as gone.
        note = f"more than {MAX_POSTINGS} job postings on one page: read the first {MAX_POSTINGS}"
        return Snapshot(postings, complete=False, requests=reply.requests, notes=(note,))
    return Snapshot(postings, validators=validators_of(reply), requests=reply.requests)


async def _from_sitemap(
    client: Client, board: BoardRef, ctx: FetchContext, reply: Reply, now: datetime, state: dict[str, Any]
) -> Snapshot:
    listed = await _sitemap_pages(client, board, reply, ctx.base_url)
    pages, index = listed.pages, listed.index
    requests = listed.requests + reply.requests
    locs = {_key(loc): loc for loc in pages}
    wanted = {key: _signature(loc, pages[loc], now) for key, loc in locs.items()}

    async def one(key: str) -> tuple[Any, int]:
        return await _read_page(client, locs[key], board, ctx.base_url)

    details = await gather_details(ctx.cache, wanted, one, soft=False, time=ctx.details_time)
    deferred = set(details.deferred)
    read = [(locs[key], details.data[key]) for key in wanted if key in details.data]
    read = [(loc, data) for loc, data in read if isinstance(data, dict)]
    postings, company = _postings(read, board, now)
    if not postings and not deferred and not state.get("had_postings"):
        others = f" ({listed.elsewhere} more on other sites, not read)" if listed.elsewhere else ""
        message = (
            f"the sitemap {display_url(board.token)} lists {len(pages)} pages on its site{others}, "
            f"and none publishes a job posting (schema.org JobPosting)"
        )
        raise SourceError(board.key, message, status=reply.response.status_code, transient=False)
    undated = any(not lastmod for lastmod in pages.values())
    entry = {
        "had_postings": bool(postings) or bool(state.get("had_postings")),
        "company": company,
        "format": SITEMAP,
    }
    entry["recheck_at"] = _recheck(postings, now, undated)
    await settle(ctx.cache, [key for key in wanted if key not in deferred], entry, whole=not deferred)
    notes = list(details.notes)
    if listed.capped:
        notes.append(f"the sitemap lists more pages than are read ({sitemaps.MAX_URLS} at most)")
    if listed.elsewhere:
        notes.append(f"{listed.elsewhere} URLs of the sitemap are on other sites; not read")
    return Snapshot(
        postings,
        # A sitemap index is several answers: no one validator stands for them
        # all; and owed pages must not hide behind a 304.
        validators=Validators() if deferred or index else validators_of(reply),
        complete=not deferred and not listed.capped,
        requests=requests + details.requests,
        details=details.requests,
        notes=tuple(notes),
        waiting=len(deferred),
    )


def _recheck(postings: list[Posting], now: datetime, undated: bool) -> str | None:
    """When a 304 can no longer stand for this snapshot: the first closing
    date still ahead, or the next midnight when undated pages are re-read."""
    times = [when for p in postings if (when := closes_at(p.raw)) is not None and when > now]
    if undated:
        times.append((now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
    return min(times).isoformat() if times else None


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
