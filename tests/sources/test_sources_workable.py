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
from alerts.sources import workable

from kinds.workable import RECORDED
from sources_support import FAST, base_url, drop_fields, fetch_error, set_fields

BOARD = BoardRef("workable", "huckberry")
FIXTURE = "workable_huckberry.json"


def test_recorded_empty_board(payload_bytes: Callable[[str], bytes]) -> None:
    import json

    cases = json.loads(payload_bytes(FIXTURE))["cases"]
    assert workable.parse(cases["empty"]["body"], BOARD) == []


def test_account_name_is_the_company(payload: Callable[[str], Any]) -> None:
    data = payload(FIXTURE) | {"name": "Huckberry", "description": "<p>shop</p>"}
    assert workable.parse(data, BOARD) == [replace(RECORDED[0], company="Huckberry")]


NOWHERE = dict(location=None, city=None, region=None, country=None)
MISSING = dict(
    department=None,
    **NOWHERE,
    employment_type="unknown",
    url=None,
    apply_url=None,
    posted_at=None,
)
FIELDS = ("department", "city", "state", "country", "locations", "employment_type", "telecommuting")
LINKS = ("url", "shortlink", "application_url", "published_on", "created_at")

VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(workplace_v9={"a": 1}, benefits=None), {}),
    ("optional fields missing", drop_fields(*FIELDS, *LINKS), MISSING),
    ("optional fields null", set_fields(**dict.fromkeys(FIELDS + LINKS)), MISSING),
    ("telecommuting", set_fields(telecommuting=True), dict(work_model="remote")),
    ("telecommuting as text", set_fields(telecommuting="true"), dict(work_model="remote")),
    (
        "not telecommuting, remote in the place name",
        set_fields(city="Remote", state=None, country="United States", locations=[]),
        dict(work_model="remote", location="Remote, United States", city="Remote", region=None),
    ),
    (
        "place from locations when the top level has none",
        set_fields(
            city=None,
            state="",
            country=None,
            locations=[
                {"country": "Hidden", "city": "Nowhere", "hidden": True},
                {
                    "country": "Germany",
                    "countryCode": "DE",
                    "city": "Berlin",
                    "region": "Berlin",
                    "hidden": False,
                },
            ],
        ),
        dict(location="Berlin, Germany", city="Berlin", region="Berlin", country="Germany"),
    ),
    (
        "shortlink when url is missing",
        drop_fields("url"),
        dict(url="https://apply.workable.com/j/62180FD5F9"),
    ),
    (
        "created_at when published_on is missing",
        set_fields(published_on=None, created_at="2026-09-01"),
        dict(posted_at=datetime(2026, 9, 1, tzinfo=UTC)),
    ),
    ("dates unreadable", set_fields(published_on="17/09/2026", created_at=20260917), dict(posted_at=None)),
    ("Part-time", set_fields(employment_type="Part-time"), dict(employment_type="part_time")),
    ("Contract", set_fields(employment_type="Contract"), dict(employment_type="contract")),
    ("Internship", set_fields(employment_type="Internship"), dict(employment_type="intern")),
    ("Temporary", set_fields(employment_type="Temporary"), dict(employment_type="temporary")),
    (
        "non-ASCII",
        set_fields(
            title="Diseñador/a – Ciudad de México", city="Ciudad de México", state=None, country="México"
        ),
        dict(
            title="Diseñador/a – Ciudad de México",
            city="Ciudad de México",
            region=None,
            country="México",
            location="Ciudad de México, México",
        ),
    ),
    (
        "HTML entities in title",
        set_fields(title="Design &amp; Merch &lt;Lead&gt;"),
        dict(title="Design & Merch <Lead>"),
    ),
    ("title missing", drop_fields("title"), dict(title="")),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    job = copy.deepcopy(payload(FIXTURE)["jobs"][0])
    edit(job)
    [posting] = workable.parse({"jobs": [job]}, BOARD)
    assert posting == replace(RECORDED[0], **changes)
    assert posting.raw is job


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),
        ({"name": "x"}, "no 'jobs'"),
        ({"jobs": [{"title": "no shortcode"}]}, "job #1 has no usable 'shortcode'"),
        ({"jobs": [{"shortcode": "", "title": "blank"}]}, "no usable 'shortcode'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        workable.parse(body, BOARD)
    assert says in str(caught.value) and caught.value.transient is False


# The recorded wrapper's synthetic error cases, served from a real socket.


def test_recorded_malformed_case(httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]) -> None:
    import json

    case = json.loads(payload_bytes(FIXTURE))["cases"]["malformed"]
    httpserver.expect_request("/widget/accounts/huckberry").respond_with_data(
        case["body"], status=case["status"], headers=case["headers"]
    )
    err = fetch_error(BOARD, base_url(httpserver))
    assert "HTML page" in str(err) and err.transient is False


def test_recorded_429_case_asks_too_long(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    import json

    case = json.loads(payload_bytes(FIXTURE))["cases"]["http_429"]
    httpserver.expect_request("/widget/accounts/huckberry").respond_with_json(
        case["body"], status=case["status"], headers=case["headers"]
    )
    # Retry-After: 60 is past the 2 s cap: no waiting, the board is pushed back.
    err = fetch_error(BOARD, base_url(httpserver), retry=FAST)
    assert err.status == 429 and err.retry_after == 60.0 and err.transient is True
    assert "Rate limit exceeded" in str(err)
    assert len(httpserver.log) == 1


def test_recorded_500_case(httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]) -> None:
    import json

    case = json.loads(payload_bytes(FIXTURE))["cases"]["http_500"]
    httpserver.expect_request("/widget/accounts/huckberry").respond_with_json(case["body"], status=500)
    err = fetch_error(BOARD, base_url(httpserver), retry=FAST)
    assert err.status == 500 and "Internal server error" in str(err)
    assert len(httpserver.log) == 1  # a 500 is not retried
