"""Pinpoint's public list: `{"data": [...]}` at `https://{token}.pinpointhq.com/postings.json`,
the whole board, no paging.

No company name, no country and no posting date in the list. A salary is
shown only where the employer made it visible (`compensation_visible`).
Fetched with redirects off: a name Pinpoint does not know is sent elsewhere.
"""

from __future__ import annotations

from typing import Any

from alerts.model import BoardRef, Posting

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_sections
from .fetch import fetch_single
from .http import Client
from .normalize import as_dict, clean_text, title_text, to_str
from .not_found import unknown_board
from .payload import job_id, jobs_in
from .vocab import employment_type, salary, work_model

KIND = "pinpoint"
DEFAULT_BASE_URL = "https://{token}.pinpointhq.com"
PATH = "/postings.json"
_SECTIONS = ("key_responsibilities", "skills_knowledge_expertise", "benefits")


def _place(location: dict[str, Any]) -> tuple[str | None, str | None]:
    """(city, region), unless the location is "Remote" (its city is then
    the company's office, not where the job is)."""
    name = clean_text(location.get("name"))
    if name and work_model(name) == "remote":
        return None, None
    return clean_text(location.get("city")), clean_text(location.get("province"))


def _posting(job: dict[str, Any], board: BoardRef, index: int) -> Posting:
    location = as_dict(job.get("location"))
    city, region = _place(location)
    place = clean_text(location.get("name"))
    shown = job.get("compensation_visible") is True
    low, high, currency, period = salary(
        job.get("compensation_minimum") if shown else None,
        job.get("compensation_maximum") if shown else None,
        job.get("compensation_currency"),
        job.get("compensation_frequency"),
    )
    kind = employment_type(job.get("employment_type"))
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job_id(job, board, index),
        title=title_text(job.get("title")),
        company=board.token,
        department=clean_text(as_dict(as_dict(job.get("job")).get("department")).get("name")),
        team=None,
        location=place,
        city=city,
        region=region,
        work_model=work_model(job.get("workplace_type"), job.get("workplace_type_text"), place),
        # "contract_temp" reads as temporary, "permanent_full_time" as full time.
        employment_type=kind if kind != "unknown" else employment_type(job.get("employment_type_text")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=to_str(job.get("url")),
        # HTML: the description, then its sections under their own headings.
        description_source=from_sections(
            job.get("description"),
            [(job.get(f"{name}_header"), job.get(name)) for name in _SECTIONS],
        ),
        raw=job,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    jobs = jobs_in(payload, board, "data")
    return [_posting(job, board, index) for index, job in enumerate(jobs)]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    explain = unknown_board(f"no Pinpoint career site named {board.token!r}")
    return await fetch_single(client, url, board, parse, ctx, explain=explain, follow_redirects=False)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
