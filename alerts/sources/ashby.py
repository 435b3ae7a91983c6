"""Ashby job posting API: `{"apiVersion": "1", "jobs": [...]}`, no paging."""

from __future__ import annotations

from typing import Any

from alerts.model import BoardRef, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_html, from_plain
from .fetch import fetch_single
from .http import Client
from .normalize import as_dict, as_list, clean_text, title_text, to_datetime, to_str
from .payload import job_id, jobs_in
from .vocab import SalaryFields, employment_type, salary, work_model

KIND = "ashby"
DEFAULT_BASE_URL = "https://api.ashbyhq.com/posting-api"
# Without includeCompensation the response has no `compensation` at all.
PATH = "/job-board/{token}?includeCompensation=true"


def _work_model(job: dict[str, Any], location: str | None) -> WorkModel:
    # workplaceType first: isRemote has been seen true on Hybrid jobs.
    model = work_model(job.get("workplaceType"))
    if model == "unknown" and job.get("isRemote") is True:
        return "remote"
    return model if model != "unknown" else work_model(location)


def _salary(job: dict[str, Any]) -> SalaryFields:
    components = as_list(as_dict(job.get("compensation")).get("summaryComponents"))
    for component in map(as_dict, components):
        if str(component.get("compensationType", "")).lower() == "salary":
            return salary(
                component.get("minValue"),
                component.get("maxValue"),
                component.get("currencyCode"),
                component.get("interval"),
            )
    return None, None, None, None


def _posting(job: dict[str, Any], board: BoardRef, index: int) -> Posting:
    location = clean_text(job.get("location"))
    address = as_dict(as_dict(job.get("address")).get("postalAddress"))
    salary_min, salary_max, currency, period = _salary(job)
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job_id(job, board, index),
        title=title_text(job.get("title")),
        # Ashby has no company field; the board name is the best we have.
        company=board.token,
        department=clean_text(job.get("department")),
        team=clean_text(job.get("team")),
        location=location,
        city=clean_text(address.get("addressLocality")),
        region=clean_text(address.get("addressRegion")),
        country=clean_text(address.get("addressCountry")),
        work_model=_work_model(job, location),
        employment_type=employment_type(job.get("employmentType")),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
        salary_period=period,
        url=to_str(job.get("jobUrl")),
        apply_url=to_str(job.get("applyUrl")),
        posted_at=to_datetime(job.get("publishedAt")),
        updated_at=None,
        # The plain form when sent: the same text, without parsing HTML.
        description_source=from_plain(job.get("descriptionPlain")) or from_html(job.get("descriptionHtml")),
        raw=job,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    jobs = jobs_in(payload, board, "jobs")
    # Unlisted jobs are hidden from the public board; treating them as open
    # would announce jobs nobody can apply to.
    return [_posting(job, board, index) for index, job in enumerate(jobs) if job.get("isListed") is not False]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    return await fetch_single(client, url, board, parse, ctx)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
