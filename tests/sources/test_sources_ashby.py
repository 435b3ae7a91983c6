from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import ashby

from kinds.ashby import RECORDED
from sources_support import drop_fields, set_fields

BOARD = BoardRef("ashby", "linear")
FIXTURE = "ashby_linear.json"


def _components(*components: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda job: job["compensation"].update(summaryComponents=list(components))


EQUITY = {
    "compensationType": "EquityPercentage",
    "interval": "NONE",
    "currencyCode": None,
    "minValue": None,
    "maxValue": None,
}
SALARY = {
    "compensationType": "Salary",
    "interval": "1 YEAR",
    "currencyCode": "USD",
    "minValue": 211400,
    "maxValue": 290600,
}

VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(apiExtras={"x": 1}, secondaryLocations=[{"odd": True}]), {}),
    (
        "optional fields missing",
        drop_fields(
            "department",
            "team",
            "employmentType",
            "location",
            "publishedAt",
            "isListed",
            "isRemote",
            "workplaceType",
            "address",
            "jobUrl",
            "applyUrl",
            "compensation",
        ),
        dict(
            department=None,
            team=None,
            employment_type="unknown",
            location=None,
            country=None,
            work_model="unknown",
            url=None,
            apply_url=None,
            posted_at=None,
        ),
    ),
    (
        "optional fields null",
        set_fields(
            department=None,
            team=None,
            employmentType=None,
            location=None,
            publishedAt=None,
            isListed=None,
            isRemote=None,
            workplaceType=None,
            address=None,
            jobUrl=None,
            applyUrl=None,
            compensation=None,
        ),
        dict(
            department=None,
            team=None,
            employment_type="unknown",
            location=None,
            country=None,
            work_model="unknown",
            url=None,
            apply_url=None,
            posted_at=None,
        ),
    ),
    (
        "full postal address",
        set_fields(
            address={
                "postalAddress": {
                    "addressLocality": "New York City",
                    "addressRegion": "NY",
                    "addressCountry": "USA",
                }
            }
        ),
        dict(city="New York City", region="NY", country="USA"),
    ),
    ("workplaceType OnSite", set_fields(workplaceType="OnSite", isRemote=False), dict(work_model="onsite")),
    # workplaceType wins: isRemote has been seen true on hybrid jobs.
    (
        "workplaceType Hybrid with isRemote",
        set_fields(workplaceType="Hybrid", isRemote=True),
        dict(work_model="hybrid"),
    ),
    ("isRemote alone", set_fields(workplaceType=None, isRemote=True), dict(work_model="remote")),
    ("isRemote false alone", set_fields(workplaceType=None, isRemote=False), dict(work_model="unknown")),
    (
        "location text last",
        set_fields(workplaceType=None, isRemote=None, location="Remote (US)"),
        dict(work_model="remote", location="Remote (US)"),
    ),
    ("PartTime", set_fields(employmentType="PartTime"), dict(employment_type="part_time")),
    ("Intern", set_fields(employmentType="Intern"), dict(employment_type="intern")),
    ("Contract", set_fields(employmentType="Contract"), dict(employment_type="contract")),
    ("Temporary", set_fields(employmentType="Temporary"), dict(employment_type="temporary")),
    (
        "yearly salary after equity",
        _components(EQUITY, SALARY),
        dict(salary_min=211400.0, salary_max=290600.0, salary_currency="USD", salary_period="year"),
    ),
    (
        "monthly salary",
        _components({**SALARY, "interval": "1 MONTH", "minValue": 11700, "maxValue": 11700}),
        dict(salary_min=11700.0, salary_max=11700.0, salary_currency="USD", salary_period="month"),
    ),
    (
        "hourly salary",
        _components(
            {**SALARY, "interval": "1 HOUR", "minValue": 30.5, "maxValue": None, "currencyCode": "GBP"}
        ),
        dict(salary_min=30.5, salary_currency="GBP", salary_period="hour"),
    ),
    ("equity only", _components(EQUITY), {}),
    ("salary without amounts", _components({**SALARY, "minValue": None, "maxValue": None}), {}),
    ("summaryComponents null", set_fields(compensation={"summaryComponents": None}), {}),
    (
        "leading and trailing spaces in title",
        set_fields(title=" Security Engineer, Cloud "),
        dict(title="Security Engineer, Cloud"),
    ),
    (
        "non-ASCII title",
        set_fields(title="Ingeniero/a de Software – México"),
        dict(title="Ingeniero/a de Software – México"),
    ),
    (
        "HTML entities in title",
        set_fields(title="Design &amp; Research &quot;Lead&quot;"),
        dict(title='Design & Research "Lead"'),
    ),
    ("title null", set_fields(title=None), dict(title="")),
    ("isListed missing is listed", drop_fields("isListed"), {}),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    job = copy.deepcopy(payload(FIXTURE)["jobs"][0])
    edit(job)
    [posting] = ashby.parse({"apiVersion": "1", "jobs": [job]}, BOARD)
    assert posting == replace(RECORDED[0], **changes)
    assert posting.raw is job


def test_unlisted_jobs_are_dropped(payload: Callable[[str], Any]) -> None:
    data = payload(FIXTURE)
    data["jobs"][0]["isListed"] = False
    # An unlisted job is not checked further: it is not part of the board.
    data["jobs"].append({"isListed": False, "title": "hidden, no id"})
    assert ashby.parse(data, BOARD) == list(RECORDED[1:])


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),
        ({"apiVersion": "1"}, "no 'jobs'"),
        ({"jobs": None}, "got null"),
        ({"jobs": [None]}, "job #1 is null"),
        ({"jobs": [{"title": "no id", "isListed": True}]}, "job #1 has no usable 'id'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        ashby.parse(body, BOARD)
    assert says in str(caught.value)
    assert "ashby:linear" in str(caught.value)
    assert caught.value.transient is False
