"""A posting's country from its place text, for every kind (review finding:
countries from free text). Whatever the kind, a source that names no country
in a field of its own is read from the place it writes ("London, UK", "New
York, NY", "Remote - USA"), over a real local server, as fetch returns it;
several places give one country only when they agree, and a word that reads
two ways ("CA" alone, "Georgia") gives none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from contract import CASES
from sources_support import Case, base_url, run_fetch, serve

# Where each kind writes a place as text (and no country field).
PLACE_FIELDS: dict[str, Callable[[str], dict[str, Any]]] = {
    "greenhouse": lambda text: {"location": {"name": text}},
    "lever": lambda text: {"categories": {"location": text}},
    "lever-eu": lambda text: {"categories": {"location": text}},
    "ashby": lambda text: {"location": text},
    "smartrecruiters": lambda text: {"location": {"fullLocation": text}},
    "workable": lambda text: {"city": text},
    "recruitee": lambda text: {"location": text},
    "personio": lambda text: {"office": text},
    "teamtailor": lambda text: {"_jobposting": {"jobLocation": [{"address": {"addressLocality": text}}]}},
    "breezy": lambda text: {"location": {"name": text}},
    "pinpoint": lambda text: {"location": {"name": text}},
    "bluedoor": lambda text: {"location_text": text, "country": None},
    "workday": lambda text: {"locationsText": text},
    "bamboohr": lambda text: {"location": {"city": text}},
    "rippling": lambda text: {"workLocation": {"label": text}},
    "rippling-v2": lambda text: {"locations": [{"name": text}]},
    "jsonld": lambda text: {"jobLocation": {"address": {"addressLocality": text}}},
}

PLACES = [
    ("London, UK", "GB"),
    ("London, U.K.", "GB"),
    ("London, England, United Kingdom", "GB"),
    ("New York, NY", "US"),
    ("Austin, Texas", "US"),
    ("Remote - USA", "US"),
    ("Remote (U.S.)", "US"),
    ("San Francisco, CA / Remote", "US"),
    ("London, UK; Manchester, UK", "GB"),
    ("Berlin, Germany; London, UK", None),  # two countries: none
    ("Berlin, Germany / Remote - Europe", None),  # a region is not one country
    ("CA", None),  # Canada or California
    ("Remote, CA", None),
    ("Atlanta, Georgia", None),  # the state or the country
    ("Remote", None),
]


def _kind_case(case: Case) -> str:
    return case.label or case.kind


ROWS = [(case, text, code) for case in CASES for text, code in PLACES]


def test_every_kind_has_a_place_field() -> None:
    assert {_kind_case(case) for case in CASES} == set(PLACE_FIELDS)


@pytest.mark.parametrize(("case", "text", "code"), ROWS, ids=[f"{_kind_case(c)}: {t}" for c, t, _ in ROWS])
def test_country_from_place_text(httpserver: HTTPServer, case: Case, text: str, code: str | None) -> None:
    place = PLACE_FIELDS.get(_kind_case(case))
    assert place is not None
    serve(httpserver, case, case.body([case.job(place(text))]))
    # Details (Workday, BambooHR, Rippling) are not answered: the list alone.
    [posting] = run_fetch(case.board, case.base(base_url(httpserver))).postings
    assert posting.country == code, posting
