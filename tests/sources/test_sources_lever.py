from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import lever

from kinds.lever import MATCHGROUP as MATCHGROUP_RECORDED
from kinds.lever import SPOTIFY as SPOTIFY_RECORDED
from sources_support import drop_fields, set_fields

SPOTIFY = BoardRef("lever", "spotify")
MATCHGROUP = BoardRef("lever", "matchgroup")

RECORDED = {
    "lever_spotify.json": (SPOTIFY, list(SPOTIFY_RECORDED)),
    "lever_matchgroup.json": (MATCHGROUP, list(MATCHGROUP_RECORDED)),
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
