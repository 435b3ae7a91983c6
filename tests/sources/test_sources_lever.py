from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import lever

from sources_support import drop_fields, set_fields

SPOTIFY = BoardRef("lever", "spotify")
MATCHGROUP = BoardRef("lever", "matchgroup")

RECORDED = {
    "lever_spotify.json": (
        SPOTIFY,
        [
            Posting(
                source="lever",
                board_token="spotify",
                external_id="2193db3f-77c5-43b8-b030-8f92c9882bf1",
                title="Android Engineer - Experience",
                company="spotify",
                department="Engineering",
                team="Experience",
                location="London",
                country="GB",
                work_model="hybrid",
                employment_type="full_time",  # "Permanent"
                url="https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1",
                apply_url="https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1/apply",
                posted_at=datetime(2026, 6, 23, 11, 29, 45, 805000, tzinfo=UTC),
            ),
            Posting(
                source="lever",
                board_token="spotify",
                external_id="d87833d0-fb78-4794-b45d-3fe5c8274bc8",
                title="Artist & Label Partnerships Contractor, Vietnam",
                company="spotify",
                department="Content",
                team="Music Business",
                location="Ho Chi Minh",
                country="VN",
                work_model="hybrid",
                employment_type="temporary",  # "Short Term"
                url="https://jobs.lever.co/spotify/d87833d0-fb78-4794-b45d-3fe5c8274bc8",
                apply_url="https://jobs.lever.co/spotify/d87833d0-fb78-4794-b45d-3fe5c8274bc8/apply",
                posted_at=datetime(2026, 8, 27, 3, 43, 7, 805000, tzinfo=UTC),
            ),
        ],
    ),
    "lever_matchgroup.json": (
        MATCHGROUP,
        [
            Posting(
                source="lever",
                board_token="matchgroup",
                external_id="3414ba28-35f7-45d3-8e13-35c883959635",
                title="Android Engineer III",
                company="matchgroup",
                department="Hinge",
                team="Engineering",
                location="New York, New York",
                country="US",
                work_model="hybrid",
                employment_type="full_time",
                salary_min=150000.0,
                salary_max=180000.0,
                salary_currency="USD",
                salary_period="year",
                url="https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635",
                apply_url="https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635/apply",
                posted_at=datetime(2026, 5, 19, 20, 38, 11, 267000, tzinfo=UTC),
            ),
            Posting(
                source="lever",
                board_token="matchgroup",
                external_id="4004a95b-ed89-4193-ad1a-a2ed5d4703d5",
                title="Android Software Engineer (Azar)",
                company="matchgroup",
                department="Hyperconnect",
                team="Engineering",
                location="Seoul, South Korea",
                country="KR",
                work_model="hybrid",
                employment_type="full_time",
                url="https://jobs.lever.co/matchgroup/4004a95b-ed89-4193-ad1a-a2ed5d4703d5",
                apply_url="https://jobs.lever.co/matchgroup/4004a95b-ed89-4193-ad1a-a2ed5d4703d5/apply",
                posted_at=datetime(2026, 1, 5, 6, 59, 28, 549000, tzinfo=UTC),
            ),
        ],
    ),
}


@pytest.mark.parametrize("fixture", sorted(RECORDED))
def test_recorded_board(payload: Callable[[str], Any], fixture: str) -> None:
    board, expected = RECORDED[fixture]
    data = payload(fixture)
    postings = lever.parse(data, board)
    assert postings == expected
    assert [p.raw for p in postings] == data


