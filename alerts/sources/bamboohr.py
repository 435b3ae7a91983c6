"""BambooHR careers pages: `bamboohr:SLUG`.

`GET {base}/careers/list` is the whole board in one answer; each opening's
detail (`/careers/{id}/detail`) adds its posting date, pay, description
and, for office jobs, the country. Details are fetched only for openings
that are new or whose list entry changed. An unknown slug is redirected away from
`/careers` (to BambooHR's site, a login page, "account expired"), so the
list is asked for with redirects off.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, Validators, base_of, board_url
from .country import country_code
from .description import from_plain, plain_of_html
from .details import gather_details, settle
from .failures import Explain
from .fetch import conditional_headers, not_modified, parsed, validators_of
from .http import Client
from .normalize import as_dict, clean_text, place_text, title_text, to_datetime, to_str
from .not_found import unknown_board
from .payload import bounded_id, job_id, jobs_in, malformed
from .salary_text import salary_from_text
from .vocab import employment_type

KIND = "bamboohr"
DEFAULT_BASE_URL = "https://{token}.bamboohr.com"
LIST = "/careers/list"
JOB_URL = "https://{token}.bamboohr.com/careers/{id}"
JOB = "job:"
# `locationType`, undocumented; three independent readers and the samples agree.
_LOCATION_TYPES: dict[str, WorkModel] = {"0": "onsite", "1": "remote", "2": "hybrid"}


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    """The list alone as postings (no detail: no date, pay or office country)."""
    return [to_posting(job, None, board) for job in read_list(payload, board)]


def read_list(payload: Any, board: BoardRef) -> list[dict[str, Any]]:
    """The list's openings, each with a usable id."""
    jobs = jobs_in(payload, board, "result" if isinstance(payload, dict) else None)
    for index, job in enumerate(jobs):
        job["id"] = bounded_id(job_id(job, board, index))
    return jobs


def _opening(payload: Any, board: BoardRef) -> dict[str, Any]:
    opening = as_dict(as_dict(payload).get("result")).get("jobOpening")
    if not isinstance(opening, dict):
        raise malformed(board, "the opening's detail has no 'result.jobOpening'")
    return opening


def read_detail(payload: Any, board: BoardRef) -> dict[str, Any]:
    """What the detail adds to the list: date, country, pay."""
    opening = _opening(payload, board)
    place = as_dict(opening.get("location"))
    country = country_code(place.get("addressCountry")) or country_code(
        as_dict(opening.get("atsLocation")).get("country")
    )
    return {
        "posted": to_str(opening.get("datePosted")),
        "country": country,
        "salary": list(salary_from_text(opening.get("compensation"), country)),
    }


def read_cached(payload: Any, board: BoardRef) -> dict[str, Any]:
    """The detail as the source cache keeps it: `read_detail`'s fields and
    the description as plain text (no HTML kept; a steady poll parses none)."""
    return {
        **read_detail(payload, board),
        "description": plain_of_html(_opening(payload, board).get("description")),
    }


def _work_model(job: dict[str, Any]) -> WorkModel:
    model = _LOCATION_TYPES.get(str(job.get("locationType")).strip())
    if model is not None:
        return model
    return "remote" if job.get("isRemote") is True else "unknown"


def to_posting(job: dict[str, Any], detail: dict[str, Any] | None, board: BoardRef) -> Posting:
    detail = detail or {}
    place, ats = as_dict(job.get("location")), as_dict(job.get("atsLocation"))
    city = clean_text(place.get("city")) or clean_text(ats.get("city"))
    region = clean_text(place.get("state")) or clean_text(ats.get("state")) or clean_text(ats.get("province"))
    country_name = clean_text(ats.get("country"))
    country = country_code(country_name) or detail.get("country")
    low, high, currency, period = (list(detail.get("salary") or []) + [None] * 4)[:4]
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job["id"],
        title=title_text(job.get("jobOpeningName")),
        company=board.token,  # the JSON never names the company
        department=clean_text(job.get("departmentLabel")),
        location=place_text(city, region, country_name),
        city=city,
        region=region,
        country=country,
        work_model=_work_model(job),
        employment_type=employment_type(job.get("employmentStatusLabel")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=JOB_URL.format(token=quote(board.token, safe=""), id=quote(job["id"], safe="")),
        posted_at=to_datetime(detail.get("posted")),
        description_source=from_plain(detail.get("description")),
        raw=job,
    )


def signature(job: dict[str, Any]) -> str:
    blob = json.dumps(job, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()


def _explain(board: BoardRef) -> Explain:
    return unknown_board(
        f"no public BambooHR careers page {board.token!r}",
        " (no such company, its careers page is switched off, or its account has lapsed)",
    )


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    base = board_url(base_of(ctx, DEFAULT_BASE_URL), "", board.token)
    url = base + LIST
    headers = conditional_headers(ctx.validators)
    reply = await client.get(url, board, headers=headers, explain=_explain(board), follow_redirects=False)
    if reply.response.status_code == 304:
        return not_modified(reply, url, board, ctx, bool(headers))
    jobs = {job["id"]: job for job in await parsed(reply, board, read_list)}

    async def one(key: str) -> tuple[Any, int]:
        path = f"/careers/{quote(key[len(JOB) :], safe='')}/detail"
        got = await client.get(base + path, board, follow_redirects=False)
        return await parsed(got, board, read_cached), got.requests

    wanted = {JOB + key: signature(job) for key, job in jobs.items()}
    details = await gather_details(ctx.cache, wanted, one, time=ctx.details_time)
    if not jobs and not details.board.get("had_postings"):
        # What BambooHR also answers for a name it does not use.
        message = (
            f"BambooHR lists no open positions for {board.token!r}, and it answers the same for "
            f"a name it does not use: check the name in https://{board.token}.bamboohr.com/careers"
        )
        raise SourceError(board.key, message, status=reply.response.status_code, transient=False)
    deferred = set(details.deferred)
    postings = [
        to_posting(job, _dict(details.data.get(JOB + key)), board)
        for key, job in jobs.items()
        if JOB + key not in deferred
    ]
    keep = [JOB + key for key in jobs if JOB + key not in deferred]
    await settle(ctx.cache, keep, {"had_postings": True}, whole=not deferred)
    return Snapshot(
        postings,
        # Asked in full next time while details are owed (waiting or failed): a 304 would hide them.
        validators=Validators() if details.owed else validators_of(reply),
        complete=not deferred,
        requests=reply.requests + details.requests,
        details=details.requests,
        notes=tuple(details.notes),
        waiting=len(deferred),
        filled=frozenset(key[len(JOB) :] for key in details.filled),
    )


def _dict(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
