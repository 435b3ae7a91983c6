from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import workday
from alerts.sources.workday.keys import identify

from sources_support import Case, Details, Page

SITE = "https://acme.wd5.myworkdayjobs.com/Careers"
PATHS = (
    "/job/Virginia---Washington-DC-Metro---Remote/"
    "Solution-Architect---Senior-Solution-Architect---PubSec---SLED-NGO_JR354232",
    "/job/Illinois---Chicago/Customer-Success-Manager---Global-Public-Sector--State---Local-Gov-_JR332446",
)
# The recorded list (a Salesforce tenant: two rows, "3 Locations" and "5
# Locations", counts, not places), each with one detail
# (data/workday_detail_flex_us.json, hand-made in the real shape: no detail
# was recorded), in the order the source keeps them: by requisition, shortest
# path first.
RECORDED = (
    Posting(
        source="workday",
        board_token="acme.wd5/Careers",
        external_id="JR332446",  # the requisition id, from bulletFields and the path
        title="Customer Success Manager - Global Public Sector (State, Local Government and Education)",
        company="Example Corporation",  # the detail's hiringOrganization
        location="US, CA, Santa Clara; US, WA, Seattle; US, TX, Austin",  # the detail's places
        city="Santa Clara",
        region="CA",
        country="US",  # the detail's alpha2Code
        work_model="hybrid",  # the detail's remoteType "Flex"
        employment_type="full_time",  # the detail's timeType
        # "The base salary range is 152,000 USD - 287,500 USD." (the description)
        salary_min=152000.0,
        salary_max=287500.0,
        salary_currency="USD",
        url=f"{SITE}{PATHS[1]}",
        posted_at=datetime(2026, 9, 29, tzinfo=UTC),  # the detail's startDate
    ),
    Posting(
        source="workday",
        board_token="acme.wd5/Careers",
        external_id="JR354232",
        title="Solution Architect / Senior Solution Architect - PubSec - SLED/NGO",
        company="Example Corporation",
        location="US, CA, Santa Clara; US, WA, Seattle; US, TX, Austin",
        city="Santa Clara",
        region="CA",
        country="US",
        work_model="hybrid",
        employment_type="full_time",
        salary_min=152000.0,
        salary_max=287500.0,
        salary_currency="USD",
        url=f"{SITE}{PATHS[0]}",
        posted_at=datetime(2026, 9, 29, tzinfo=UTC),
    ),
)
# The list alone: no place (a count of places is none), no date, no country,
# no pay; the company is the tenant.
LISTED = tuple(
    replace(
        p,
        company="acme",
        location=None,
        city=None,
        region=None,
        country=None,
        work_model="unknown",
        employment_type="unknown",
        salary_min=None,
        salary_max=None,
        salary_currency=None,
        posted_at=None,
    )
    for p in RECORDED
)
PAGE_SIZE = 20  # the most a real tenant accepts


def page(rows: list[Any], total: int | None = None) -> dict[str, Any]:
    return {"total": len(rows) if total is None else total, "jobPostings": rows}


def pages(base: str, rows: list[Any]) -> list[Page]:
    """Pages of 20, asked for with the careers site's own body; `total`
    only on the first page (later pages say 0), as real tenants answer."""
    return [
        Page(
            "",
            json.dumps(page(rows[offset : offset + PAGE_SIZE], len(rows) if offset == 0 else 0)).encode(),
            json={"appliedFacets": {}, "limit": PAGE_SIZE, "offset": offset, "searchText": ""},
        )
        for offset in range(0, len(rows), PAGE_SIZE)
    ]


def renumber(row: dict[str, Any], n: int) -> dict[str, Any]:
    # Paths of one length, so the requisition order is the list order.
    requisition = f"JR{n:07d}"
    return {
        **row,
        "title": f"Role {n}",
        "externalPath": f"/job/Remote/Role_{requisition}",
        "bulletFields": [requisition],
    }


CASE = Case(
    kind="workday",
    token="acme.wd5/Careers",
    fixture="workday_salesforce.json",
    path="/wday/cxs/acme/Careers/jobs",
    query="",
    default_base_url="https://{tenant}.{dc}.myworkdayjobs.com/wday/cxs/{tenant}/{site}",
    default_url="https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
    recorded=RECORDED,
    listed=LISTED,
    parse=workday.parse,
    # The rows in the order the source keeps them (placeholder rows have no posting).
    jobs_of=lambda page: list(identify([r for r in page["jobPostings"] if r.get("externalPath")]).values()),
    page=page,
    job=lambda fields: {"title": "t", "externalPath": "/job/X/T_R1", **fields},
    renumber=renumber,
    no_id=None,  # a row without externalPath is a placeholder, skipped (test_sources_workday.py)
    wrong_shape=b"[]",
    method="POST",
    base_suffix="/wday/cxs/{tenant}/{site}",
    details=Details(
        r"/wday/cxs/acme/Careers/job/.+",
        "workday_detail_flex_us.json",
        tuple(f"/wday/cxs/acme/Careers{p}" for p in PATHS),
    ),
    conditional=False,  # Workday sends no validators
    follows_redirects=False,
    says={
        **dict.fromkeys((404, 410), "Workday site 'Careers' not found for acme on wd5"),
        403: "the Workday site acme/Careers refuses our requests",
        400: "Workday refused the list request as malformed",
        307: "no Workday career site acme/Careers on wd5",
    },
    pages=pages,
    page_size=PAGE_SIZE,
    pages_in_order=False,  # up to three pages at once
    work_models=(
        # Workday's remoteType; "Flex" is its word for hybrid.
        ("remoteType Flex", {"remoteType": "Flex"}, "hybrid"),
        ("remoteType Hybrid", {"remoteType": "Hybrid (Remote & On-site)"}, "hybrid"),
        ("remoteType On-Site", {"remoteType": "On-Site"}, "onsite"),
        ("remoteType Remote", {"remoteType": "Remote"}, "remote"),
        ("remoteType Fully Remote", {"remoteType": "Fully Remote"}, "remote"),
        ("no remoteType, remote place", {"locationsText": "Remote, USA"}, "remote"),
        ("nothing", {"locationsText": "2 Locations"}, "unknown"),
    ),
)
