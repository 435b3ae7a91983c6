from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import greenhouse

from kinds.greenhouse import RECORDED
from sources_support import drop_fields, set_fields

BOARD = BoardRef("greenhouse", "vercel")
FIXTURE = "greenhouse_vercel.json"

VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(brand_new={"nested": [1, 2]}, pay_input_ranges="odd"), {}),
    ("string id", set_fields(id="abc-1"), {"external_id": "abc-1"}),
    (
        "optional fields missing",
        drop_fields(
            "location",
            "offices",
            "departments",
            "company_name",
            "first_published",
            "updated_at",
            "absolute_url",
        ),
        dict(
            company="vercel",
            department=None,
            location=None,
            city=None,
            region=None,
            country=None,
            work_model="unknown",
            url=None,
            posted_at=None,
            updated_at=None,
        ),
    ),
    (
        "optional fields null",
        set_fields(
            location=None,
            offices=None,
            departments=None,
            company_name=None,
            first_published=None,
            updated_at=None,
            absolute_url=None,
        ),
        dict(
            company="vercel",
            department=None,
            location=None,
            city=None,
            region=None,
            country=None,
            work_model="unknown",
            url=None,
            posted_at=None,
            updated_at=None,
        ),
    ),
    (
        "location name null falls back to the office",
        set_fields(location={"name": None}),
        dict(location="London, England, United Kingdom", work_model="unknown"),
    ),
    (
        "remote location",
        set_fields(location={"name": "Remote, United States"}),
        dict(location="Remote, United States", work_model="remote"),
    ),
    (
        "on-site location",
        set_fields(location={"name": "London (On-site)"}),
        dict(location="London (On-site)", work_model="onsite"),
    ),
    (
        "office named Remote",
        set_fields(location={"name": "Anywhere"}, offices=[{"id": 1, "name": "Remote", "location": None}]),
        dict(location="Anywhere", work_model="remote", city=None, region=None, country=None),
    ),
    (
        "office location of two parts: not split, its country read",
        set_fields(offices=[{"id": 1, "name": "NYC", "location": "New York, NY"}]),
        dict(city=None, region=None, country="US"),
    ),
    (
        "first named department",
        set_fields(departments=[{"id": 1, "name": None}, {"id": 2, "name": "Sales"}, {"name": "Ops"}]),
        dict(department="Sales"),
    ),
    (
        "non-ASCII title",
        set_fields(title="Ingénieur·e commercial·e – Zürich"),
        dict(title="Ingénieur·e commercial·e – Zürich"),
    ),
    ("Korean title", set_fields(title="세일즈 매니저"), dict(title="세일즈 매니저")),
    (
        "HTML entities in title",
        set_fields(title=" R&amp;D Lead &#8211; EMEA\n"),
        dict(title="R&D Lead \u2013 EMEA"),
    ),
    ("title missing", drop_fields("title"), dict(title="")),
    (
        "dates unreadable",
        set_fields(first_published="soon", updated_at=12),
        dict(posted_at=None, updated_at=None),
    ),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    job = copy.deepcopy(payload(FIXTURE)["jobs"][0])
    edit(job)
    [posting] = greenhouse.parse({"jobs": [job]}, BOARD)
    assert posting == replace(RECORDED[0], **changes)
    assert posting.raw is job


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),
        ("jobs", "expected a JSON object"),
        (None, "expected a JSON object"),
        ({"meta": {}}, "no 'jobs'"),
        ({"jobs": {"id": 1}}, "to be a list"),
        ({"jobs": [1]}, "job #1 is a number, not an object"),
        ({"jobs": [{"id": 1, "title": "a"}, {"title": "no id"}]}, "job #2 has no usable 'id'"),
        ({"jobs": [{"id": None, "title": "a"}]}, "no usable 'id'"),
        ({"jobs": [{"id": True, "title": "a"}]}, "no usable 'id'"),
        ({"jobs": [{"id": " ", "title": "a"}]}, "no usable 'id'"),
        ({"jobs": [{"id": 1.5, "title": "a"}]}, "no usable 'id'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        greenhouse.parse(body, BOARD)
    assert says in str(caught.value)
    assert "greenhouse:vercel" in str(caught.value)
    assert caught.value.transient is False
