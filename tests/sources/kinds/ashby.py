from __future__ import annotations

from datetime import UTC, datetime

from alerts.model import Posting
from alerts.sources import ashby

from sources_support import Case, json_jobs, json_page, renumbered

RECORDED = (
    Posting(
        source="ashby",
        board_token="linear",
        external_id="d3bc1ced-3ce4-4086-a050-555055dbb1ff",
        title="Senior / Staff Fullstack Engineer",
        company="linear",
        department="Product",
        team="Engineering",
        location="Europe",
        country="European Union",
        work_model="remote",
        employment_type="full_time",
        url="https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff",
        apply_url="https://jobs.ashbyhq.com/linear/d3bc1ced-3ce4-4086-a050-555055dbb1ff/application",
        posted_at=datetime(2021, 4, 27, 20, 13, 45, 158000, tzinfo=UTC),
    ),
    Posting(
        source="ashby",
        board_token="linear",
        external_id="cd5ae036-0223-427a-b038-ba16ef9dcb32",
        title="Senior / Staff Fullstack Engineer",
        company="linear",
        department="Product",
        team="Engineering",
        location="North America",
        country="United States",
        work_model="remote",
        employment_type="full_time",
        url="https://jobs.ashbyhq.com/linear/cd5ae036-0223-427a-b038-ba16ef9dcb32",
        apply_url="https://jobs.ashbyhq.com/linear/cd5ae036-0223-427a-b038-ba16ef9dcb32/application",
        posted_at=datetime(2021, 8, 18, 20, 48, 26, 891000, tzinfo=UTC),
    ),
)

CASE = Case(
    kind="ashby",
    token="linear",
    fixture="ashby_linear.json",
    path="/job-board/linear",
    query="includeCompensation=true",
    default_base_url="https://api.ashbyhq.com/posting-api",
    default_url="https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true",
    recorded=RECORDED,
    parse=ashby.parse,
    jobs_of=json_jobs("jobs"),
    page=json_page("jobs", apiVersion="1"),
    job=lambda fields: {"id": "a", "title": "t", **fields},
    renumber=renumbered("id", "title", lambda n: f"00000000-0000-4000-8000-{n:012d}"),
    no_id=(b'{"jobs": [{"title": "A", "isListed": true}]}', "job #1 has no usable 'id'"),
    wrong_shape=b'[{"id": "x"}]',
    work_models=(
        ("workplaceType Remote", {"workplaceType": "Remote"}, "remote"),
        ("workplaceType Hybrid", {"workplaceType": "Hybrid"}, "hybrid"),
        ("workplaceType OnSite", {"workplaceType": "OnSite"}, "onsite"),
        ("Hybrid even with isRemote", {"workplaceType": "Hybrid", "isRemote": True}, "hybrid"),
        ("isRemote alone", {"workplaceType": None, "isRemote": True}, "remote"),
        ("location text last", {"workplaceType": None, "location": "Remote (US)"}, "remote"),
        ("nothing", {"isRemote": False}, "unknown"),
    ),
)