def _category(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda job: job["categories"].update(fields)


def _pay(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda job: job["salaryRange"].update(fields)


NO_SALARY = dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None)

# Every variant edits the matchgroup job with a salary (the first one).
VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(confidential=False, futureField={"a": [1]}), {}),
    (
        "optional fields missing",
        drop_fields(
            "categories", "country", "workplaceType", "salaryRange", "hostedUrl", "applyUrl", "createdAt"
        ),
        dict(
            department=None,
            team=None,
            location=None,
            country=None,
            work_model="unknown",
            employment_type="unknown",
            url=None,
            apply_url=None,
            posted_at=None,
            **NO_SALARY,
        ),
    ),
    (
        "optional fields null",
        set_fields(
            categories=None,
            country=None,
            workplaceType=None,
            salaryRange=None,
            hostedUrl=None,
            applyUrl=None,
            createdAt=None,
        ),
        dict(
            department=None,
            team=None,
            location=None,
            country=None,
            work_model="unknown",
            employment_type="unknown",
            url=None,
            apply_url=None,
            posted_at=None,
            **NO_SALARY,
        ),
    ),
    (
        "categories null inside",
        _category(commitment=None, department=None, team=None),
        dict(department=None, team=None, employment_type="unknown"),
    ),
    ("workplaceType remote", set_fields(workplaceType="remote"), dict(work_model="remote")),
    ("workplaceType on-site", set_fields(workplaceType="on-site"), dict(work_model="onsite")),
    ("workplaceType onsite", set_fields(workplaceType="onsite"), dict(work_model="onsite")),
    (
        "unspecified falls back to the location text",
        set_fields(workplaceType="unspecified", categories={"location": "Remote - US"}),
        dict(
            work_model="remote", location="Remote - US", department=None, team=None, employment_type="unknown"
        ),
    ),
    ("unspecified and a plain city", set_fields(workplaceType="unspecified"), dict(work_model="unknown")),
    ("commitment Part-time", _category(commitment="Part-time"), dict(employment_type="part_time")),
    ("commitment Contract", _category(commitment="Contract"), dict(employment_type="contract")),
    ("commitment Internship", _category(commitment="Internship"), dict(employment_type="intern")),
    ("commitment Temporary", _category(commitment="Temporary"), dict(employment_type="temporary")),
    ("commitment unknown words", _category(commitment="Other"), dict(employment_type="unknown")),
    (
        "monthly salary",
        _pay(interval="per-month-salary", currency="EUR"),
        dict(salary_period="month", salary_currency="EUR"),
    ),
    (
        "hourly wage",
        _pay(interval="per-hour-wage", min=40, max=55.5),
        dict(salary_period="hour", salary_min=40.0, salary_max=55.5),
    ),
    ("salary without amounts", _pay(min=None, max=None), NO_SALARY),
    (
        "non-ASCII title",
        set_fields(text="안드로이드 엔지니어 (Azar)"),
        dict(title="안드로이드 엔지니어 (Azar)"),
    ),
    (
        "HTML entities in title",
        set_fields(text="Trust &amp; Safety &lt;Lead&gt;"),
        dict(title="Trust & Safety <Lead>"),
    ),
    ("title missing", drop_fields("text"), dict(title="")),
    ("createdAt not a number", set_fields(createdAt="2026-01-01"), dict(posted_at=None)),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    board, expected = RECORDED["lever_matchgroup.json"]
    job = copy.deepcopy(payload("lever_matchgroup.json")[0])
    edit(job)
    [posting] = lever.parse([job], board)
    assert posting == replace(expected[0], **changes)
    assert posting.raw is job


def test_empty_board() -> None:
    assert lever.parse([], SPOTIFY) == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"ok": False, "error": "Document not found"}, "got an object (it says: 'Document not found')"),
        ({"jobs": []}, "expected the response to be a list"),
        (None, "got null"),
        (["x"], "job #1 is a string"),
        ([{"id": "a", "text": "A"}, {"text": "B"}], "job #2 has no usable 'id'"),
        ([{"id": 12, "text": "numeric ids are fine"}, {"id": [], "text": "B"}], "job #2"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        lever.parse(body, SPOTIFY)
    assert says in str(caught.value)
    assert "lever:spotify" in str(caught.value)
    assert caught.value.transient is False


def test_eu_host_postings_are_lever_eu(payload: Callable[[str], Any]) -> None:
    board = BoardRef("lever-eu", "spotify")
    data = payload("lever_spotify.json")
    postings = lever.parse_eu(data, board)
    _, expected = RECORDED["lever_spotify.json"]
    assert postings == [replace(p, source="lever-eu") for p in expected]
    # The same Lever posting, whichever host it was read from.
    assert [p.identity for p in postings] == [f"lever:{p.external_id}" for p in expected]
