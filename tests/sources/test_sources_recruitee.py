from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import recruitee

from kinds.recruitee import RECORDED
from sources_support import base_url, drop_fields, fetch_error, set_fields

BOARD = BoardRef("recruitee", "channable")
FIXTURE = "recruitee_channable.json"


def _flags(remote: Any, hybrid: Any, on_site: Any) -> Callable[[dict[str, Any]], None]:
    return set_fields(remote=remote, hybrid=hybrid, on_site=on_site)


NO_SALARY = dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None)
FIELDS = (
    "company_name",
    "department",
    "location",
    "city",
    "state_name",
    "country",
    "locations",
    "remote",
    "hybrid",
    "on_site",
    "employment_type_code",
    "salary",
    "careers_url",
    "careers_apply_url",
    "published_at",
    "created_at",
    "updated_at",
)
MISSING = dict(
    company="channable",
    department=None,
    location=None,
    city=None,
    region=None,
    country=None,
    work_model="unknown",
    employment_type="unknown",
    url=None,
    apply_url=None,
    posted_at=None,
    updated_at=None,
    **NO_SALARY,
)

VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(brand_new={"x": [1]}, open_questions="odd"), {}),
    ("optional fields missing", drop_fields(*FIELDS), MISSING),
    ("optional fields null", set_fields(**dict.fromkeys(FIELDS)), MISSING),
    ("remote only", _flags(True, False, False), dict(work_model="remote")),
    ("on site only", _flags(False, False, True), dict(work_model="onsite")),
    # Several ticked: the most flexible arrangement on offer.
    ("remote or on site", _flags(True, False, True), dict(work_model="remote")),
    ("hybrid or on site", _flags(False, True, True), dict(work_model="hybrid")),
    ("no flag set: the location text", _flags(False, False, False), dict(work_model="unknown")),
    (
        "no flag set, remote in the text",
        set_fields(remote=False, hybrid=False, on_site=False, location="Remote, Netherlands"),
        dict(work_model="remote", location="Remote, Netherlands"),
    ),
    ("flags as strings are not flags", _flags("true", None, None), dict(work_model="unknown")),
    (
        "salary nulls",
        set_fields(salary={"min": None, "max": None, "period": None, "currency": None}),
        NO_SALARY,
    ),
    (
        "salary min only",
        set_fields(salary={"min": "4000", "max": None, "period": "month", "currency": "EUR"}),
        dict(salary_max=None, salary_min=4000.0),
    ),
    (
        "salary with a comma",
        set_fields(salary={"min": "90,000", "max": "110,000.50", "period": "year", "currency": "EUR"}),
        dict(salary_min=90000.0, salary_max=110000.5, salary_period="year"),
    ),
    (
        "salary not a number",
        set_fields(salary={"min": "competitive", "max": "", "period": "month", "currency": "EUR"}),
        NO_SALARY,
    ),
    (
        "parttime_fixed_term",
        set_fields(employment_type_code="parttime_fixed_term"),
        dict(employment_type="part_time"),
    ),
    (
        "fulltime_fixed_term",
        set_fields(employment_type_code="fulltime_fixed_term"),
        dict(employment_type="temporary"),
    ),
    ("internship", set_fields(employment_type_code="internship"), dict(employment_type="intern")),
    ("freelance", set_fields(employment_type_code="freelance"), dict(employment_type="contract")),
    (
        "place from locations when the top level has none",
        set_fields(location=None, city=None, state_name=None, country=None),
        dict(location="Utrecht, Netherlands", city="Utrecht", region="Utrecht", country="Netherlands"),
    ),
    (
        "created_at when unpublished",
        set_fields(published_at=None),
        dict(posted_at=datetime(2026, 9, 18, 12, 55, 59, tzinfo=UTC)),
    ),
    ("ISO dates too", set_fields(updated_at="2026-09-19T19:02:48Z"), {}),
    (
        "dates unreadable",
        set_fields(published_at="18-09-2026", created_at=None, updated_at="soon"),
        dict(posted_at=None, updated_at=None),
    ),
    (
        "non-ASCII",
        set_fields(title="Medewerker Klantenservice – Zürich", city="Zürich", location="Zürich, Schweiz"),
        dict(title="Medewerker Klantenservice – Zürich", city="Zürich", location="Zürich, Schweiz"),
    ),
    (
        "HTML entities in title",
        set_fields(title="People &amp; Culture &#8211; Lead"),
        dict(title="People & Culture \u2013 Lead"),
    ),
    ("title missing", drop_fields("title"), dict(title="")),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    offer = copy.deepcopy(payload(FIXTURE)["offers"][0])
    edit(offer)
    [posting] = recruitee.parse({"offers": [offer]}, BOARD)
    assert posting == replace(RECORDED[0], **changes)
    assert posting.raw is offer


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"error": "Not Found"}, "no 'offers' list (it says: 'Not Found')"),
        ([], "expected a JSON object"),
        ({"offers": [{"title": "no id"}]}, "job #1 has no usable 'id'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        recruitee.parse(body, BOARD)
    assert says in str(caught.value) and caught.value.transient is False


def test_unknown_company_404(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/offers/").respond_with_json({"error": "Not Found"}, status=404)
    err = fetch_error(BoardRef("recruitee", "nobody"), base_url(httpserver))
    assert "recruitee:nobody" in str(err) and "board not found" in str(err) and "'Not Found'" in str(err)
    assert err.status == 404 and err.transient is False
