from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import smartrecruiters

from kinds.smartrecruiters import RECORDED
from sources_support import base_url, drop_fields, fetch_error, run_fetch, set_fields

BOARD = BoardRef("smartrecruiters", "Ubisoft2")
FIXTURE = "smartrecruiters_ubisoft2.json"
PATH = "/companies/Ubisoft2/postings"


def _location(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda job: job["location"].update(fields)


MISSING = dict(
    company="Ubisoft2",
    department=None,
    location=None,
    city=None,
    region=None,
    country=None,
    work_model="unknown",
    employment_type="unknown",
    posted_at=None,
)

VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(jobAd={"sections": {}}, brandNew=[1, {"x": None}]), {}),
    (
        "optional fields missing",
        drop_fields("company", "department", "location", "typeOfEmployment", "releasedDate"),
        MISSING,
    ),
    (
        "optional fields null",
        set_fields(company=None, department=None, location=None, typeOfEmployment=None, releasedDate=None),
        MISSING,
    ),
    ("department {}", set_fields(department={}), dict(department=None)),
    ("remote flag", _location(remote=True), dict(work_model="remote")),
    ("hybrid flag", _location(hybrid=True), dict(work_model="hybrid")),
    # Both flags at once: remote is the stronger promise.
    ("remote and hybrid", _location(remote=True, hybrid=True), dict(work_model="remote")),
    # Without both answers, the location text is all there is.
    (
        "flags missing, remote in the text",
        lambda job: job.update(location={"fullLocation": "Remote, Canada", "country": "ca"}),
        dict(work_model="remote", location="Remote, Canada", city=None, region=None),
    ),
    ("hybrid flag missing", lambda job: job["location"].pop("hybrid"), dict(work_model="unknown")),
    (
        "no fullLocation: built from the parts",
        lambda job: job["location"].pop("fullLocation"),
        dict(location="Montreal, QC, CA"),
    ),
    (
        "label unknown, id known",
        set_fields(typeOfEmployment={"id": "contract", "label": "Autre"}),
        dict(employment_type="contract"),
    ),
    (
        "part-time label",
        set_fields(typeOfEmployment={"id": "other", "label": "Part-time"}),
        dict(employment_type="part_time"),
    ),
    (
        "company identifier differs",
        set_fields(company={"identifier": "Ubi Soft", "name": "Ubisoft"}),
        dict(url="https://jobs.smartrecruiters.com/Ubi%20Soft/744000151912444"),
    ),
    (
        "non-ASCII title",
        set_fields(name="Développeur·se Gameplay – Montréal"),
        dict(title="Développeur·se Gameplay – Montréal"),
    ),
    (
        "HTML entities in title",
        set_fields(name="R&amp;D Programmer &#8211; AI"),
        dict(title="R&D Programmer \u2013 AI"),
    ),
    ("title missing", drop_fields("name"), dict(title="")),
    ("releasedDate unreadable", set_fields(releasedDate="last week"), dict(posted_at=None)),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    job = copy.deepcopy(payload(FIXTURE)["content"][0])
    edit(job)
    [posting] = smartrecruiters.parse({"offset": 0, "limit": 100, "totalFound": 1, "content": [job]}, BOARD)
    assert posting == replace(RECORDED[0], **changes)
    assert posting.raw is job


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),
        ({"totalFound": 0}, "no 'content'"),
        ({"content": {}}, "to be a list"),
        ({"content": [{"name": "no id"}], "totalFound": 1}, "job #1 has no usable 'id'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        smartrecruiters.parse(body, BOARD)
    assert says in str(caught.value) and caught.value.transient is False


# --- paging over a real socket ---------------------------------------------


def _job(template: dict[str, Any], number: int) -> dict[str, Any]:
    job = copy.deepcopy(template)
    job["id"] = str(900000 + number)
    job["name"] = f"Job {number}"
    return job


def _page(template: dict[str, Any], numbers: range | list[int], total: int, offset: int) -> bytes:
    content = [_job(template, n) for n in numbers]
    return json.dumps({"offset": offset, "limit": 100, "totalFound": total, "content": content}).encode()


@pytest.fixture
def template(payload: Callable[[str], Any]) -> dict[str, Any]:
    return payload(FIXTURE)["content"][0]


def _serve(server: HTTPServer, offset: int, body: bytes, status: int = 200) -> None:
    server.expect_ordered_request(PATH, query_string=f"limit=100&offset={offset}").respond_with_data(
        body, status=status, content_type="application/json"
    )


def test_a_server_that_pages_smaller_than_asked(httpserver: HTTPServer, template: dict[str, Any]) -> None:
    # Offsets follow what came back, not what was asked for.
    _serve(httpserver, 0, _page(template, range(0, 40), 70, 0))
    _serve(httpserver, 40, _page(template, range(40, 70), 70, 40))
    snapshot = run_fetch(BOARD, base_url(httpserver))
    assert len(snapshot.postings) == 70 and snapshot.requests == 2


def test_a_posting_shifted_onto_two_pages_counts_once(
    httpserver: HTTPServer, template: dict[str, Any]
) -> None:
    _serve(httpserver, 0, _page(template, range(0, 100), 150, 0))
    _serve(httpserver, 100, _page(template, [99, *range(100, 149)], 150, 100))
    snapshot = run_fetch(BOARD, base_url(httpserver))
    assert len(snapshot.postings) == 149
    assert len({p.external_id for p in snapshot.postings}) == 149


def test_total_found_zero_is_an_empty_complete_snapshot(httpserver: HTTPServer) -> None:
    # Also what an unknown company looks like; the cycle holds a sudden zero as suspect.
    _serve(httpserver, 0, b'{"offset": 0, "limit": 100, "totalFound": 0, "content": []}')
    snapshot = run_fetch(BOARD, base_url(httpserver))
    assert snapshot.postings == [] and snapshot.complete and not snapshot.not_modified


def test_an_empty_page_before_the_total_fails(httpserver: HTTPServer, template: dict[str, Any]) -> None:
    _serve(httpserver, 0, _page(template, range(0, 100), 300, 0))
    _serve(httpserver, 100, _page(template, [], 300, 100))
    err = fetch_error(BOARD, base_url(httpserver))
    assert "changed while paging" in str(err) and err.transient is True


@pytest.mark.parametrize("total", [None, "12", -1, True])
def test_total_found_must_be_a_count(httpserver: HTTPServer, total: Any) -> None:
    body = {"offset": 0, "limit": 100, "content": []} | ({} if total is None else {"totalFound": total})
    _serve(httpserver, 0, json.dumps(body).encode())
    err = fetch_error(BOARD, base_url(httpserver))
    assert "'totalFound'" in str(err) and err.transient is False


def test_unknown_posting_id_404(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"httpCode": 404, "code": "RESOURCE_NOT_FOUND", "message": "Company not found"}, status=404
    )
    err = fetch_error(BOARD, base_url(httpserver))
    assert "board not found" in str(err) and "Company not found" in str(err) and err.transient is False
