"""Teamtailor's public job feed: a JSON Feed at `https://{token}.teamtailor.com/jobs.json`,
100 items a page, the next page at `next_url`.

Each item carries a schema.org JobPosting (`_jobposting`) with the places,
employment type and the job's number. The feed's title is the company. The
feed has no department and no hybrid: remote only where it says TELECOMMUTE.
North-American accounts live at `{slug}.na.teamtailor.com` (token `slug.na`).
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from .base import FetchContext, Snapshot, Source, Validators, base_of, board_url
from .description import from_html, from_plain
from .fetch import conditional_headers, not_modified, parsed, validators_of
from .http import Client
from .masked import display_url
from .normalize import (
    as_dict,
    clean_text,
    country_text,
    place_text,
    title_text,
    to_country,
    to_datetime,
    to_str,
)
from .not_found import Explain, unknown_board
from .payload import jobs_in, malformed
from .schema_org import addresses, base_salary, country_of, employment, organization_name, telecommute
from .vocab import work_model

KIND = "teamtailor"
DEFAULT_BASE_URL = "https://{token}.teamtailor.com"
PATH = "/jobs.json"
FEED_VERSION = "https://jsonfeed.org/version/"
# 20,000 postings; a feed that keeps saying "there is more" is not followed forever.
MAX_PAGES = 200
_JOB_NUMBER = re.compile(r"/jobs/(\d+)")


def _external_id(item: dict[str, Any], job: dict[str, Any], board: BoardRef, index: int) -> str:
    # The job's number, as in its URL and the RSS feed; the UUID last.
    number = as_dict(job.get("identifier")).get("value")
    if isinstance(number, int) and not isinstance(number, bool):
        return str(number)
    if isinstance(number, str) and number.strip():
        return number.strip()
    found = _JOB_NUMBER.search(to_str(item.get("url")) or "")
    if found:
        return found.group(1)
    item_id = to_str(item.get("id"))
    if item_id:
        return item_id
    raise malformed(board, f"item #{index + 1} has no usable 'id'")


def _posting(item: dict[str, Any], board: BoardRef, index: int, company: str | None) -> Posting:
    job = as_dict(item.get("_jobposting"))
    places = addresses(job.get("jobLocation"))
    first = places[0] if places else {}
    country = to_country(country_of(first))
    location = "; ".join(
        filter(None, (place_text(p.get("addressLocality"), country_text(country_of(p))) for p in places))
    )
    remote = telecommute(job.get("jobLocationType"))
    low, high, currency, period = base_salary(job.get("baseSalary"))
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=_external_id(item, job, board, index),
        title=title_text(item.get("title") or job.get("title")),
        company=company or organization_name(job.get("hiringOrganization")) or board.token,
        location=location or None,
        city=clean_text(first.get("addressLocality")),
        # Not addressRegion: Teamtailor fills it with a continent, a sales
        # region or the country ("Europe", "EMEA", "Sweden"), not a region.
        region=None,
        country=country,
        work_model="remote" if remote else work_model(location, item.get("title")),
        employment_type=employment(job.get("employmentType")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=to_str(item.get("url")),
        posted_at=to_datetime(item.get("date_published")) or to_datetime(job.get("datePosted")),
        # JSON Feed's content_html (or content_text), else the JobPosting's own.
        description_source=from_html(item.get("content_html"))
        or from_plain(item.get("content_text"))
        or from_html(job.get("description")),
        raw=item,
    )


def feed_title(payload: Any) -> str | None:
    return clean_text(as_dict(payload).get("title"))


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    """One page's postings."""
    version = as_dict(payload).get("version")
    if not isinstance(version, str) or not version.startswith(FEED_VERSION):
        raise malformed(board, "not a Teamtailor job feed: expected a JSON Feed (with 'version' and 'items')")
    items = jobs_in(payload, board, "items")
    company = feed_title(payload)
    return [_posting(item, board, index, company) for index, item in enumerate(items)]


def _page(payload: Any, board: BoardRef) -> tuple[list[Posting], str | None, str | None]:
    postings = parse(payload, board)
    next_url = payload.get("next_url")
    if next_url is not None and not isinstance(next_url, str):
        raise malformed(board, f"expected 'next_url' to be a URL, got {type(next_url).__name__}")
    return postings, (next_url or "").strip() or None, feed_title(payload)


def _next(current: httpx.URL, next_url: str, board: BoardRef) -> str:
    """`next_url` resolved against the page it came from; only on that host."""
    target = current.join(next_url)
    if (target.scheme, target.host, target.port) != (current.scheme, current.host, current.port):
        message = f"refused to follow next_url to another host ({display_url(str(target))})"
        raise SourceError(board.key, message, transient=False)
    return str(target)


def _explain(board: BoardRef) -> Explain:
    return unknown_board(
        f"no Teamtailor career site named {board.token!r}",
        gone=(
            "; North-American accounts are written teamtailor:NAME.na, and a careers site on "
            "the company's own domain is no Teamtailor name (give its URL as jsonld:URL instead)"
        ),
    )


async def first_page(
    client: Client, board: BoardRef, ctx: FetchContext
) -> tuple[list[Posting], bool, str | None]:
    """The first page alone: its postings, whether there are more, the company.
    What `alerts boards find` needs, for one request."""
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    reply = await client.get(url, board, explain=_explain(board))
    postings, next_url, title = await parsed(reply, board, _page)
    return postings, next_url is not None, title


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    """Every page, or SourceError: a board missing a page is no snapshot.

    A board of one page is asked conditionally: its validators are kept only
    when the whole board was one page, so a 304 stands for all of it.
    """
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    headers = conditional_headers(ctx.validators)
    postings: dict[str, Posting] = {}
    seen: set[str] = set()
    requests = 0
    title = None
    validators = Validators()
    for page in range(MAX_PAGES):
        seen.add(url)
        reply = await client.get(url, board, headers=headers if page == 0 else None, explain=_explain(board))
        requests += reply.requests
        if reply.response.status_code == 304:
            return not_modified(reply, url, board, ctx, page == 0 and bool(headers))
        found, next_url, page_title = await parsed(reply, board, _page)
        title = title or page_title
        for posting in found:
            # A job published mid-paging shifts later pages: the first copy stands.
            postings.setdefault(posting.external_id, posting)
        if next_url is None:
            validators = validators_of(reply) if page == 0 else Validators()
            return Snapshot(
                list(postings.values()), validators=validators, requests=requests, board_name=title
            )
        url = _next(reply.response.url, next_url, board)
        if url in seen:
            raise SourceError(
                board.key, "next_url points back at a page already read; stopped paging", transient=False
            )
    raise SourceError(board.key, f"more than {MAX_PAGES} pages of postings; stopped paging", transient=False)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
