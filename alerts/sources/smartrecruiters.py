"""SmartRecruiters posting API: `{offset, limit, totalFound, content: [...]}`, paged.

List items carry no description and no salary; those are only on each
posting's detail, and one request per posting would cost a hundred times
more. The list has everything the tracked fields need except salary. With
no description, a subscription's `keywords` match the title alone here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, Validators, base_of, board_url
from .fetch import conditional_headers, not_modified, parsed, validators_of
from .http import Client
from .normalize import as_dict, clean_text, place_text, title_text, to_country, to_datetime, to_str
from .payload import job_id, jobs_in, malformed
from .vocab import employment_type, work_model

KIND = "smartrecruiters"
DEFAULT_BASE_URL = "https://api.smartrecruiters.com/v1"
PATH = "/companies/{token}/postings"
PAGE_SIZE = 100  # the API's maximum
# 50,000 postings. A board never gets near it; a server that keeps saying
# "there is more" would otherwise keep us paging forever.
MAX_PAGES = 500
JOB_URL = "https://jobs.smartrecruiters.com/{company}/{id}"


def _work_model(location: dict[str, Any]) -> WorkModel:
    remote, hybrid = location.get("remote"), location.get("hybrid")
    if remote is True:
        return "remote"
    if hybrid is True:
        return "hybrid"
    if remote is False and hybrid is False:
        # Both flags answered "no": the posting is at the office.
        return "onsite"
    return work_model(location.get("fullLocation"))


def _posting(job: dict[str, Any], board: BoardRef, index: int) -> Posting:
    external_id = job_id(job, board, index)
    company = as_dict(job.get("company"))
    location = as_dict(job.get("location"))
    city, region = clean_text(location.get("city")), clean_text(location.get("region"))
    # Countries come as lowercase ISO codes ("ca"), shown uppercase as Lever's are.
    country = (clean_text(location.get("country")) or "").upper() or None
    employment = as_dict(job.get("typeOfEmployment"))
    identifier = to_str(company.get("identifier")) or board.token
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=external_id,
        title=title_text(job.get("name")),
        company=clean_text(company.get("name")) or board.token,
        department=clean_text(as_dict(job.get("department")).get("label")),
        team=None,
        location=clean_text(location.get("fullLocation")) or place_text(city, region, country),
        city=city,
        region=region,
        country=to_country(country),
        work_model=_work_model(location),
        # The label ("Full-time") is the richer word; the id ("permanent") backs it up.
        employment_type=_employment(employment),
        url=JOB_URL.format(company=quote(identifier, safe=""), id=quote(external_id, safe="")),
        apply_url=None,
        posted_at=to_datetime(job.get("releasedDate")),
        updated_at=None,
        raw=job,
    )


def _employment(value: dict[str, Any]) -> Any:
    kind = employment_type(value.get("label"))
    return kind if kind != "unknown" else employment_type(value.get("id"))


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    """One page's postings."""
    jobs = jobs_in(payload, board, "content")
    return [_posting(job, board, index) for index, job in enumerate(jobs)]


def _page(payload: Any, board: BoardRef) -> tuple[int, list[Posting]]:
    postings = parse(payload, board)
    total = payload.get("totalFound")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise malformed(board, f"expected 'totalFound' to be a count, got {total!r}")
    return total, postings


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    """Every page, or SourceError: a board missing a page is no snapshot at all.

    An unknown company answers 200 with `totalFound: 0`, like an empty board;
    the cycle treats a board that suddenly drops to zero as suspect.

    Conditional requests only where one page is the whole board: the
    validators of page 1 are kept only when page 1 held every posting, so
    they are only ever sent for such a board, and a 304 then says the
    whole board (its `totalFound` included) is as it was. A board of
    several pages keeps none: page 1 unchanged says nothing of the others.
    """
    base = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    postings: dict[str, Posting] = {}
    offset = requests = 0
    for number in range(MAX_PAGES):
        url = f"{base}?limit={PAGE_SIZE}&offset={offset}"
        headers = conditional_headers(ctx.validators) if number == 0 else {}
        reply = await client.get(url, board, headers=headers)
        requests += reply.requests
        if number == 0 and reply.response.status_code == 304:
            return not_modified(reply, url, board, ctx, bool(headers))
        total, page = await parsed(reply, board, _page)
        for posting in page:
            # A posting published mid-paging shifts later pages by one, so
            # the same posting can show up twice; the first copy stands.
            postings.setdefault(posting.external_id, posting)
        offset += len(page)
        if offset >= total:
            whole = validators_of(reply) if number == 0 else Validators()
            return Snapshot(list(postings.values()), validators=whole, requests=requests)
        if not page:
            message = (
                f"page at offset {offset} is empty but totalFound is {total}; the board changed while paging"
            )
            raise SourceError(board.key, message, status=reply.response.status_code, transient=True)
    raise SourceError(board.key, f"more than {MAX_PAGES} pages of postings; stopped paging", transient=False)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
