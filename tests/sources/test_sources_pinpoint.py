"""Pinpoint: what is special about its list (the contract table covers
fetching and failures for every kind): salaries only where shown, remote
locations, employment words."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import pinpoint

from sources_support import base_url, drop_fields, fetch_error, set_fields

ACME = BoardRef("pinpoint", "acme")

# The hand-made board (data/pinpoint_acme.json), in the real {"data": [...]} wrapper.
ACME_RECORDED = [
    Posting(
        source="pinpoint",
        board_token="acme",
        external_id="600001",
        title="Operations Manager",
        company="acme",
        department="Operations",
        location="Dublin, Ireland",
        city="Dublin",
        region="Leinster",
        work_model="hybrid",
        employment_type="part_time",
        salary_min=3000.0,
        salary_max=3500.0,
        salary_currency="EUR",
        salary_period="month",
        url="https://acme.pinpointhq.com/en/postings/11111111-2222-4333-8444-555555555555",
    ),
    Posting(
        source="pinpoint",
        board_token="acme",
        external_id="600002",
        title="Senior Counsel",
        company="acme",
        department="Legal",
        location="Remote",
        work_model="remote",
        employment_type="temporary",  # contract_temp
        url="https://acme.pinpointhq.com/en/postings/66666666-7777-4888-8999-000000000000",
        # The compensation is there but not visible: no salary.
    ),
]


def test_hand_made_board(payload: Callable[[str], Any]) -> None:
    postings = pinpoint.parse(payload("pinpoint_acme.json"), ACME)
    assert postings == ACME_RECORDED
    # No posted date: deadline_at is when applications close, not when it opened.
    assert [p.posted_at for p in postings] == [None, None]


VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(structure_custom_group_one={"name": "Sub-brand"}), {}),
    (
        "optional fields missing",
        drop_fields(
            "workplace_type",
            "workplace_type_text",
            "employment_type",
            "employment_type_text",
            "job",
            "location",
            "url",
        ),
        dict(
            department=None,
            location=None,
            city=None,
            region=None,
            work_model="unknown",
            employment_type="unknown",
            url=None,
        ),
    ),
    (
        "salary hidden",
        set_fields(compensation_visible=False),
        dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None),
    ),
    (
        "visible as text is not visible",
        set_fields(compensation_visible="true"),
        dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None),
    ),
    # A two-week period cannot be said in the model's words.
    ("every two weeks", set_fields(compensation_frequency="two_weeks"), dict(salary_period=None)),
    (
        "yearly",
        set_fields(compensation_frequency="year", compensation_minimum=40000, compensation_maximum=None),
        dict(salary_period="year", salary_min=40000.0, salary_max=None),
    ),
    (
        "permanent_full_time",
        set_fields(employment_type="permanent_full_time"),
        dict(employment_type="full_time"),
    ),
    (
        "volunteer, the text as fallback",
        set_fields(employment_type="volunteer", employment_type_text="Volunteer"),
        dict(employment_type="unknown"),
    ),
    (
        "only the text",
        set_fields(employment_type=None, employment_type_text="Full Time"),
        dict(employment_type="full_time"),
    ),
    (
        "department with a trailing space",
        lambda job: job["job"]["department"].update(name="Electrical/Energy "),
        dict(department="Electrical/Energy"),
    ),
    (
        "a remote location drops the office's city",
        set_fields(location={"city": "London", "name": "Remote- USA ", "province": "London"}),
        dict(location="Remote- USA", city=None, region=None),
    ),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    job = copy.deepcopy(payload("pinpoint_acme.json")["data"][0])
    edit(job)
    [posting] = pinpoint.parse({"data": [job]}, ACME)
    assert posting == replace(ACME_RECORDED[0], **changes)
    assert posting.raw is job


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),  # the bare list as the fixture was saved is not what the API sends
        ({"postings": []}, "no 'data' list"),
        ({"data": [{"title": "no id"}]}, "job #1 has no usable 'id'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        pinpoint.parse(body, ACME)
    assert says in str(caught.value) and caught.value.transient is False


def test_an_unknown_name_sent_elsewhere_is_not_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postings.json").respond_with_data(
        "", status=301, headers={"Location": "https://www.pinpointhq.com/"}
    )
    err = fetch_error(ACME, base_url(httpserver))
    assert "no Pinpoint career site named 'acme'" in str(
        err
    ) and "redirects to https://www.pinpointhq.com/" in str(err)
    assert err.status == 301 and err.transient is False and len(httpserver.log) == 1
