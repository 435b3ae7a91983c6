from __future__ import annotations

import json
from datetime import UTC, datetime

from alerts.model import Posting
from alerts.sources import workable

from sources_support import Case, json_jobs, json_page, renumbered

RECORDED = (
    Posting(
        source="workable",
        board_token="huckberry",
        external_id="62180FD5F9",
        title="Associate Designer, Apparel",
        company="huckberry",  # the recorded body has no account `name`
        department="Product & Merchandising",
        location="Austin, Texas, United States",
        city="Austin",
        region="Texas",
        country="United States",
        # telecommuting false says "not remote", not "on site".
        work_model="unknown",
        employment_type="full_time",
        url="https://apply.workable.com/j/62180FD5F9",
        apply_url="https://apply.workable.com/j/62180FD5F9/apply",
        posted_at=datetime(2026, 9, 17, tzinfo=UTC),
    ),
)


def _served(recorded: bytes) -> bytes:
    # The recording is wrapped in a test-case file; the body the API sent
    # is at cases.normal.body.
    return json.dumps(json.loads(recorded)["cases"]["normal"]["body"], ensure_ascii=False).encode()


CASE = Case(
    kind="workable",
    token="huckberry",
    fixture="workable_huckberry.json",
    served=_served,
    path="/widget/accounts/huckberry",
    query="",
    default_base_url="https://apply.workable.com/api/v1",
    default_url="https://apply.workable.com/api/v1/widget/accounts/huckberry",
    recorded=RECORDED,
    parse=workable.parse,
    jobs_of=json_jobs("jobs"),
    page=json_page("jobs"),
    job=lambda fields: {"shortcode": "A1", "title": "t", **fields},
    renumber=renumbered("shortcode", "title", lambda n: f"S{n:09d}"),
    no_id=(b'{"jobs": [{"title": "A", "telecommuting": true}]}', "job #1 has no usable 'shortcode'"),
    wrong_shape=b'{"offers": []}',
    work_models=(
        ("telecommuting", {"telecommuting": True, "city": "Austin"}, "remote"),
        ("not telecommuting, remote city", {"telecommuting": False, "city": "Remote"}, "remote"),
        # telecommuting false does not say on site: hybrid jobs say false too.
        ("not telecommuting", {"telecommuting": False, "city": "Austin"}, "unknown"),
    ),
)
