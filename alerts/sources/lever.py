"""Lever postings API: a bare JSON list of published postings."""

from __future__ import annotations

from typing import Any

import httpx

from alerts.model import BoardRef, Posting

from .base import Source, board_url
from .http import fetch_postings
from .normalize import (
    as_dict,
    as_list,
    clean_text,
    employment_type,
    from_epoch_ms,
    salary,
    title_text,
    to_str,
    work_model,
)
from .payload import job_id, jobs_in

KIND = "lever"
DEFAULT_BASE_URL = "https://api.lever.co/v0"
PATH = "/postings/{token}?mode=json"


def _posting(job: dict[str, Any], board: BoardRef, index: int) -> Posting:
    categories = as_dict(job.get("categories"))
    location = clean_text(categories.get("location"))
    pay = as_dict(job.get("salaryRange"))
    salary_min, salary_max, currency, period = salary(
        pay.get("min"), pay.get("max"), pay.get("currency"), pay.get("interval")
    )
    return Posting(
        source=KIND,
        board=board.token,
        external_id=job_id(job, board, index),
        title=title_text(job.get("text")),
        # Lever has no company field; the site name is the best we have.
        company=board.token,
        department=clean_text(categories.get("department")),
        team=clean_text(categories.get("team")),
        location=location,
        country=to_str(job.get("country")),
        # workplaceType is often "unspecified"; then a "Remote - US"
        # location is the only hint.
        work_model=work_model(job.get("workplaceType"), location, *as_list(categories.get("allLocations"))),
        employment_type=employment_type(categories.get("commitment")),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
        salary_period=period,
        url=to_str(job.get("hostedUrl")),
        apply_url=to_str(job.get("applyUrl")),
        posted_at=from_epoch_ms(job.get("createdAt")),
        updated_at=None,
        raw=job,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    jobs = jobs_in(payload, board, None)
    return [_posting(job, board, index) for index, job in enumerate(jobs)]


async def fetch(client: httpx.AsyncClient, board: BoardRef, base_url: str) -> list[Posting]:
    return await fetch_postings(client, board_url(base_url, PATH, board.token), board, parse)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
