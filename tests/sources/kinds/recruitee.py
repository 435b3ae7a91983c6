from __future__ import annotations

from datetime import UTC, datetime

from alerts.model import Posting
from alerts.sources import recruitee

from sources_support import Case, json_jobs, json_page, renumbered

RECORDED = (
    Posting(
        source="recruitee",
        board_token="channable",
        external_id="2751915",
        title="Customer Success Manager Benelux - Dutch speaking",
        company="Channable",
        department="Customer Success",
        location="Utrecht, Utrecht, Netherlands",
        city="Utrecht",
        region="Utrecht",
        country="Netherlands",
        work_model="hybrid",
        employment_type="full_time",  # fulltime_permanent
        salary_min=3750.0,  # "3750"
        salary_max=5250.0,
        salary_currency="EUR",
        salary_period="month",
        url="https://jobs.channable.com/o/customer-success-manager-benelux-dutch-speaking-3",
        apply_url="https://jobs.channable.com/o/customer-success-manager-benelux-dutch-speaking-3/c/new",
        posted_at=datetime(2026, 9, 18, 13, 27, 28, tzinfo=UTC),
        updated_at=datetime(2026, 9, 19, 19, 2, 48, tzinfo=UTC),
    ),
    Posting(
        source="recruitee",
        board_token="channable",
        external_id="2743511",
        title="Head of People & Culture",
        company="Channable",
        department="Operations",
        location="Utrecht, Utrecht, Netherlands",
        city="Utrecht",
        region="Utrecht",
        country="Netherlands",
        work_model="hybrid",
        employment_type="full_time",
        salary_min=115000.0,
        salary_max=130000.0,
        salary_currency="EUR",
        salary_period="year",
        url="https://jobs.channable.com/o/head-of-people-culture",
        apply_url="https://jobs.channable.com/o/head-of-people-culture/c/new",
        posted_at=datetime(2026, 9, 11, 15, 16, 33, tzinfo=UTC),
        updated_at=datetime(2026, 9, 21, 12, 2, 55, tzinfo=UTC),
    ),
)

CASE = Case(
    kind="recruitee",
    token="channable",
    fixture="recruitee_channable.json",
    path="/offers/",
    query="",
    default_base_url="https://{token}.recruitee.com/api",
    default_url="https://channable.recruitee.com/api/offers/",
    recorded=RECORDED,
    parse=recruitee.parse,
    jobs_of=json_jobs("offers"),
    page=json_page("offers"),
    job=lambda fields: {"id": 1, "title": "t", **fields},
    renumber=renumbered("id", "title", lambda n: 1_000_000 + n),
    no_id=(b'{"offers": [{"title": "A"}]}', "job #1 has no usable 'id'"),
    wrong_shape=b'{"jobs": []}',
    work_models=(
        ("remote flag", {"remote": True, "hybrid": False, "on_site": False}, "remote"),
        ("hybrid flag", {"remote": False, "hybrid": True, "on_site": False}, "hybrid"),
        ("on_site flag", {"remote": False, "hybrid": False, "on_site": True}, "onsite"),
        (
            "no flag, hybrid text",
            {"remote": False, "hybrid": False, "on_site": False, "location": "Hybrid - Amsterdam"},
            "hybrid",
        ),
        ("nothing", {"location": "Amsterdam"}, "unknown"),
    ),
)
