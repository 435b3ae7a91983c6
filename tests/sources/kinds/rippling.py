from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import rippling

from sources_support import Case, Details, Page, json_jobs, json_page, renumbered

DEFAULT_BASE_URL = "https://api.rippling.com/platform/api/ats/v1/board"
DETAILS = r"/acme/jobs/[0-9a-f-]{36}"
# The recorded v1 list with the recorded detail (data/rippling_detail.json,
# another job of another board: it adds the company name alone) for each job.
RECORDED = (
    Posting(
        source="rippling",
        board_token="acme",
        external_id="75ad50c6-778f-42ee-9c63-70d1cd687202",
        title="Account Executive, Broker Channel (Austin & San Antonio)",
        company="Blackrock Neurotech",  # the detail's companyName
        department="Sales",
        location="Austin, TX",
        country="US",  # the place text's state
        url="https://ats.rippling.com/rippling/jobs/75ad50c6-778f-42ee-9c63-70d1cd687202",
    ),
    Posting(
        source="rippling",
        board_token="acme",
        external_id="94486f41-6474-446a-b67a-c164e11354ea",
        title="Account Executive, Broker Channel (Pittsburgh or Cleveland)",
        company="Blackrock Neurotech",
        department="Sales",
        location="Cleveland, OH",
        country="US",
        url="https://ats.rippling.com/rippling/jobs/94486f41-6474-446a-b67a-c164e11354ea",
    ),
)
LISTED = tuple(replace(p, company="acme") for p in RECORDED)  # the list names no company
_V2_URL = "https://ats.rippling.com/acme/jobs/"
# The v2 list (data/rippling_v2_list.json) with one detail for every job
# (data/rippling_v2_detail.json, the Platform Engineer's: hence the Austin
# job's pay in pounds).
V2_RECORDED = (
    Posting(
        source="rippling",
        board_token="acme",
        external_id="0f5b3a1e-1111-4c2d-9e8f-000000000001",
        title="Account Executive",
        company="Acme Analytics Ltd",
        department="Sales",
        location="Austin, TX; Remote (United States)",
        city="Austin",
        region="Texas",
        country="US",
        work_model="hybrid",  # one place on site, one remote
        employment_type="full_time",  # "Salaried, full-time"
        salary_min=80000.0,
        salary_max=95000.0,
        salary_currency="GBP",
        salary_period="year",
        url=_V2_URL + "0f5b3a1e-1111-4c2d-9e8f-000000000001",
        posted_at=datetime(2026, 9, 12, 16, 30, tzinfo=UTC),
    ),
    Posting(
        source="rippling",
        board_token="acme",
        external_id="0f5b3a1e-2222-4c2d-9e8f-000000000002",
        title="Platform Engineer",
        company="Acme Analytics Ltd",
        department="Engineering",  # the list's, not the detail's "Platform"
        location="London, United Kingdom",
        city="London",
        region="England",
        country="GB",
        work_model="hybrid",
        employment_type="full_time",
        salary_min=80000.0,
        salary_max=95000.0,
        salary_currency="GBP",
        salary_period="year",
        url=_V2_URL + "0f5b3a1e-2222-4c2d-9e8f-000000000002",
        posted_at=datetime(2026, 9, 12, 16, 30, tzinfo=UTC),
    ),
)
# The v2 list alone: places, countries and work models, but no company, type, pay or date.
V2_LISTED = tuple(
    replace(
        p,
        company="acme",
        employment_type="unknown",
        salary_min=None,
        salary_max=None,
        salary_currency=None,
        salary_period=None,
        posted_at=None,
    )
    for p in V2_RECORDED
)
V2_PAGE_SIZE = 20  # the host chooses; the board's totalPages says how many


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def v2_page(items: list[Any], page: int = 0, pages: int = 1, total: int | None = None) -> dict[str, Any]:
    count = len(items) if total is None else total
    return {"items": items, "page": page, "pageSize": V2_PAGE_SIZE, "totalItems": count, "totalPages": pages}


def v2_pages(base: str, items: list[Any]) -> list[Page]:
    """Pages 0.. of the v2 list: page 0 without a query, as the first request goes."""
    starts = range(0, len(items), V2_PAGE_SIZE)
    return [
        Page(
            f"page={n}" if n else "",
            json.dumps(v2_page(items[start : start + V2_PAGE_SIZE], n, len(starts), len(items))).encode(),
        )
        for n, start in enumerate(starts)
    ]


def _common(**fields: Any) -> dict[str, Any]:
    return {
        "token": "acme",
        "path": "/acme/jobs",
        "query": "",
        "default_base_url": DEFAULT_BASE_URL,
        "default_url": f"{DEFAULT_BASE_URL}/acme/jobs",
        "parse": rippling.parse,
        "follows_redirects": False,
        "says": dict.fromkeys((404, 410, 307), "no Rippling job board 'acme'"),
        **fields,
    }


# The v1 list (the default host): one row per job and place, no paging.
CASE = Case(
    kind="rippling",
    fixture="rippling_list.json",
    recorded=RECORDED,
    listed=LISTED,
    jobs_of=json_jobs(None),
    page=json_page(None),
    job=lambda fields: {"uuid": "u", "name": "t", **fields},
    renumber=renumbered("uuid", "name", _uuid),
    no_id=(b'[{"name": "no id"}]', "job #1 has no usable 'uuid'"),
    wrong_shape=b'"jobs"',
    details=Details(
        DETAILS,
        "rippling_detail.json",
        (
            "/acme/jobs/75ad50c6-778f-42ee-9c63-70d1cd687202",
            "/acme/jobs/94486f41-6474-446a-b67a-c164e11354ea",
        ),
    ),
    work_models=(
        # v1 has only place names.
        ("remote place", {"workLocation": {"label": "Remote (United States)"}}, "remote"),
        ("nothing", {"workLocation": {"label": "Austin, TX"}}, "unknown"),
    ),
    **_common(),
)


def _places(*places: tuple[str, str | None]) -> dict[str, Any]:
    return {"locations": [{"name": name, "workplaceType": kind} for name, kind in places]}


# The v2 list (base_url pointed at v2): {"items": ...}, paged, a workplace type per place.
V2_CASE = Case(
    kind="rippling",
    label="rippling-v2",
    fixture="rippling_v2_list.json",
    recorded=V2_RECORDED,
    listed=V2_LISTED,
    jobs_of=json_jobs("items"),
    page=v2_page,
    job=lambda fields: {"id": "u", "name": "t", **fields},
    renumber=renumbered("id", "name", _uuid),
    no_id=(b'{"items": [{"name": "no id"}], "totalPages": 1}', "job #1 has no usable 'id'"),
    wrong_shape=b'{"items": {}}',
    details=Details(
        DETAILS,
        "rippling_v2_detail.json",
        (
            "/acme/jobs/0f5b3a1e-1111-4c2d-9e8f-000000000001",
            "/acme/jobs/0f5b3a1e-2222-4c2d-9e8f-000000000002",
        ),
    ),
    pages=v2_pages,
    page_size=V2_PAGE_SIZE,
    work_models=(
        ("ON_SITE", _places(("Austin, TX", "ON_SITE")), "onsite"),
        ("REMOTE", _places(("Remote (US)", "REMOTE")), "remote"),
        ("HYBRID", _places(("London", "HYBRID")), "hybrid"),
        ("remote here, office there", _places(("Austin", "ON_SITE"), ("Remote", "REMOTE")), "hybrid"),
        ("no workplace type, a plain place", _places(("Austin, TX", None)), "unknown"),
    ),
    **_common(),
)
