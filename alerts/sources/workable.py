"""Workable's public widget API: `{name, description, jobs: [...]}`, no paging.

No salary, and `telecommuting` is the only word on the work model: true
means remote, false means "not said" (hybrid jobs are false too).
"""

from __future__ import annotations

from typing import Any

from alerts.model import BoardRef, Posting

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_html
from .fetch import fetch_single
from .http import Client
from .normalize import as_dict, as_list, clean_text, place_text, title_text, to_bool, to_datetime, to_str
from .payload import job_id, jobs_in
from .vocab import employment_type, work_model

KIND = "workable"
DEFAULT_BASE_URL = "https://apply.workable.com/api/v1"
PATH = "/widget/accounts/{token}"


def _place(job: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(city, region, country) from the job, else from its first shown
    location; never mixed, so a city is never put in another's country."""
    city, region, country = (clean_text(job.get(key)) for key in ("city", "state", "country"))
    if city or region or country:
        return city, region, country
    shown = [as_dict(p) for p in as_list(job.get("locations")) if as_dict(p).get("hidden") is not True]
    first = shown[0] if shown else {}
    return clean_text(first.get("city")), clean_text(first.get("region")), clean_text(first.get("country"))


def _posting(job: dict[str, Any], board: BoardRef, index: int, company: str) -> Posting:
    city, region, country = _place(job)
    location = place_text(city, region, country)
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job_id(job, board, index, "shortcode"),
        title=title_text(job.get("title")),
        company=company,
        department=clean_text(job.get("department")),
        team=None,
        location=location,
        city=city,
        region=region,
        country=country,
        work_model="remote" if to_bool(job.get("telecommuting")) else work_model(location),
        employment_type=employment_type(job.get("employment_type")),
        url=to_str(job.get("url")) or to_str(job.get("shortlink")),
        apply_url=to_str(job.get("application_url")),
        # Dates only (YYYY-MM-DD): midnight UTC.
        posted_at=to_datetime(job.get("published_on")) or to_datetime(job.get("created_at")),
        updated_at=None,
        # HTML; the widget sends it with details=true, and requirements and
        # benefits where the account fills them in.
        description_source=from_html(job.get("description"), job.get("requirements"), job.get("benefits")),
        raw=job,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    jobs = jobs_in(payload, board, "jobs")
    # The account's display name, when the widget sends it.
    company = clean_text(payload.get("name")) or board.token
    return [_posting(job, board, index, company) for index, job in enumerate(jobs)]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    return await fetch_single(client, url, board, parse, ctx)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
