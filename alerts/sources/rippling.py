"""Rippling ATS boards: `rippling:SLUG`.

The v1 list (`GET {base}/{slug}/jobs`) has one row per job and place; rows
of one job share its `uuid`. Pointed at the v2 API (`{"items": [...]}`,
paged), the list also carries each place's country and workplace type. The
detail (`{base}/{slug}/jobs/{uuid}`) adds the company, employment type,
pay, posting date and description, and is fetched only for jobs new or
changed in the list.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from alerts.errors import SourceError
from alerts.model import BoardRef, EmploymentType, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, Validators, base_of, board_url
from .country import country_code, place_country
from .description import from_plain, plain_of_html
from .details import gather_details, settle
from .failures import Explain
from .fetch import conditional_headers, not_modified, parsed, validators_of
from .http import Client
from .normalize import as_dict, as_list, clean_text, title_text, to_datetime, to_float, to_str
from .not_found import unknown_board
from .payload import bounded_id, jobs_in, malformed
from .vocab import employment_type, salary_period, work_model

KIND = "rippling"
DEFAULT_BASE_URL = "https://api.rippling.com/platform/api/ats/v1/board"
PATH = "/{token}/jobs"
JOB = "job:"
MAX_PAGES = 200
_SHORT = "fewer jobs than the board counts (it changed while paging); no job is counted missing this poll"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CODES: dict[str, EmploymentType] = {
    "SALARIED_FT": "full_time",
    "HOURLY_FT": "full_time",
    "SALARIED_PT": "part_time",
    "HOURLY_PT": "part_time",
}
_WORKPLACES: dict[str, WorkModel] = {"REMOTE": "remote", "HYBRID": "hybrid", "ON_SITE": "onsite"}


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    """One list page alone as postings (no detail: no company, pay or date)."""
    return [to_posting(job, None, board) for job in read_list(payload, board)[0].values()]


def read_list(payload: Any, board: BoardRef) -> tuple[dict[str, dict[str, Any]], int, int | None]:
    """Jobs by id, grouped over their rows (v1 repeats a job per place), the
    number of pages and of jobs the board counts (v2; 1 and None for v1)."""
    v2 = isinstance(payload, dict)
    rows = jobs_in(payload, board, "items" if v2 else None)
    jobs: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        key = to_str(row.get("id") if v2 else row.get("uuid")) or to_str(row.get("uuid"))
        if not key:
            raise malformed(board, f"job #{index + 1} has no usable {'id' if v2 else 'uuid'!r}")
        key = bounded_id(key)
        job = jobs.setdefault(key, {"id": key, "rows": []})
        job["rows"].append(row)
    pages = _count(payload.get("totalPages")) if v2 else None
    return jobs, pages or 1, _count(payload.get("totalItems")) if v2 else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def read_detail(payload: Any, board: BoardRef) -> dict[str, Any]:
    if not isinstance(payload, dict) or not (payload.get("uuid") or payload.get("name")):
        raise malformed(board, "the job's detail is not a job")
    kind = as_dict(payload.get("employmentType"))
    return {
        "company": clean_text(payload.get("companyName")),
        "posted": to_str(payload.get("createdOn")),
        "employment": clean_text(kind.get("id")) or clean_text(kind.get("label")),
        "code": to_str(kind.get("label")),
        "salary": _salary(as_list(payload.get("payRangeDetails"))),
        "description": _description(payload.get("description")),
    }


def _description(value: Any) -> str | None:
    """`description{company, role}` (HTML): the company's part, then the
    role's, as plain text for the cache (a bare string taken as it is)."""
    if isinstance(value, dict):
        return plain_of_html(value.get("company"), value.get("role"))
    return plain_of_html(value)


def _salary(ranges: list[Any]) -> list[Any]:
    """The pay of the most common (currency, frequency); from its lowest
    start to its highest end."""
    groups: Counter[tuple[str, str]] = Counter()
    for item in map(as_dict, ranges):
        currency, frequency = to_str(item.get("currency")), to_str(item.get("frequency"))
        if currency and frequency:
            groups[(currency, frequency)] += 1
    if not groups:
        return [None, None, None, None]
    (currency, frequency), _ = groups.most_common(1)[0]
    chosen = [
        as_dict(i)
        for i in ranges
        if (as_dict(i).get("currency"), as_dict(i).get("frequency")) == (currency, frequency)
    ]
    lows = [v for v in (to_float(i.get("rangeStart")) for i in chosen) if v is not None]
    highs = [v for v in (to_float(i.get("rangeEnd")) for i in chosen) if v is not None]
    if not lows and not highs:
        return [None, None, None, None]
    return [min(lows) if lows else None, max(highs) if highs else None, currency, salary_period(frequency)]


