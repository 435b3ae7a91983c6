"""Personio: what is special about its XML feed (the contract table covers
fetching, failures and hostile XML for every kind)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting

from kinds.personio import CASE, RECORDED
from sources_support import base_url, drop_fields, fetch_error, run_fetch, set_fields

ACME = BoardRef("personio", "acme")

# The hand-made feed (data/personio_acme.xml): a remote position with a
# second office, a salary, CDATA and entities; a working student's post of
# another legal entity, without a salary.
ACME_RECORDED = [
    Posting(
        source="personio",
        board_token="acme",
        external_id="3100001",
        title="Backend Engineer (m/w/d) & On-Call",  # &amp; decoded by the XML parser
        company="acme",  # no subcompany: the token
        department="Engineering",
        location="Remote; Berlin",
        city=None,  # the primary office is "Remote"
        work_model="remote",
        employment_type="full_time",  # permanent, full-or-part-time: full time is offered
        salary_min=60000.0,
        salary_max=75000.0,
        salary_currency="EUR",
        salary_period="year",
        url="https://acme.jobs.personio.de/job/3100001",
        posted_at=datetime(2026, 9, 1, 8, 15, tzinfo=UTC),
    ),
    Posting(
        source="personio",
        board_token="acme",
        external_id="3100002",
        title="Werkstudent Controlling (m/w/d)",
        company="Acme Services GmbH",
        department="Finance",
        location="München",
        city="München",
        work_model="unknown",
        employment_type="part_time",  # working_student
        url="https://acme.jobs.personio.de/job/3100002",
        posted_at=datetime(2026, 8, 20, 10, 0, tzinfo=UTC),
    ),
]


@pytest.fixture
def acme(payload_bytes: Callable[[str], bytes]) -> bytes:
    return payload_bytes("personio_acme.xml")


def test_hand_made_feed(acme: bytes) -> None:
    postings = CASE.read(acme, ACME)
    assert postings == ACME_RECORDED
    # raw is the position as a plain record, descriptions included.
    assert postings[0].raw["jobDescriptions"]["jobDescription"]["value"] == "<p>Build <b>APIs</b>.</p>"
    assert postings[0].raw["salaryInformation"]["currencyCode"] == "EUR"


# employmentType, schedule, expected
EMPLOYMENT = [
    ("permanent", "full-time", "full_time"),
    ("permanent", "part-time", "part_time"),
    # The shared vocabulary would read "part" in it; full time is on offer.
    ("permanent", "full-or-part-time", "full_time"),
    ("permanent", None, "full_time"),
    ("intern", "full-time", "intern"),
    ("trainee", None, "intern"),
    ("freelance", "part-time", "contract"),
    ("working_student", "part-time", "part_time"),
    (None, "part-time", "part_time"),
    (None, None, "unknown"),
    ("something_new", None, "unknown"),
]


@pytest.mark.parametrize(("kind", "schedule", "expected"), EMPLOYMENT)
def test_employment_type(kind: str | None, schedule: str | None, expected: str) -> None:
    fields = {"employmentType": kind, "schedule": schedule}
    position = CASE.job({key: value for key, value in fields.items() if value})
    [posting] = CASE.parse(CASE.page([position]), ACME)
    assert posting.employment_type == expected


def _first(acme: bytes) -> dict[str, Any]:
    return copy.deepcopy(CASE.jobs(acme)[0])


VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(brandNew="x", nested={"a": "b"}), {}),
    (
        "optional fields missing",
        drop_fields(
            "office",
            "additionalOffices",
            "department",
            "recruitingCategory",
            "salaryInformation",
            "createdAt",
        ),
        dict(
            location=None,
            work_model="unknown",
            department=None,
            salary_min=None,
            salary_max=None,
            salary_currency=None,
            salary_period=None,
            posted_at=None,
        ),
    ),
    (
        "department from a numbered category",
        drop_fields("department"),
        dict(department="Tech & Product"),  # "002_Tech &amp; Product"
    ),
    (
        "an office in a city, remote as a second office",
        set_fields(office="Hamburg", additionalOffices={"office": ["Remote", "Hamburg"]}),
        dict(location="Hamburg; Remote", city="Hamburg", work_model="remote"),
    ),
    (
        "hybrid in the title",
        set_fields(office="Hamburg", additionalOffices="", name="Engineer (Hybrid)"),
        dict(location="Hamburg", city="Hamburg", title="Engineer (Hybrid)", work_model="hybrid"),
    ),
    (
        "monthly salary",
        set_fields(
            salaryInformation={"min": "4000.00", "max": "5000.00", "currencyCode": "CHF", "type": "monthly"}
        ),
        dict(salary_min=4000.0, salary_max=5000.0, salary_currency="CHF", salary_period="month"),
    ),
    (
        "salary without amounts",
        set_fields(salaryInformation={"currencyCode": "EUR", "type": "yearly"}),
        dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None),
    ),
    ("title missing", drop_fields("name"), dict(title="")),
    ("non-ASCII title", set_fields(name="Entwickler:in – Zürich"), dict(title="Entwickler:in – Zürich")),
    ("createdAt unreadable", set_fields(createdAt="gestern"), dict(posted_at=None)),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(acme: bytes, edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]) -> None:
    position = _first(acme)
    edit(position)
    [posting] = CASE.read(CASE.body([position]), ACME)
    assert posting == replace(ACME_RECORDED[0], **changes)


def test_an_empty_feed_is_an_empty_board() -> None:
    assert CASE.read(b'<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>\n</workzag-jobs>\n', ACME) == []


def test_the_recorded_feed_has_a_single_quoted_declaration(payload_bytes: Callable[[str], bytes]) -> None:
    assert payload_bytes("personio_avian.xml").startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert CASE.read(payload_bytes("personio_avian.xml"), CASE.board) == list(RECORDED)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"<workzag-jobs><position><id>  </id></position></workzag-jobs>", "position #1 has no usable 'id'"),
        (b"<rss><channel/></rss>", "not a Personio job feed: expected <workzag-jobs>, got <rss>"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: bytes, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        CASE.read(body, ACME)
    assert says in str(caught.value) and caught.value.transient is False


def test_an_unknown_name_is_redirected_to_the_marketing_site(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/xml").respond_with_data(
        "", status=307, headers={"Location": "https://www.personio.com/"}
    )
    err = fetch_error(ACME, base_url(httpserver))
    assert str(err) == (
        f"personio:acme: no Personio job page named 'acme': {base_url(httpserver)}/xml redirects to "
        "https://www.personio.com/ (Personio sends names it does not know to its own website) (HTTP 307)"
    )
    assert err.transient is False and len(httpserver.log) == 1  # never asked of the marketing site


NOT_FOUND_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head>\n'
    b"<body><h1>Page not found</h1><p>The page you are looking for does not exist.</p></body></html>\n"
)


def test_a_switched_off_feed_says_where_to_switch_it_on(httpserver: HTTPServer) -> None:
    # A real company whose XML feed is off gets the same 404 page as a wrong name.
    httpserver.expect_request("/xml").respond_with_data(NOT_FOUND_PAGE, status=404, content_type="text/html")
    err = fetch_error(ACME, base_url(httpserver))
    assert "no Personio job page named 'acme'" in str(err) and "'Enable XML feed'" in str(err)
    assert "Page not found" not in str(err)  # an HTML page is noise, not words
    assert err.status == 404 and err.transient is False


def test_no_language_is_asked_for(httpserver: HTTPServer, acme: bytes) -> None:
    # ?language= would drop titles in other languages and change titles between polls.
    httpserver.expect_request("/xml").respond_with_data(acme, content_type="text/xml")
    run_fetch(ACME, base_url(httpserver))
    request, _ = httpserver.log[0]
    assert request.query_string == b"" and request.headers["Accept"].startswith("application/xml")


def test_the_parser_error_stays_attached(httpserver: HTTPServer) -> None:
    # Shown with -v: where exactly the XML broke.
    httpserver.expect_request("/xml").respond_with_data(
        b"<workzag-jobs><id>1</workzag-jobs>", content_type="text/xml"
    )
    err = fetch_error(ACME, base_url(httpserver))
    assert "invalid XML (mismatched tag: line 1, column" in str(err)
    assert isinstance(err.__cause__, ET.ParseError)
