from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import breezy

from sources_support import Case, json_jobs, json_page, renumbered

RECORDED = (
    Posting(
        source="breezy",
        board_token="breezy",
        external_id="98323abf2296",
        title="Employee #12",
        company="MS Breezy Trial",  # company.name
        department="Does Not Matter",
        location="Chaos, FL",
        city="Chaos",
        region="Florida",
        country="US",
        work_model="onsite",  # is_remote false
        employment_type="unknown",  # "Other"
        salary_min=0.05,  # "$0.05 – $0.06 / hour", in the US: dollars
        salary_max=0.06,
        salary_currency="USD",
        salary_period="hour",
        url="https://breezy.breezy.hr/p/98323abf2296-employee-12",
        posted_at=datetime(2024, 2, 15, 14, 37, 22, 684000, tzinfo=UTC),
    ),
    Posting(
        source="breezy",
        board_token="breezy",
        external_id="088ac6d52139",
        title="Open Position",
        company="MS Breezy Trial",
        department="Sporting Goods",
        location="New York, NY",
        city="New York",
        region="New York",
        country="US",
        work_model="unknown",  # no is_remote at all
        employment_type="contract",
        salary_min=1.0,
        salary_max=5.0,
        salary_currency="USD",
        salary_period="year",
        url="https://breezy.breezy.hr/p/088ac6d52139-open-position",
        posted_at=datetime(2023, 4, 6, 1, 32, 13, 932000, tzinfo=UTC),
    ),
)


def _at(**location: Any) -> dict[str, Any]:
    return {"location": {"name": "Toronto, ON", **location}}


CASE = Case(
    kind="breezy",
    token="breezy",
    fixture="breezy_breezy.json",
    path="/json",
    query="",
    default_base_url="https://{token}.breezy.hr",
    default_url="https://breezy.breezy.hr/json",
    recorded=RECORDED,
    parse=breezy.parse,
    jobs_of=json_jobs(None),
    page=json_page(None),
    job=lambda fields: {"id": "a1", "name": "t", **fields},
    renumber=renumbered("id", "name", lambda n: f"{n:012x}"),
    no_id=(b'[{"name": "A"}]', "job #1 has no usable 'id'"),
    wrong_shape=b'{"positions": []}',
    follows_redirects=False,
    says=dict.fromkeys((404, 410), "no Breezy HR career portal named 'breezy'"),
    work_models=(
        ("remote_details hybrid", _at(is_remote=True, remote_details={"value": "hybrid"}), "hybrid"),
        ("remote_details remote-location", _at(remote_details={"value": "remote-location"}), "remote"),
        (
            "remote_details over is_remote",
            _at(is_remote=False, remote_details={"value": "remote-location"}),
            "remote",
        ),
        ("is_remote true", _at(is_remote=True), "remote"),
        ("is_remote false", _at(is_remote=False), "onsite"),
        ("nothing", _at(), "unknown"),
    ),
)
