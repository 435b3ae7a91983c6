from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import smartrecruiters

from sources_support import Case, Page, json_jobs, renumbered

RECORDED = (
    Posting(
        source="smartrecruiters",
        board_token="Ubisoft2",
        external_id="744000151912444",
        title="Spécialiste Fiabilité outils et infrastructures - TGQF",
        company="Ubisoft",
        department="Ubisoft",
        location="Montreal, QC, Canada",
        city="Montreal",
        region="QC",
        country="CA",
        work_model="onsite",  # remote: false, hybrid: false
        employment_type="full_time",  # "Full-time"
        url="https://jobs.smartrecruiters.com/Ubisoft2/744000151912444",
        posted_at=datetime(2026, 9, 25, 18, 18, 52, 891000, tzinfo=UTC),
    ),
    Posting(
        source="smartrecruiters",
        board_token="Ubisoft2",
        external_id="744000151872065",
        title="CRM Webmarketing Assistant",
        company="Ubisoft",
        department="Ubisoft",
        location="Paris, IDF, France",
        city="Paris",
        region="IDF",
        country="FR",
        work_model="onsite",
        employment_type="intern",
        url="https://jobs.smartrecruiters.com/Ubisoft2/744000151872065",
        posted_at=datetime(2026, 9, 25, 14, 49, 0, 552000, tzinfo=UTC),
    ),
)

PAGE_SIZE = 100


def _page(jobs: list[Any], offset: int = 0, total: int | None = None) -> dict[str, Any]:
    page = {"offset": offset, "limit": PAGE_SIZE, "totalFound": len(jobs) if total is None else total}
    return {**page, "content": jobs}


def _body(jobs: list[Any], offset: int = 0, total: int | None = None) -> bytes:
    return json.dumps(_page(jobs, offset, total), ensure_ascii=False).encode()


def _served(recorded: bytes) -> bytes:
    # One page of a 310-posting board: served as the whole board.
    return _body(json.loads(recorded)["content"])


def _pages(base: str, jobs: list[Any]) -> list[Page]:
    return [
        Page(
            f"limit={PAGE_SIZE}&offset={offset}", _body(jobs[offset : offset + PAGE_SIZE], offset, len(jobs))
        )
        for offset in range(0, len(jobs), PAGE_SIZE)
    ]


CASE = Case(
    kind="smartrecruiters",
    token="Ubisoft2",
    fixture="smartrecruiters_ubisoft2.json",
    served=_served,
    path="/companies/Ubisoft2/postings",
    query="limit=100&offset=0",
    default_base_url="https://api.smartrecruiters.com/v1",
    default_url="https://api.smartrecruiters.com/v1/companies/Ubisoft2/postings?limit=100&offset=0",
    recorded=RECORDED,
    parse=smartrecruiters.parse,
    jobs_of=json_jobs("content"),
    page=_page,
    job=lambda fields: {"id": "1", "name": "t", **fields},
    renumber=renumbered("id", "name", str),
    no_id=(
        b'{"offset": 0, "limit": 100, "totalFound": 1, "content": [{"name": "A"}]}',
        "job #1 has no usable 'id'",
    ),
    wrong_shape=b"[]",
    # Paged: no validator speaks for the whole board.
    conditional=False,
    pages=_pages,
    work_models=(
        ("remote flag", {"location": {"remote": True, "hybrid": False}}, "remote"),
        ("hybrid flag", {"location": {"remote": False, "hybrid": True}}, "hybrid"),
        (
            "both flags false",
            {"location": {"remote": False, "hybrid": False, "fullLocation": "Paris"}},
            "onsite",
        ),
        ("flags missing, remote text", {"location": {"fullLocation": "Remote, Poland"}}, "remote"),
        ("nothing", {"location": {"fullLocation": "Paris, France"}}, "unknown"),
    ),
)
