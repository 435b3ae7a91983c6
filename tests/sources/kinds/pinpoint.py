from __future__ import annotations

import json

from alerts.model import Posting
from alerts.sources import pinpoint

from sources_support import Case, json_jobs, json_page, renumbered

RECORDED = (
    Posting(
        source="pinpoint",
        board_token="workwithus",
        external_id="559663",
        title="Founding Legal Counsel",
        company="workwithus",  # Pinpoint names no company
        department="Operations",
        location="Remote",
        city=None,  # "London" is the office, not where a remote job is
        region=None,
        work_model="remote",
        employment_type="full_time",
        url="https://workwithus.pinpointhq.com/en/postings/ce6c9e5c-a2d3-42b0-a01e-9edeae315b04",
    ),
    Posting(
        source="pinpoint",
        board_token="workwithus",
        external_id="567495",
        title="Enterprise Implementation Manager",
        company="workwithus",
        department="Implementation",
        location="United Kingdom",
        city="London",
        region="London",
        country="GB",  # from the place text (Pinpoint has no country field)
        work_model="remote",
        employment_type="full_time",
        salary_min=70000.0,
        salary_max=90000.0,
        salary_currency="GBP",
        salary_period="year",
        url="https://workwithus.pinpointhq.com/en/postings/8fa6a0e0-0beb-4233-8ab0-409fe6bfccb1",
    ),
)


def _served(recorded: bytes) -> bytes:
    # Saved as the bare list; the API wraps it in {"data": [...]}.
    return json.dumps({"data": json.loads(recorded)}, ensure_ascii=False).encode()


CASE = Case(
    kind="pinpoint",
    token="workwithus",
    fixture="pinpoint_workwithus.json",
    served=_served,
    path="/postings.json",
    query="",
    default_base_url="https://{token}.pinpointhq.com",
    default_url="https://workwithus.pinpointhq.com/postings.json",
    recorded=RECORDED,
    parse=pinpoint.parse,
    jobs_of=json_jobs("data"),
    page=json_page("data"),
    job=lambda fields: {"id": "1", "title": "t", **fields},
    renumber=renumbered("id", "title", lambda n: str(600_000 + n)),
    no_id=(b'{"data": [{"title": "A"}]}', "job #1 has no usable 'id'"),
    wrong_shape=b"[]",
    follows_redirects=False,
    says=dict.fromkeys((404, 410), "no Pinpoint career site named 'workwithus'"),
    work_models=(
        ("workplace_type remote", {"workplace_type": "remote"}, "remote"),
        ("workplace_type hybrid", {"workplace_type": "hybrid"}, "hybrid"),
        ("workplace_type onsite", {"workplace_type": "onsite"}, "onsite"),
        ("only the text", {"workplace_type": None, "workplace_type_text": "Fully remote"}, "remote"),
        ("a location called Remote", {"location": {"name": "Remote- USA "}}, "remote"),
        ("nothing", {"location": {"name": "Wilmington, NC"}}, "unknown"),
    ),
)
