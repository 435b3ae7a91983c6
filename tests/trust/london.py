"""A London job of every source kind, as that kind's own normaliser makes
it from its recorded payload (and detail, for the kinds that ask for one),
its country written the way the source writes it (test_trust_countries.py)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alerts.boards import bluedoor_token
from alerts.model import BoardRef, Posting
from alerts.sources import (
    ashby,
    bamboohr,
    bluedoor,
    breezy,
    greenhouse,
    jsonld,
    lever,
    personio,
    pinpoint,
    recruitee,
    rippling,
    smartrecruiters,
    teamtailor,
    workable,
)
from alerts.sources.workday.keys import identify
from alerts.sources.workday.postings import read_detail as workday_detail
from alerts.sources.workday.postings import to_posting as workday_posting

from trust_support import DATA, recorded


def _lever(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    job = jobs[0]
    job["categories"].update(location="London", allLocations=["London"])
    job["country"] = "GB"
    return [job]


def _smartrecruiters(page: dict[str, Any]) -> dict[str, Any]:
    job = page["content"][0]
    job["location"] = {
        "city": "London",
        "region": None,
        "country": "gb",
        "remote": False,
        "hybrid": False,
        "fullLocation": "London",
    }
    return {**page, "totalFound": 1, "content": [job]}


def _greenhouse(board: dict[str, Any]) -> dict[str, Any]:
    job = board["jobs"][0]
    job["location"] = {"name": "London"}
    job["offices"] = [{"id": 1, "name": "London", "location": "London, England, United Kingdom"}]
    return {"jobs": [job]}


def _recruitee(board: dict[str, Any]) -> dict[str, Any]:
    offer = board["offers"][0]
    offer.update(city="London", state_name=None, state_code=None, country="United Kingdom", location="London")
    return {"offers": [offer]}


def _workable(board: dict[str, Any]) -> dict[str, Any]:
    job = board["jobs"][0]
    job.update(city="London", state="England", country="United Kingdom")
    job["locations"] = [
        {
            "country": "United Kingdom",
            "countryCode": "GB",
            "city": "London",
            "region": "England",
            "hidden": False,
        }
    ]
    return {**board, "jobs": [job]}


def _ashby(board: dict[str, Any]) -> dict[str, Any]:
    job = board["jobs"][0]
    job["location"] = "London"
    job["address"] = {"postalAddress": {"addressLocality": "London", "addressCountry": "United Kingdom"}}
    return {**board, "jobs": [job]}


def _breezy(positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    position = positions[0]
    position["location"] = {
        "country": {"name": "United Kingdom", "id": "gb"},
        "city": "London",
        "primary": True,
        "is_remote": False,
        "name": "London",
    }
    position["locations"] = [position["location"]]
    return [position]


def _teamtailor(feed: dict[str, Any]) -> dict[str, Any]:
    item = feed["items"][0]
    address = {"@type": "PostalAddress", "addressLocality": "London", "addressCountry": "United Kingdom"}
    item["_jobposting"]["jobLocation"] = [{"@type": "Place", "address": address}]
    return {**feed, "items": [item]}


def _bluedoor(record: dict[str, Any]) -> dict[str, Any]:
    record.update(location_text="London", city="London", region="England", country="United Kingdom")
    return {"data": [record], "next_cursor": None}


def _rippling_v1(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # v1 has only the place's label: the country is its last part.
    return [{**rows[0], "workLocation": {"label": "London, United Kingdom", "id": "London, United Kingdom"}}]


def _rippling_v2(page: dict[str, Any]) -> dict[str, Any]:
    item = page["items"][1]  # the recorded London job: countryCode "GB"
    return {**page, "items": [item], "totalItems": 1}


def _bamboohr_list(board: dict[str, Any]) -> dict[str, Any]:
    job = board["result"][0]
    job["location"] = {"city": "London", "state": None}
    job["atsLocation"] = {"country": "United Kingdom", "state": None, "province": None, "city": "London"}
    return {"meta": {"totalCount": 1}, "result": [job]}


Parse = Callable[[Any, BoardRef], list[Posting]]


def listed(parse: Parse, name: str, edit: Callable[[Any], Any], board: BoardRef) -> Callable[[], Posting]:
    """The one posting of a recorded list, edited to London."""

    def build() -> Posting:
        [posting] = parse(edit(recorded(name)), board)
        return posting

    return build


def _bamboohr_office() -> Posting:
    """An office job: the list names the city alone, the detail the country."""
    board = BoardRef("bamboohr", "acme")
    [job] = bamboohr.read_list(recorded("bamboohr_list.json"), board)[:1]
    job["location"] = {"city": "London", "state": None}
    detail = recorded("bamboohr_detail.json")
    detail["result"]["jobOpening"]["location"] = {"city": "London", "addressCountry": "United Kingdom"}
    return bamboohr.to_posting(job, bamboohr.read_detail(detail, board), board)


def _workday(alpha2: bool) -> Callable[[], Posting]:
    """The recorded list's first row ("3 Locations": no place) with a London
    detail whose place names no country: the country is the detail's
    `alpha2Code`, or (`alpha2=False`) only the country's name."""

    def build() -> Posting:
        board = BoardRef("workday", "acme.wd3/Careers")
        [(key, row)] = list(identify(recorded("workday_salesforce.json")["jobPostings"][:1]).items())
        detail = recorded("workday_detail_hybrid_gb.json")
        info = detail["jobPostingInfo"]
        info.update(location="London", additionalLocations=[])
        if not alpha2:
            del info["jobRequisitionLocation"]["country"]["alpha2Code"]
        site = ("acme", "wd3", "Careers")
        return workday_posting(key, row, workday_detail(detail, board), board, site, None, datetime.now(UTC))

    return build


