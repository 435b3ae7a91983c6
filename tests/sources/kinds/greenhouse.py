from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import greenhouse

from sources_support import Case, json_jobs, json_page, renumbered

RECORDED = (
    Posting(
        source="greenhouse",
        board_token="vercel",
        external_id="6136160004",
        title="Account Executive, Commercial",
        company="Vercel",
        department="Account Executive",
        team=None,
        location="Hybrid - London",
        city="London",
        region="England",
        country="United Kingdom",
        work_model="hybrid",
        employment_type="unknown",
        url="https://job-boards.greenhouse.io/vercel/jobs/6136160004",
        apply_url=None,
        posted_at=datetime(2026, 8, 6, 16, 50, 10, tzinfo=UTC),
        updated_at=datetime(2026, 9, 24, 17, 34, 54, tzinfo=UTC),
    ),
    Posting(
        source="greenhouse",
        board_token="vercel",
        external_id="5999792004",
        title="Account Executive, Majors",
        company="Vercel",
        department="Account Executive",
        team=None,
        location="Hybrid - London",
        city="London",
        region="England",
        country="United Kingdom",
        work_model="hybrid",
        employment_type="unknown",
        url="https://job-boards.greenhouse.io/vercel/jobs/5999792004",
        apply_url=None,
        posted_at=datetime(2026, 5, 21, 13, 26, 9, tzinfo=UTC),
        updated_at=datetime(2026, 9, 24, 21, 12, 5, tzinfo=UTC),
    ),
)


def _place(name: str) -> dict[str, Any]:
    return {"location": {"name": name}}


CASE = Case(
    kind="greenhouse",
    token="vercel",
    fixture="greenhouse_vercel.json",
    path="/boards/vercel/jobs",
    query="content=true",
    default_base_url="https://boards-api.greenhouse.io/v1",
    default_url="https://boards-api.greenhouse.io/v1/boards/vercel/jobs?content=true",
    recorded=RECORDED,
    parse=greenhouse.parse,
    jobs_of=json_jobs("jobs"),
    page=json_page("jobs"),
    job=lambda fields: {"id": 1, "title": "t", **fields},
    renumber=renumbered("id", "title", lambda n: 1_000_000 + n),
    no_id=(b'{"jobs": [{"title": "A"}]}', "job #1 has no usable 'id'"),
    wrong_shape=b"[]",
    # Greenhouse has no field: the location and office names are all there is.
    work_models=(
        ("remote location", _place("Remote, United States"), "remote"),
        ("hybrid location", _place("Hybrid - London"), "hybrid"),
        ("on-site location", _place("London (On-site)"), "onsite"),
        ("office named Remote", {**_place("Anywhere"), "offices": [{"name": "Remote"}]}, "remote"),
        ("a plain city", _place("London"), "unknown"),
        ("nothing", {}, "unknown"),
    ),
)
