"""One table for `work_model` across every source: structured fields first,
location or office text second, "unknown" when neither says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from alerts.model import BoardRef, Posting
from alerts.sources import ashby, bluedoor, greenhouse, lever, recruitee, smartrecruiters, workable

# How each kind wraps one job, and which parser reads it.
KINDS: dict[str, tuple[Callable[[dict[str, Any]], Any], Callable[[Any, BoardRef], list[Posting]]]] = {
    "greenhouse": (lambda job: {"jobs": [{"id": 1, "title": "t", **job}]}, greenhouse.parse),
    "lever": (lambda job: [{"id": "a", "text": "t", **job}], lever.parse),
    "lever-eu": (lambda job: [{"id": "a", "text": "t", **job}], lever.parse_eu),
    "ashby": (lambda job: {"jobs": [{"id": "a", "title": "t", **job}]}, ashby.parse),
    "smartrecruiters": (
        lambda job: {"totalFound": 1, "content": [{"id": "1", "name": "t", **job}]},
        smartrecruiters.parse,
    ),
    "workable": (lambda job: {"jobs": [{"shortcode": "A1", "title": "t", **job}]}, workable.parse),
    "recruitee": (lambda job: {"offers": [{"id": 1, "title": "t", **job}]}, recruitee.parse),
    "bluedoor": (
        lambda job: {"data": [{"job_id": "j", "title": "t", **job}], "next_cursor": None},
        bluedoor.parse,
    ),
}


def _place(name: str) -> dict[str, Any]:
    return {"location": {"name": name}}


# kind, case, the job's fields, expected work model
ROWS: list[tuple[str, str, dict[str, Any], str]] = [
    # Greenhouse has no field: the location and office names are all there is.
    ("greenhouse", "remote location", _place("Remote, United States"), "remote"),
    ("greenhouse", "hybrid location", _place("Hybrid - London"), "hybrid"),
    ("greenhouse", "on-site location", _place("London (On-site)"), "onsite"),
    ("greenhouse", "office named Remote", {**_place("Anywhere"), "offices": [{"name": "Remote"}]}, "remote"),
    ("greenhouse", "a plain city", _place("London"), "unknown"),
    ("greenhouse", "nothing", {}, "unknown"),
    ("lever", "workplaceType remote", {"workplaceType": "remote"}, "remote"),
    ("lever", "workplaceType hybrid", {"workplaceType": "hybrid"}, "hybrid"),
    ("lever", "workplaceType on-site", {"workplaceType": "on-site"}, "onsite"),
    ("lever", "workplaceType onsite", {"workplaceType": "onsite"}, "onsite"),
    (
        "lever",
        "field wins over text",
        {"workplaceType": "onsite", "categories": {"location": "Remote"}},
        "onsite",
    ),
    (
        "lever",
        "unspecified, remote location",
        {"workplaceType": "unspecified", "categories": {"location": "Remote - US"}},
        "remote",
    ),
    (
        "lever",
        "unspecified, a remote one of allLocations",
        {
            "workplaceType": "unspecified",
            "categories": {"location": "NYC", "allLocations": ["NYC", "Remote"]},
        },
        "remote",
    ),
    (
        "lever",
        "unspecified, a plain city",
        {"workplaceType": "unspecified", "categories": {"location": "NYC"}},
        "unknown",
    ),
    ("lever", "nothing", {}, "unknown"),
    ("lever-eu", "workplaceType hybrid", {"workplaceType": "hybrid"}, "hybrid"),
    (
        "lever-eu",
        "unspecified, remote location",
        {"workplaceType": "unspecified", "categories": {"location": "Remote, EU"}},
        "remote",
    ),
    ("ashby", "workplaceType Remote", {"workplaceType": "Remote"}, "remote"),
    ("ashby", "workplaceType Hybrid", {"workplaceType": "Hybrid"}, "hybrid"),
    ("ashby", "workplaceType OnSite", {"workplaceType": "OnSite"}, "onsite"),
    ("ashby", "Hybrid even with isRemote", {"workplaceType": "Hybrid", "isRemote": True}, "hybrid"),
    ("ashby", "isRemote alone", {"workplaceType": None, "isRemote": True}, "remote"),
    ("ashby", "location text last", {"workplaceType": None, "location": "Remote (US)"}, "remote"),
    ("ashby", "nothing", {"isRemote": False}, "unknown"),
    ("smartrecruiters", "remote flag", {"location": {"remote": True, "hybrid": False}}, "remote"),
    ("smartrecruiters", "hybrid flag", {"location": {"remote": False, "hybrid": True}}, "hybrid"),
    (
        "smartrecruiters",
        "both flags false",
        {"location": {"remote": False, "hybrid": False, "fullLocation": "Paris"}},
        "onsite",
    ),
    (
        "smartrecruiters",
        "flags missing, remote text",
        {"location": {"fullLocation": "Remote, Poland"}},
        "remote",
    ),
    ("smartrecruiters", "nothing", {"location": {"fullLocation": "Paris, France"}}, "unknown"),
    ("workable", "telecommuting", {"telecommuting": True, "city": "Austin"}, "remote"),
    ("workable", "not telecommuting, remote city", {"telecommuting": False, "city": "Remote"}, "remote"),
    # telecommuting false does not say on site: hybrid jobs say false too.
    ("workable", "not telecommuting", {"telecommuting": False, "city": "Austin"}, "unknown"),
    ("recruitee", "remote flag", {"remote": True, "hybrid": False, "on_site": False}, "remote"),
    ("recruitee", "hybrid flag", {"remote": False, "hybrid": True, "on_site": False}, "hybrid"),
    ("recruitee", "on_site flag", {"remote": False, "hybrid": False, "on_site": True}, "onsite"),
    (
        "recruitee",
        "no flag, hybrid text",
        {"remote": False, "hybrid": False, "on_site": False, "location": "Hybrid - Amsterdam"},
        "hybrid",
    ),
    ("recruitee", "nothing", {"location": "Amsterdam"}, "unknown"),
    ("bluedoor", "workplace_type remote", {"workplace_type": "remote"}, "remote"),
    ("bluedoor", "workplace_type hybrid", {"workplace_type": "hybrid", "remote_policy": "remote"}, "hybrid"),
    ("bluedoor", "workplace_type onsite", {"workplace_type": "onsite"}, "onsite"),
    ("bluedoor", "remote_policy second", {"workplace_type": None, "remote_policy": "hybrid"}, "hybrid"),
    ("bluedoor", "location text last", {"location_text": "Remote - US"}, "remote"),
    ("bluedoor", "nothing", {"location_text": "San Francisco"}, "unknown"),
]


@pytest.mark.parametrize(
    ("kind", "fields", "expected"), [(r[0], r[2], r[3]) for r in ROWS], ids=[f"{r[0]}: {r[1]}" for r in ROWS]
)
def test_work_model(kind: str, fields: dict[str, Any], expected: str) -> None:
    wrap, parse = KINDS[kind]
    [posting] = parse(wrap(fields), BoardRef(kind, "b"))
    assert posting.work_model == expected


def test_every_source_is_in_the_table() -> None:
    from alerts.sources import SOURCES

    assert {row[0] for row in ROWS} == set(SOURCES) == set(KINDS)
    # ... with at least the unknown case and one structured or textual hit.
    for kind in SOURCES:
        assert {row[3] for row in ROWS if row[0] == kind} >= {"remote", "unknown"} or kind == "lever-eu"