def _jsonld(country: str) -> Callable[[], Posting]:
    def build() -> Posting:
        job = {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": "Data Engineer",
            "identifier": {"@type": "PropertyValue", "value": "DE-1"},
            "hiringOrganization": {"@type": "Organization", "name": "Acme"},
            "jobLocation": {
                "@type": "Place",
                "address": {"@type": "PostalAddress", "addressLocality": "London", "addressCountry": country},
            },
        }
        page = f'<html><head><script type="application/ld+json">{json.dumps(job)}</script></head></html>'
        [posting] = jsonld.parse(page, BoardRef("jsonld", "https://careers.acme.example/jobs"))
        return posting

    return build


@dataclass(frozen=True)
class London:
    label: str  # the row's name in test ids (a kind may have several)
    kind: str
    build: Callable[[], Posting]


BLUEDOOR = BoardRef("bluedoor", bluedoor_token(["OpenAI"], [], []))

# Each row: a London posting as the kind's own normaliser makes it.
SOURCES: list[London] = [
    London("lever", "lever", listed(lever.parse, "lever_spotify.json", _lever, BoardRef("lever", "spotify"))),
    London(
        "lever-eu",
        "lever-eu",
        listed(lever.parse_eu, "lever_spotify.json", _lever, BoardRef("lever-eu", "spotify")),
    ),
    London(
        "smartrecruiters",
        "smartrecruiters",
        listed(
            smartrecruiters.parse,
            "smartrecruiters_ubisoft2.json",
            _smartrecruiters,
            BoardRef("smartrecruiters", "Ubisoft2"),
        ),
    ),
    London(
        "greenhouse",
        "greenhouse",
        listed(greenhouse.parse, "greenhouse_vercel.json", _greenhouse, BoardRef("greenhouse", "vercel")),
    ),
    London(
        "recruitee",
        "recruitee",
        listed(recruitee.parse, "recruitee_channable.json", _recruitee, BoardRef("recruitee", "channable")),
    ),
    London(
        "workable",
        "workable",
        listed(workable.parse, "workable_huckberry.json", _workable, BoardRef("workable", "huckberry")),
    ),
    London("ashby", "ashby", listed(ashby.parse, "ashby_linear.json", _ashby, BoardRef("ashby", "linear"))),
    London("bluedoor", "bluedoor", listed(bluedoor.parse, "bluedoor_seed_record.json", _bluedoor, BLUEDOOR)),
    London(
        "breezy", "breezy", listed(breezy.parse, "breezy_breezy.json", _breezy, BoardRef("breezy", "breezy"))
    ),
    London(
        "teamtailor",
        "teamtailor",
        listed(teamtailor.parse, "teamtailor_career.json", _teamtailor, BoardRef("teamtailor", "career")),
    ),
    London("workday", "workday", _workday(alpha2=True)),
    London("workday-country-name", "workday", _workday(alpha2=False)),
    London("bamboohr-office", "bamboohr", _bamboohr_office),
    London(
        "bamboohr-list",
        "bamboohr",
        listed(bamboohr.parse, "bamboohr_list.json", _bamboohr_list, BoardRef("bamboohr", "acme")),
    ),
    London(
        "rippling",
        "rippling",
        listed(rippling.parse, "rippling_list.json", _rippling_v1, BoardRef("rippling", "acme")),
    ),
    London(
        "rippling-v2",
        "rippling",
        listed(rippling.parse, "rippling_v2_list.json", _rippling_v2, BoardRef("rippling", "acme")),
    ),
    London("jsonld-code", "jsonld", _jsonld("GB")),
    London("jsonld-name", "jsonld", _jsonld("United Kingdom")),
]


def _personio() -> Posting:
    """A position whose office is London: the feed's only word on the place."""
    root = ET.fromstring((DATA / "personio_avian.xml").read_bytes())
    first, *others = root.findall("position")
    office = first.find("office")
    assert office is not None
    office.text = "London"
    for other in others:
        root.remove(other)
    [posting] = personio.parse(root, BoardRef("personio", "avian"))
    return posting


def _pinpoint() -> Posting:
    """The recorded London job as it is: location "United Kingdom" (a name,
    not a country field) and the city London."""
    job = recorded("pinpoint_workwithus.json")[1]
    [posting] = pinpoint.parse({"data": [job]}, BoardRef("pinpoint", "workwithus"))
    return posting


# Kinds whose source names no country, and why; their postings keep None
# and are found by the words in their place text.
NO_COUNTRY: dict[str, tuple[str, Callable[[], Posting]]] = {
    "personio": ("the XML feed has offices by name only, never a country", _personio),
    "pinpoint": ("the list's location is a city and a free-text name, no country field", _pinpoint),
}
