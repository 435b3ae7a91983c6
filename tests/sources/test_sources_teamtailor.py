"""Teamtailor: what is special about its JSON Feed (the contract table
covers fetching, failures and paging for every kind)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import FetchContext, Snapshot, Validators, fetch_board, make_client, teamtailor

from kinds.teamtailor import CASE, VERSION, feed, job
from sources_support import base_url, fetch_error, run_fetch

ACME = BoardRef("teamtailor", "acmerobotics")

# The hand-made board of two pages (data/teamtailor_acmerobotics_page*.json).
ACME_RECORDED = [
    Posting(
        source="teamtailor",
        board_token="acmerobotics",
        external_id="8400001",
        title="Robotics Engineer",
        company="Acme Robotics",
        location="Göteborg, SE",
        city="Göteborg",
        region=None,  # "EMEA"
        country="SE",
        work_model="unknown",
        employment_type="full_time",
        url="https://acmerobotics.teamtailor.com/jobs/8400001-robotics-engineer",
        posted_at=datetime(2026, 9, 10, 7, 0, tzinfo=UTC),
    ),
    Posting(
        source="teamtailor",
        board_token="acmerobotics",
        external_id="8400002",
        title="Remote Support Specialist",
        company="Acme Robotics",
        location="Oslo, Norway",
        city="Oslo",
        country="NO",  # the feed wrote a name; stored as its code (issue 10, item 4)
        work_model="remote",  # TELECOMMUTE
        employment_type="part_time",
        url="https://acmerobotics.teamtailor.com/jobs/8400002-remote-support-specialist",
        posted_at=datetime(2026, 9, 11, 8, 30, tzinfo=UTC),
    ),
    Posting(
        source="teamtailor",
        board_token="acmerobotics",
        external_id="8400003",
        title="Office Manager",
        company="Acme Robotics",
        location="Stockholm, SE",
        city="Stockholm",
        country="SE",
        url="https://acmerobotics.teamtailor.com/jobs/8400003-office-manager",
        posted_at=datetime(2026, 9, 12, 6, 0, tzinfo=UTC),
    ),
]


@pytest.fixture
def two_pages(httpserver: HTTPServer, payload: Callable[[str], Any]) -> HTTPServer:
    """The hand-made board, its next_url pointed at the local server."""
    first = payload("teamtailor_acmerobotics_page1.json")
    first["next_url"] = f"{base_url(httpserver)}/jobs.json?page=2&per_page=100"
    httpserver.expect_ordered_request("/jobs.json", query_string="").respond_with_json(first)
    httpserver.expect_ordered_request("/jobs.json", query_string="page=2&per_page=100").respond_with_json(
        payload("teamtailor_acmerobotics_page2.json"), headers={"ETag": '"p2"'}
    )
    return httpserver


def test_two_pages(two_pages: HTTPServer) -> None:
    snapshot = run_fetch(ACME, base_url(two_pages), FetchContext(validators=Validators(etag='"old"')))
    assert snapshot.postings == ACME_RECORDED
    assert snapshot.board_name == "Acme Robotics" and snapshot.requests == 2 and snapshot.complete
    # A board of several pages keeps no validators: none speaks for all of it.
    assert snapshot.validators == Validators()
    two_pages.check_assertions()


def test_a_board_of_one_page_is_asked_conditionally(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/jobs.json").respond_with_data(
        feed([job({})]), headers={"ETag": '"v1"'}, content_type="application/json"
    )
    httpserver.expect_ordered_request("/jobs.json", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    first = run_fetch(ACME, base_url(httpserver))
    assert first.validators == Validators(etag='"v1"') and first.board_name == "Teamtailor"
    second = run_fetch(ACME, base_url(httpserver), FetchContext(validators=first.validators))
    assert second.not_modified and second.requests == 1


def test_a_relative_next_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jobs.json", query_string="").respond_with_data(
        feed([job({})], next_url="/jobs.json?page=2"), content_type="application/json"
    )
    second = job({"url": "https://x.teamtailor.com/jobs/2-two"})
    httpserver.expect_request("/jobs.json", query_string="page=2").respond_with_data(
        feed([second]), content_type="application/json"
    )
    assert [p.external_id for p in run_fetch(ACME, base_url(httpserver)).postings] == ["1", "2"]


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/jobs.json?page=2",
        "http://127.0.0.1:1/jobs.json?page=2",  # another port of the same host
        "file:///etc/passwd",
    ],
)
def test_next_url_to_another_host_is_refused(httpserver: HTTPServer, next_url: str) -> None:
    httpserver.expect_request("/jobs.json").respond_with_data(
        feed([job({})], next_url=next_url), content_type="application/json"
    )
    err = fetch_error(ACME, base_url(httpserver))
    assert "refused to follow next_url to another host" in str(err) and err.transient is False
    assert len(httpserver.log) == 1


def test_a_next_url_seen_before_stops_paging(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jobs.json").respond_with_data(
        feed([job({})], next_url="/jobs.json"), content_type="application/json"
    )
    err = fetch_error(ACME, base_url(httpserver))
    assert "already read" in str(err) and err.transient is False and len(httpserver.log) == 1


def test_a_posting_shifted_onto_two_pages_counts_once(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jobs.json", query_string="").respond_with_data(
        feed([job({})], next_url="/jobs.json?page=2"), content_type="application/json"
    )
    httpserver.expect_request("/jobs.json", query_string="page=2").respond_with_data(
        feed([job({"title": "moved"})]), content_type="application/json"
    )
    [posting] = run_fetch(ACME, base_url(httpserver)).postings
    assert posting.title == "t"  # the first copy stands


def test_too_many_pages(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(teamtailor, "MAX_PAGES", 2)
    for page in (1, 2, 3):
        query = "" if page == 1 else f"page={page}"
        httpserver.expect_request("/jobs.json", query_string=query).respond_with_data(
            feed([job({})], next_url=f"/jobs.json?page={page + 1}"), content_type="application/json"
        )
    err = fetch_error(ACME, base_url(httpserver))
    assert "more than 2 pages" in str(err) and len(httpserver.log) == 2


def test_north_american_accounts() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=feed([]))

    async def go() -> Snapshot:
        async with make_client(transport=httpx.MockTransport(answer)) as client:
            return await fetch_board(client, BoardRef("teamtailor", "rooted.na"))

    assert asyncio.run(go()).postings == []
    assert seen == ["https://rooted.na.teamtailor.com/jobs.json"]


def _posting(**fields: Any) -> dict[str, Any]:
    return job({"_jobposting": fields})


FIRST = CASE.recorded[0]

# The recorded board's first item, with its JobPosting edited.
VARIANTS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "no identifier: the number in the URL",
        {"identifier": None},
        {},
    ),
    (
        "no identifier, no number in the URL: the item's id",
        {"identifier": None, "__url": "https://career.teamtailor.com/jobs/open"},
        dict(
            external_id="20fafb7d-f013-4061-b6de-2894b3e0838b", url="https://career.teamtailor.com/jobs/open"
        ),
    ),
    (
        "employmentType list",
        {"employmentType": ["PART_TIME", "FULL_TIME"]},
        dict(employment_type="part_time"),
    ),
    # In the text's own order, not the vocabulary's.
    (
        "employmentType with a comma",
        {"employmentType": "FULL_TIME, PART_TIME"},
        dict(employment_type="full_time"),
    ),
    ("employmentType INTERN", {"employmentType": "INTERN"}, dict(employment_type="intern")),
    ("employmentType OTHER", {"employmentType": "OTHER"}, {}),
    (
        "baseSalary range",
        {
            "baseSalary": {
                "@type": "MonetaryAmount",
                "currency": "EUR",
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": 50000,
                    "maxValue": 65000,
                    "unitText": "YEAR",
                },
            }
        },
        dict(salary_min=50000.0, salary_max=65000.0, salary_currency="EUR", salary_period="year"),
    ),
    (
        "baseSalary one value",
        {"baseSalary": {"currency": "SEK", "value": {"value": "42000", "unitText": "MONTH"}}},
        dict(salary_min=42000.0, salary_max=42000.0, salary_currency="SEK", salary_period="month"),
    ),
    (
        "a country object, lower-case code",
        {"jobLocation": {"address": {"addressLocality": "Madrid", "addressCountry": {"name": "es"}}}},
        {},
    ),
    (
        "an address written as text",
        {"jobLocation": [{"address": "Lisbon"}]},
        dict(location="Lisbon", city="Lisbon", country=None),
    ),
    ("no places", {"jobLocation": []}, dict(location=None, city=None, country=None)),
]


@pytest.mark.parametrize(("fields", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(payload: Callable[[str], Any], fields: dict[str, Any], changes: dict[str, Any]) -> None:
    data = payload("teamtailor_career.json")
    item = data["items"][0]
    url = fields.pop("__url", None)
    if url:
        item["url"] = url
    item["_jobposting"].update(fields)
    [posting] = teamtailor.parse({**data, "items": [item]}, CASE.board)
    assert posting == replace(FIRST, **changes)


def test_the_company_is_the_feed_title_else_the_hiring_organization() -> None:
    item = _posting(hiringOrganization={"name": "Acme AB"})
    [titled] = teamtailor.parse({"version": VERSION, "title": " Slater Consult ", "items": [item]}, ACME)
    [untitled] = teamtailor.parse({"version": VERSION, "items": [item]}, ACME)
    [nameless] = teamtailor.parse({"version": VERSION, "items": [job({})]}, ACME)
    assert (titled.company, untitled.company, nameless.company) == (
        "Slater Consult",
        "Acme AB",
        "acmerobotics",
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"items": []}, "not a Teamtailor job feed"),
        ({"version": "1", "items": []}, "not a Teamtailor job feed"),
        ({"version": VERSION, "items": {}}, "expected 'items' to be a list"),
        (
            {"version": VERSION, "items": [{"title": "no id", "url": "https://x/jobs/"}]},
            "item #1 has no usable 'id'",
        ),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        teamtailor.parse(body, ACME)
    assert says in str(caught.value) and caught.value.transient is False


def test_next_url_of_the_wrong_type(httpserver: HTTPServer) -> None:
    body = json.loads(feed([job({})]))
    httpserver.expect_request("/jobs.json").respond_with_json({**body, "next_url": 2})
    err = fetch_error(ACME, base_url(httpserver))
    assert "'next_url'" in str(err) and err.transient is False


def test_an_unknown_board_says_what_to_try_in_a_whole_sentence(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jobs.json").respond_with_data("", status=404)
    err = fetch_error(BoardRef("teamtailor", "acme"), base_url(httpserver))
    assert str(err).endswith(
        "; North-American accounts are written teamtailor:NAME.na, and a careers site on the company's own "
        "domain is no Teamtailor name (give its URL as jsonld:URL instead) (HTTP 404)"
    )
