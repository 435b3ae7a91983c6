"""`alerts boards find "Company Name"`: the likely board names of a company,
tried on every job site whose boards are named by a slug.

Polite: one request at a time per kind (a provider's boards share its host
even where each has a sub-domain), the client's per-host limit set to one by
the caller, no retries, and a kind that answers 429 is left alone for the
rest of the search. Each kind's `base_url` is honoured, so a test or a proxy
can stand in for the real hosts.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from . import SOURCES, FetchContext, bamboohr, fetch_board, rippling, smartrecruiters, teamtailor
from .base import board_url
from .fetch import parsed
from .http import Client
from .masked import hidden
from .payload import malformed

MAX_SLUGS = 6
# Trailing words that say what kind of company it is, not which one.
LEGAL_FORMS = frozenset(
    "inc incorporated corp corporation co company llc llp lp ltd limited plc gmbh mbh ag kg kgaa se sa "
    "sas sarl srl spa bv nv oy oyj ab as asa aps pty pte sl kk".split()
)
# Kinds whose boards are not named by a company slug.
NOT_BY_NAME = frozenset({"bluedoor", "workday", "jsonld"})
# Kinds that answer a name they do not know like an empty board (Ashby and
# SmartRecruiters are seen to; BambooHR answers a slug that never had
# postings with an empty list; Pinpoint is unknown, so it is not trusted
# either): only a board with postings there is evidence that it exists.
# Rippling is not among them: an unknown board is a 404 there (v2; v1 is
# not seen either way), so an empty list is an empty board.
EMPTY_MEANS_UNKNOWN = frozenset({"ashby", "smartrecruiters", "pinpoint", "bamboohr"})


@dataclass(frozen=True)
class Slug:
    text: str
    namesake: bool = False  # only the first word of a longer name: may be another company


@dataclass(frozen=True)
class Found:
    board: BoardRef
    postings: int
    more: bool = False  # the count is the first page's; there are more
    name: str | None = None  # what the board calls the company, if it says
    namesake: bool = False


@dataclass
class Search:
    slugs: list[Slug]
    kinds: list[str]
    found: list[Found] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # checks that got no answer
    answered: int = 0  # checks answered: a board, or "no such board"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text)


def slug_candidates(name: str) -> list[Slug]:
    """ "Acme Corp, Inc." -> acme, acmecorp, acme-corp; at most MAX_SLUGS."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_name = re.sub(r"['\u2019]", "", ascii_name)
    candidates: list[Slug] = []

    def add(words: list[str], namesake: bool = False) -> None:
        for text in ("".join(words), "-".join(words)):
            if text and text not in {c.text for c in candidates}:
                candidates.append(Slug(text, namesake))

    for variant in (ascii_name.replace("&", " "), ascii_name.replace("&", " and ")):
        core = _words(variant)
        stripped: list[str] = []
        while len(core) > 1 and core[-1] in LEGAL_FORMS:
            stripped.insert(0, core.pop())
        add(core)
        if stripped:
            add([*core, stripped[0]])
    first = _words(ascii_name)[:1]
    core_words = [w for w in _words(ascii_name) if w not in LEGAL_FORMS]
    if len(core_words) >= 2 and first and len(first[0]) >= 4:
        add(first, namesake=True)
    return candidates[:MAX_SLUGS]


Probe = Callable[[Client, BoardRef, FetchContext], Awaitable["Found | None"]]


def _company(names: Iterable[str | None], token: str) -> str | None:
    counted = Counter(name for name in names if name and name != token)
    return counted.most_common(1)[0][0] if counted else None


async def _by_fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Found | None:
    """The board's own fetch: these kinds answer a board in one request."""
    snapshot = await fetch_board(client, board, ctx)
    name = snapshot.board_name or _company((p.company for p in snapshot.postings), board.token)
    return Found(board, len(snapshot.postings), name=name)


async def _smartrecruiters(client: Client, board: BoardRef, ctx: FetchContext) -> Found | None:
    # One posting asked for; totalFound says how many. An unknown company
    # answers 200 with 0, so an empty board is no evidence of one.
    base = ctx.base_url or smartrecruiters.DEFAULT_BASE_URL
    url = board_url(base, smartrecruiters.PATH, board.token) + "?limit=1&offset=0"
    reply = await client.get(url, board)
    total, page = await parsed(reply, board, _total_found)
    if total == 0:
        return None
    return Found(board, total, name=_company((p.company for p in page), board.token))


def _total_found(payload: object, board: BoardRef) -> tuple[int, list[Posting]]:
    page = smartrecruiters.parse(payload, board)
    total = payload.get("totalFound") if isinstance(payload, dict) else None
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise malformed(board, f"expected 'totalFound' to be a count, got {total!r}")
    return total, page


async def _teamtailor(client: Client, board: BoardRef, ctx: FetchContext) -> Found | None:
    # The first page (up to 100) is enough to tell; "100+" when there are more.
    postings, more, title = await teamtailor.first_page(client, board, ctx)
    return Found(board, len(postings), more=more, name=title)


async def _bamboohr(client: Client, board: BoardRef, ctx: FetchContext) -> Found | None:
    # The list alone: a fetch would ask every opening's detail.
    base = board_url(ctx.base_url or bamboohr.DEFAULT_BASE_URL, "", board.token)
    reply = await client.get(base + bamboohr.LIST, board, follow_redirects=False)
    return Found(board, len(await parsed(reply, board, bamboohr.read_list)))


async def _rippling(client: Client, board: BoardRef, ctx: FetchContext) -> Found | None:
    # The first page of the list alone: a fetch would ask every job's detail.
    url = board_url(ctx.base_url or rippling.DEFAULT_BASE_URL, rippling.PATH, board.token)
    reply = await client.get(url, board, follow_redirects=False)
    jobs, pages, total = await parsed(reply, board, rippling.read_list)
    # v2 counts the whole board; v1 is one page.
    return Found(board, len(jobs) if total is None else total, more=total is None and pages > 1)


def no_such_board(exc: SourceError) -> bool:
    """The site said the board does not exist: 404 or 410, or a redirect
    from a list URL asked with redirects off (an unknown name sent to a login
    or marketing page). Anything else (401/403, an HTML or malformed answer,
    a server error) says nothing about the name."""
    status = exc.status or 0
    return status in (404, 410) or 300 <= status < 400


PROBES: dict[str, Probe] = {
    **{kind: _by_fetch for kind in SOURCES if kind not in NOT_BY_NAME},
    "smartrecruiters": _smartrecruiters,
    "teamtailor": _teamtailor,
    "bamboohr": _bamboohr,
    "rippling": _rippling,
}


async def find_boards(
    client: Client, name: str, base_urls: Mapping[str, str | None], kinds: Iterable[str] | None = None
) -> Search:
    """Every board of every slug-named kind that answers to a likely slug of `name`."""
    search = Search(slug_candidates(name), [k for k in (kinds or PROBES) if k in PROBES])

    async def one_kind(kind: str) -> None:
        ctx = FetchContext(base_url=base_urls.get(kind) or SOURCES[kind].default_base_url)
        for slug in search.slugs:
            board = BoardRef(kind, slug.text)
            try:
                found = await PROBES[kind](client, board, ctx)
            except SourceError as exc:
                if no_such_board(exc):
                    search.answered += 1
                    continue
                # No answer about the name: a refusal (a bot wall, a private
                # site), an HTML or malformed page, a server or network error.
                search.problems.append(hidden(str(exc)))  # a server may echo a ${VAR} of base_url
                if exc.status == 429:
                    search.problems.append(f"{kind}: rate limited; its other names were not tried")
                    return
                if exc.status in (401, 403):
                    search.problems.append(f"{kind}: refuses our requests; its other names were not tried")
                    return
                continue
            search.answered += 1
            if found is not None and not (found.postings == 0 and kind in EMPTY_MEANS_UNKNOWN):
                search.found.append(
                    Found(found.board, found.postings, found.more, found.name, namesake=slug.namesake)
                )

    await asyncio.gather(*(one_kind(kind) for kind in search.kinds))
    order = {kind: i for i, kind in enumerate(search.kinds)}
    slugs = {slug.text: i for i, slug in enumerate(search.slugs)}
    search.found.sort(key=lambda f: (order[f.board.source], slugs[f.board.token]))
    return search
