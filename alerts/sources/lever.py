"""Lever postings API: a bare JSON list of published postings.

Lever runs a separate EU instance with the same API. Its boards are the kind
`lever-eu`, so that a board token names one site on one host.
"""

from __future__ import annotations

from typing import Any

from alerts.model import BoardRef, Posting, SourceText

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_plain, from_sections
from .fetch import fetch_single
from .http import Client
from .normalize import as_dict, as_list, clean_text, from_epoch_ms, title_text, to_str
from .payload import job_id, jobs_in
from .vocab import employment_type, salary, work_model

KIND = "lever"
DEFAULT_BASE_URL = "https://api.lever.co/v0"
EU_KIND = "lever-eu"
EU_DEFAULT_BASE_URL = "https://api.eu.lever.co/v0"
PATH = "/postings/{token}?mode=json"


def _description(job: dict[str, Any]) -> SourceText | None:
    """The opening and body (`description`), each list ("What you'll do",
    with its heading) and the closing words (`additional`), all HTML."""
    lists = [(item.get("text"), item.get("content")) for item in map(as_dict, as_list(job.get("lists")))]
    return from_sections(job.get("description"), lists, job.get("additional")) or from_plain(
        job.get("descriptionPlain"), job.get("additionalPlain")
    )


def _posting(job: dict[str, Any], board: BoardRef, index: int, kind: str) -> Posting:
    categories = as_dict(job.get("categories"))
    location = clean_text(categories.get("location"))
    pay = as_dict(job.get("salaryRange"))
    salary_min, salary_max, currency, period = salary(
        pay.get("min"), pay.get("max"), pay.get("currency"), pay.get("interval")
    )
    return Posting(
        source=kind,
        board_token=board.token,
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
        description_source=_description(job),
        raw=job,
    )


def parse(payload: Any, board: BoardRef, kind: str = KIND) -> list[Posting]:
    jobs = jobs_in(payload, board, None)
    return [_posting(job, board, index, kind) for index, job in enumerate(jobs)]


def parse_eu(payload: Any, board: BoardRef) -> list[Posting]:
    return parse(payload, board, EU_KIND)


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    return await fetch_single(client, url, board, parse, ctx)


async def fetch_eu(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, EU_DEFAULT_BASE_URL), PATH, board.token)
    return await fetch_single(client, url, board, parse_eu, ctx)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
EU_SOURCE = Source(kind=EU_KIND, default_base_url=EU_DEFAULT_BASE_URL, fetch=fetch_eu)
