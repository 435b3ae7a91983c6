"""The bluedoor Job Postings API.

Every assumption about the list endpoint lives here, so that one module
changes if the real API differs: the path and its filter names, `status`,
`limit`, `cursor` and `changed_since`, the `{"data", "next_cursor"}`
envelope, the `{"error": {"code", "message"}}` error body, and the record's
field names. The record fields themselves are certain: they are the seed's.

A board is one query. Its token is the canonical query string built from a
subscription's filters (`alerts.boards.bluedoor_token`), so equal queries are one board,
fetched once per cycle.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import httpx

from alerts.boards import BLUEDOOR_ALL
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_html
from .failures import Explain, display_url, server_says, without_secret
from .fetch import parsed
from .http import Client
from .normalize import as_dict, clean_text, title_text, to_bool, to_country, to_datetime, to_str
from .payload import job_id, jobs_in, malformed
from .vocab import employment_type, salary, work_model

KIND = "bluedoor"
DEFAULT_BASE_URL = "https://api.bluedoor.sh/job-postings/v1"
PATH = "/jobs"
PAGE_SIZE = 100
# 100,000 records. A cursor chain this long is a server bug, not a board.
MAX_PAGES = 1000
# The list endpoint's filters; a token may carry only these.
FILTERS = (
    "org_id",
    "company",
    "department",
    "team",
    "workplace_type",
    "city",
    "region",
    "country",
    "provider",
)


def _query(board: BoardRef) -> list[tuple[str, str]]:
    if board.token == BLUEDOOR_ALL:
        return []
    try:
        pairs = parse_qsl(board.token, strict_parsing=True)
    except ValueError:
        pairs = []
    unknown = sorted({name for name, _ in pairs} - set(FILTERS))
    if not pairs or unknown:
        detail = f"unknown filter {unknown[0]!r}" if unknown else "not a query string"
        message = f"the board token is not a bluedoor query ({detail}); filters: {', '.join(FILTERS)}"
        raise SourceError(board.key, message, transient=False)
    return pairs


def _explain(has_key: bool) -> Explain:
    def explain(response: httpx.Response, body: bytes) -> str | None:
        status = response.status_code
        if status == 401:
            message = (
                "the bluedoor API refused the API key" if has_key else "the bluedoor API needs an API key"
            )
            message += "; set [sources.bluedoor] api_key"
        elif status == 403:
            message = "the bluedoor API key may not read job postings; check [sources.bluedoor] api_key"
        elif status == 404:
            where = display_url(str(response.url.copy_with(query=None)))
            message = f"no bluedoor job postings API at {where}"
            message += "; check [sources.bluedoor] base_url"
        else:
            return None  # the generic words (rate limited, server error) fit
        said = server_says(response, body)
        return f"{message} (it says: {said!r})" if said else message

    return explain


def _work_model(record: dict[str, Any], location: str | None) -> WorkModel:
    return work_model(record.get("workplace_type"), record.get("remote_policy"), location)


def _active(record: dict[str, Any]) -> bool:
    status = (to_str(record.get("status")) or "").lower()
    return status != "inactive" and to_bool(record.get("active")) is not False


def _same_as(record: dict[str, Any]) -> str | None:
    provider, key = to_str(record.get("provider")), to_str(record.get("provider_job_key"))
    return f"{provider.lower()}:{key}" if provider and key else None


def _posting(record: dict[str, Any], board: BoardRef, index: int) -> Posting:
    location = clean_text(record.get("location_text"))
    salary_min, salary_max, currency, period = salary(
        record.get("salary_min"),
        record.get("salary_max"),
        record.get("salary_currency"),
        record.get("salary_period"),
    )
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job_id(record, board, index, "job_id"),
        title=title_text(record.get("title")),
        company=clean_text(record.get("company")),
        department=clean_text(record.get("department")),
        team=clean_text(record.get("team")),
        location=location,
        city=clean_text(record.get("city")),
        region=clean_text(record.get("region")),
        country=to_country(record.get("country")),
        work_model=_work_model(record, location),
        employment_type=employment_type(record.get("employment_type")),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
        salary_period=period,
        url=to_str(record.get("source_url")),
        apply_url=to_str(record.get("apply_url")),
        posted_at=to_datetime(record.get("source_posted_at")) or to_datetime(record.get("first_seen_at")),
        updated_at=to_datetime(record.get("source_updated_at")) or to_datetime(record.get("last_changed_at")),
        active=_active(record),
        same_as=_same_as(record),
        # Only when the record carries it: the list is not asked for it (the
        # seed names `include=description` on one job's endpoint only), and a
        # request per job would cost a hundred times more. Parsed as HTML,
        # which leaves plain text as it is.
        description_source=from_html(record.get("description")),
        raw=record,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    """One page's records."""
    records = jobs_in(payload, board, "data")
    return [_posting(record, board, index) for index, record in enumerate(records)]


def _page(payload: Any, board: BoardRef) -> tuple[list[Posting], str | None]:
    postings = parse(payload, board)
    cursor = as_dict(payload).get("next_cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise malformed(board, f"expected 'next_cursor' to be a string or null, got {cursor!r}")
    return postings, cursor or None


def _since(moment: datetime) -> str:
    # Cut to whole seconds (earlier, never later: a record is never skipped).
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    """Every page of the query, or SourceError; with ctx.since, only the
    records changed since then (closed ones included): an incomplete snapshot."""
    params = [*_query(board), ("status", "all"), ("limit", str(PAGE_SIZE))]
    if ctx.since is not None:
        params.append(("changed_since", _since(ctx.since)))
    base = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    headers = {"Authorization": f"Bearer {ctx.api_key}"} if ctx.api_key else {}
    explain = _explain(bool(ctx.api_key))
    postings: dict[str, Posting] = {}
    cursor: str | None = None
    seen: set[str] = set()
    requests = 0
    for _ in range(MAX_PAGES):
        page_params = params + ([("cursor", cursor)] if cursor else [])
        url = f"{base}?{urlencode(page_params, quote_via=quote)}"
        masked: SourceError | None = None
        try:
            reply = await client.get(url, board, headers=headers, explain=explain)
            requests += reply.requests
            page, cursor = await parsed(reply, board, _page)
        except SourceError as exc:
            # A server may echo the key back in its error body.
            masked = without_secret(exc, ctx.api_key)
            if masked is exc:
                raise
        if masked is not None:
            raise masked  # out here, the unmasked original is not even its context
        for posting in page:
            postings.setdefault(posting.external_id, posting)
        if cursor is None:
            return Snapshot(list(postings.values()), complete=ctx.since is None, requests=requests)
        if cursor in seen:
            raise SourceError(board.key, "the API returned a cursor it had returned before", transient=False)
        seen.add(cursor)
    raise SourceError(board.key, f"more than {MAX_PAGES} pages of postings; stopped paging", transient=False)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch, incremental=True)