def _places(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Each place as {name, city, region, country, workplace}, v1 or v2."""
    found: list[dict[str, Any]] = []
    for row in job["rows"]:
        if "locations" in row:
            for spot in map(as_dict, as_list(row.get("locations"))):
                found.append(
                    {
                        "name": clean_text(spot.get("name")),
                        "city": clean_text(spot.get("city")),
                        "region": clean_text(spot.get("state")),
                        "country": country_code(spot.get("countryCode")) or country_code(spot.get("country")),
                        "workplace": to_str(spot.get("workplaceType")),
                    }
                )
        else:
            name = clean_text(as_dict(row.get("workLocation")).get("label"))
            found.append({"name": name, "country": place_country(name)})
    return found


def _work_model(places: list[dict[str, Any]]) -> WorkModel:
    kinds = {_WORKPLACES.get(str(p.get("workplace")).upper()) for p in places} - {None}
    if kinds == {"remote"} or kinds == {"onsite"}:
        return kinds.pop()  # type: ignore[return-value]
    if "hybrid" in kinds or kinds == {"remote", "onsite"}:
        return "hybrid"  # some places remote, others at the office
    return work_model(*(p.get("name") for p in places))


def to_posting(job: dict[str, Any], detail: dict[str, Any] | None, board: BoardRef) -> Posting:
    detail = detail or {}
    first = job["rows"][0]
    places = _places(job)
    names = list(dict.fromkeys(p["name"] for p in places if p.get("name")))
    department = as_dict(first.get("department"))
    kind = employment_type(detail.get("employment"))
    low, high, currency, period = (list(detail.get("salary") or []) + [None] * 4)[:4]
    lead = places[0] if places else {}
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job["id"],
        title=title_text(first.get("name")),
        company=detail.get("company") or job.get("company") or board.token,
        department=clean_text(department.get("label")) or clean_text(department.get("name")),
        location="; ".join(names) or None,
        city=lead.get("city"),
        region=lead.get("region"),
        country=lead.get("country"),
        work_model=_work_model(places),
        employment_type=kind if kind != "unknown" else _CODES.get(str(detail.get("code")), "unknown"),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=to_str(first.get("url")),
        posted_at=to_datetime(detail.get("posted")),
        description_source=from_plain(detail.get("description")),
        raw=first,
    )


def signature(job: dict[str, Any]) -> str:
    blob = json.dumps(job["rows"], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()


def _explain(board: BoardRef) -> Explain:
    return unknown_board(f"no Rippling job board {board.token!r}", "; check the name in the careers URL")


async def _list(client: Client, url: str, board: BoardRef, ctx: FetchContext) -> Any:
    """(jobs, validators, requests), or a 304 Snapshot."""
    headers = conditional_headers(ctx.validators)
    reply = await client.get(url, board, headers=headers, explain=_explain(board), follow_redirects=False)
    if reply.response.status_code == 304:
        return not_modified(reply, url, board, ctx, bool(headers))
    jobs, pages, total = await parsed(reply, board, read_list)
    requests = reply.requests
    if pages > MAX_PAGES:
        raise SourceError(board.key, f"more than {MAX_PAGES} pages of jobs; stopped paging", transient=False)
    for page in range(1, pages):
        more = await client.get(f"{url}?page={page}", board, explain=_explain(board), follow_redirects=False)
        requests += more.requests
        for key, job in (await parsed(more, board, read_list))[0].items():
            jobs.setdefault(key, job)
    # Jobs that moved between pages while they were read: a short count is no
    # snapshot to count misses from.
    whole = total is None or len(jobs) >= total
    # A paged board has no validator for the whole board.
    return jobs, (validators_of(reply) if pages == 1 else Validators()), requests, whole


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    base = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    listed = await _list(client, base, board, ctx)
    if isinstance(listed, Snapshot):
        return listed
    jobs, validators, requests, whole = listed
    wanted = {JOB + key: signature(job) for key, job in jobs.items() if _UUID.fullmatch(key)}

    async def one(key: str) -> tuple[Any, int]:
        got = await client.get(f"{base}/{quote(key[len(JOB) :], safe='')}", board, follow_redirects=False)
        return await parsed(got, board, read_detail), got.requests

    details = await gather_details(ctx.cache, wanted, one, time=ctx.details_time)
    deferred = set(details.deferred)
    names = (d.get("company") for d in details.data.values() if isinstance(d, dict))
    company = next(filter(None, names), None) or details.board.get("company")
    postings = []
    for key, job in jobs.items():
        if JOB + key in deferred:
            continue
        detail = details.data.get(JOB + key)
        postings.append(
            to_posting({**job, "company": company}, detail if isinstance(detail, dict) else None, board)
        )
    await settle(
        ctx.cache, [k for k in wanted if k not in deferred], {"company": company}, whole=not deferred
    )
    return Snapshot(
        postings,
        validators=Validators() if details.owed else validators,
        complete=whole and not deferred,
        requests=requests + details.requests,
        details=details.requests,
        notes=(*details.notes, *(() if whole else (_SHORT,))),
        waiting=len(deferred),
        filled=frozenset(key[len(JOB) :] for key in details.filled),
    )


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
