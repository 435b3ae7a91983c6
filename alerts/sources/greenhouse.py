"""Greenhouse job board API: `{"jobs": [...]}`, the whole board in one response."""

from __future__ import annotations

from typing import Any

from alerts.model import BoardRef, Posting

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .country import place_country
from .description import from_escaped_html
from .fetch import fetch_single
from .http import Client
from .normalize import (
    as_dict,
    as_list,
    clean_text,
    split_place,
    title_text,
    to_datetime,
    to_str,
)
from .payload import job_id, jobs_in
from .vocab import work_model

KIND = "greenhouse"
DEFAULT_BASE_URL = "https://boards-api.greenhouse.io/v1"
# content=true is what adds departments and offices to each job.
PATH = "/boards/{token}/jobs?content=true"


def _posting(job: dict[str, Any], board: BoardRef, index: int) -> Posting:
    location = clean_text(as_dict(job.get("location")).get("name"))
    offices = [as_dict(office) for office in as_list(job.get("offices"))]
    office_names = [clean_text(office.get("name")) for office in offices]
    office_places = [place for place in (clean_text(o.get("location")) for o in offices) if place]
    city, region, _ = split_place(office_places[0] if office_places else None)
    departments = (clean_text(as_dict(d).get("name")) for d in as_list(job.get("departments")))
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job_id(job, board, index),
        title=title_text(job.get("title")),
        company=clean_text(job.get("company_name")) or board.token,
        department=next((name for name in departments if name), None),
        team=None,
        location=location or (office_places[0] if office_places else None),
        city=city,
        region=region,
        # The offices' country when they all agree ("Berlin, Germany" and
        # "London, UK" name none); else the location text's (bounds.py).
        country=place_country("; ".join(office_places)),
        # Greenhouse has no work-model field; boards write it into the
        # location ("Hybrid - London") or name an office "Remote".
        work_model=work_model(location, *office_names, *office_places),
        employment_type="unknown",
        url=to_str(job.get("absolute_url")),
        apply_url=None,
        posted_at=to_datetime(job.get("first_published")),
        updated_at=to_datetime(job.get("updated_at")),
        # `content` (asked for with content=true) is HTML, entity-escaped once more.
        description_source=from_escaped_html(job.get("content")),
        raw=job,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    jobs = jobs_in(payload, board, "jobs")
    return [_posting(job, board, index) for index, job in enumerate(jobs)]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    return await fetch_single(client, url, board, parse, ctx)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
