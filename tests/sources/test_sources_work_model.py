"""One table for `work_model` across every source: structured fields first,
location or office text second, "unknown" when neither says."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from alerts.model import BoardRef, Posting
from alerts.sources import (
    ashby,
    bamboohr,
    bluedoor,
    greenhouse,
    jsonld,
    lever,
    recruitee,
    rippling,
    smartrecruiters,
    workable,
    workday,
)


def _ld_page(job: dict[str, Any]) -> str:
    block = json.dumps({"@context": "https://schema.org", "@type": "JobPosting", "title": "t", **job})
    return f'<html><head><script type="application/ld+json">{block}</script></head></html>'


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
    "workday": (
        lambda job: {"total": 1, "jobPostings": [{"title": "t", "externalPath": "/job/X/T_R1", **job}]},
        workday.parse,
    ),
    "bamboohr": (
        lambda job: {"meta": {}, "result": [{"id": "1", "jobOpeningName": "t", **job}]},
        bamboohr.parse,
    ),
    "rippling": (lambda job: [{"uuid": "u", "name": "t", **job}], rippling.parse),
    "jsonld": (_ld_page, jsonld.parse),
}
# Rippling's v2 list: places with a workplace type each.
RIPPLING_V2 = (
    lambda places: {"items": [{"id": "u", "name": "t", "locations": places}], "totalPages": 1},
    rippling.parse,
)


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
    # Workday's remoteType; "Flex" is its word for hybrid.
    ("workday", "remoteType Flex", {"remoteType": "Flex"}, "hybrid"),
    ("workday", "remoteType Hybrid", {"remoteType": "Hybrid (Remote & On-site)"}, "hybrid"),
    ("workday", "remoteType On-Site", {"remoteType": "On-Site"}, "onsite"),
    ("workday", "remoteType Remote", {"remoteType": "Remote"}, "remote"),
    ("workday", "remoteType Fully Remote", {"remoteType": "Fully Remote"}, "remote"),
    ("workday", "no remoteType, remote place", {"locationsText": "Remote, USA"}, "remote"),
    ("workday", "nothing", {"locationsText": "2 Locations"}, "unknown"),
    # BambooHR's locationType codes.
    ("bamboohr", "locationType 0", {"locationType": "0"}, "onsite"),
    ("bamboohr", "locationType 1", {"locationType": "1"}, "remote"),
    ("bamboohr", "locationType 2", {"locationType": "2"}, "hybrid"),
    ("bamboohr", "isRemote alone", {"locationType": None, "isRemote": True}, "remote"),
    ("bamboohr", "nothing", {"locationType": None, "isRemote": None}, "unknown"),
    # Rippling v1 has only place names; v2 (rippling-v2 rows) a workplace type per place.
    ("rippling", "remote place", {"workLocation": {"label": "Remote (United States)"}}, "remote"),
    ("rippling", "nothing", {"workLocation": {"label": "Austin, TX"}}, "unknown"),
    ("rippling-v2", "ON_SITE", [{"name": "Austin, TX", "workplaceType": "ON_SITE"}], "onsite"),
    ("rippling-v2", "REMOTE", [{"name": "Remote (US)", "workplaceType": "REMOTE"}], "remote"),
    ("rippling-v2", "HYBRID", [{"name": "London", "workplaceType": "HYBRID"}], "hybrid"),
    (
        "rippling-v2",
        "remote here, office there",
        [{"name": "Austin", "workplaceType": "ON_SITE"}, {"name": "Remote", "workplaceType": "REMOTE"}],
        "hybrid",
    ),
    # JSON-LD: TELECOMMUTE is remote; schema.org has no word for hybrid.
    ("jsonld", "TELECOMMUTE", {"jobLocationType": "TELECOMMUTE"}, "remote"),
    ("jsonld", "TELECOMMUTE in a list", {"jobLocationType": ["TELECOMMUTE"]}, "remote"),
    (
        "jsonld",
        "a place named Remote",
        {"jobLocation": {"address": {"addressLocality": "Remote", "addressCountry": "US"}}},
        "remote",
    ),
    ("jsonld", "nothing", {"jobLocation": {"address": {"addressLocality": "Berlin"}}}, "unknown"),
]


@pytest.mark.parametrize(
    ("kind", "fields", "expected"), [(r[0], r[2], r[3]) for r in ROWS], ids=[f"{r[0]}: {r[1]}" for r in ROWS]
)
def test_work_model(kind: str, fields: Any, expected: str) -> None:
    wrap, parse = RIPPLING_V2 if kind == "rippling-v2" else KINDS[kind]
    [posting] = parse(wrap(fields), BoardRef(kind.removesuffix("-v2"), _TOKENS.get(kind, "b")))
    assert posting.work_model == expected


_TOKENS = {"workday": "acme.wd5/Careers", "jsonld": "https://careers.example.com/jobs/1"}


def test_every_source_is_in_the_table() -> None:
    from alerts.sources import SOURCES

    assert {row[0].removesuffix("-v2") for row in ROWS} == set(SOURCES) == set(KINDS)
    # ... with at least the unknown case and one structured or textual hit.
    for kind in SOURCES:
        assert {row[3] for row in ROWS if row[0] == kind} >= {"remote", "unknown"} or kind == "lever-eu"
