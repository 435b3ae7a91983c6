from __future__ import annotations

from dataclasses import replace
from typing import Any

from alerts import countries
from alerts.model import Posting
from alerts.sources import bamboohr

from sources_support import Case, Details, json_jobs, renumbered

# The recorded list with the recorded detail (data/bamboohr_detail.json) for
# each opening: it has no date and no pay, but names the country.
RECORDED = (
    Posting(
        source="bamboohr",
        board_token="acme",
        external_id="86",
        title="Nurse Paralegal",
        company="acme",  # BambooHR never names the company
        department="Legal",
        location="Fort Lauderdale, Florida",
        city="Fort Lauderdale",
        region="Florida",
        country="US",  # the detail's addressCountry "United States"
        work_model="onsite",  # locationType "0"
        employment_type="full_time",
        url="https://acme.bamboohr.com/careers/86",
    ),
    Posting(
        source="bamboohr",
        board_token="acme",
        external_id="87",
        title="Marketing & Social Media Intern",
        company="acme",
        department="Marketing",  # "Marketing " trimmed
        location="Fort Lauderdale, Florida",
        city="Fort Lauderdale",
        region="Florida",
        country="US",
        work_model="onsite",
        employment_type="intern",  # "Internship"
        url="https://acme.bamboohr.com/careers/87",
    ),
)
# The list alone: an office job's country is only in its detail, or in its
# place text ("Fort Lauderdale, Florida").
LISTED = tuple(replace(p, country=countries.place_country(p.location)) for p in RECORDED)


def page(jobs: list[Any]) -> dict[str, Any]:
    return {"meta": {"totalCount": len(jobs)}, "result": jobs}


CASE = Case(
    kind="bamboohr",
    token="acme",
    fixture="bamboohr_list.json",
    path="/careers/list",
    query="",
    default_base_url="https://{token}.bamboohr.com",
    default_url="https://acme.bamboohr.com/careers/list",
    recorded=RECORDED,
    listed=LISTED,
    parse=bamboohr.parse,
    jobs_of=json_jobs("result"),
    page=page,
    job=lambda fields: {"id": "1", "jobOpeningName": "t", **fields},
    renumber=renumbered("id", "jobOpeningName", lambda n: str(100_000 + n)),
    no_id=(b'{"result": [{"jobOpeningName": "A"}]}', "job #1 has no usable 'id'"),
    wrong_shape=b'{"result": {}}',
    details=Details(
        r"/careers/[^/]+/detail", "bamboohr_detail.json", ("/careers/86/detail", "/careers/87/detail")
    ),
    follows_redirects=False,  # an unknown name is redirected off /careers
    says=dict.fromkeys((404, 410, 307), "no public BambooHR careers page 'acme'"),
    empty_unknown=(
        "BambooHR lists no open positions for 'acme', and it answers the same for a name it does not use",
    ),
    work_models=(
        # BambooHR's locationType codes.
        ("locationType 0", {"locationType": "0"}, "onsite"),
        ("locationType 1", {"locationType": "1"}, "remote"),
        ("locationType 2", {"locationType": "2"}, "hybrid"),
        ("isRemote alone", {"locationType": None, "isRemote": True}, "remote"),
        ("nothing", {"locationType": None, "isRemote": None}, "unknown"),
    ),
)
