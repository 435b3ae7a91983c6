from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from alerts.model import BoardRef, Posting
from alerts.sources import bluedoor

from sources_support import Case, Page, json_jobs, renumbered

TOKEN = "company=OpenAI&department=Finance&workplace_type=hybrid"
BOARD = BoardRef("bluedoor", TOKEN)
FIXTURE = "bluedoor_seed_record.json"
FIRST_PAGE = TOKEN + "&status=all&limit=100"
KEY = "bd_live_s3cr3t"

# The seed's canonical job, exactly as it must come out.
SEED_POSTING = Posting(
    source="bluedoor",
    board_token=TOKEN,
    external_id="27e432e20c30e480ac13e73f7ad6a9ed6519a230",
    title="Order Management & Billing Lead, Cloud Marketplaces & Partnerships - AWS",
    company="OpenAI",
    department="Finance",
    team="Finance",
    location="San Francisco",
    city="San Francisco",
    region="CA",
    country="United States",
    work_model="hybrid",
    employment_type="full_time",
    salary_min=None,
    salary_max=None,
    salary_currency=None,
    salary_period=None,
    url="https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943",
    apply_url="https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943/application",
    # No source dates on the record: first seen and last changed stand in.
    posted_at=datetime(2026, 6, 4, 13, 1, 15, tzinfo=UTC),
    updated_at=datetime(2026, 6, 4, 13, 1, 15, tzinfo=UTC),
    active=True,
    same_as="ashby:1d03b4ee-8cec-47a1-b9e2-8ce9c5650943",
)
PAGE_SIZE = 100


def _page(records: list[Any], cursor: str | None = None) -> dict[str, Any]:
    return {"data": records, "next_cursor": cursor}


def _body(records: list[Any], cursor: str | None = None) -> bytes:
    return json.dumps(_page(records, cursor), ensure_ascii=False).encode()


def _pages(base: str, records: list[Any]) -> list[Page]:
    starts = range(0, len(records), PAGE_SIZE)
    return [
        Page(
            FIRST_PAGE + (f"&cursor=c{n}" if n else ""),
            _body(
                records[start : start + PAGE_SIZE], f"c{n + 1}" if start + PAGE_SIZE < len(records) else None
            ),
        )
        for n, start in enumerate(starts)
    ]


CASE = Case(
    kind="bluedoor",
    token=TOKEN,
    fixture="bluedoor_seed_record.json",
    # The seed is one record; the API sends it in a page.
    served=lambda recorded: _body([json.loads(recorded)]),
    path="/jobs",
    query=FIRST_PAGE,
    default_base_url="https://api.bluedoor.sh/job-postings/v1",
    default_url="https://api.bluedoor.sh/job-postings/v1/jobs?" + FIRST_PAGE,
    recorded=(SEED_POSTING,),
    parse=bluedoor.parse,
    jobs_of=json_jobs("data"),
    page=_page,
    job=lambda fields: {"job_id": "j", "title": "t", **fields},
    renumber=renumbered("job_id", "title", lambda n: f"{n:040x}"),
    no_id=(b'{"data": [{"title": "A"}], "next_cursor": null}', "job #1 has no usable 'job_id'"),
    wrong_shape=b"[]",
    conditional=False,
    incremental=True,
    says={403: "the bluedoor API key may not read job postings", 404: "no bluedoor job postings API at"},
    url_not_shown=(403,),
    pages=_pages,
    work_models=(
        ("workplace_type remote", {"workplace_type": "remote"}, "remote"),
        ("workplace_type hybrid", {"workplace_type": "hybrid", "remote_policy": "remote"}, "hybrid"),
        ("workplace_type onsite", {"workplace_type": "onsite"}, "onsite"),
        ("remote_policy second", {"workplace_type": None, "remote_policy": "hybrid"}, "hybrid"),
        ("location text last", {"location_text": "Remote - US"}, "remote"),
        ("nothing", {"location_text": "San Francisco"}, "unknown"),
    ),
)
