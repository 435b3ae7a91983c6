"""BambooHR: what is special about it (the contract table covers fetching,
details asked and merged, failures, an empty first answer and the recorded
list): work-model codes and countries, pay as free text, details for new or
changed openings only, hostile text."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import FetchContext, bamboohr
from alerts.sources.cache import MemoryCache
from alerts.sources.salary_text import salary_from_text

from reach_support import PATIENT_SECONDS, Under
from sources_support import base_url, run_fetch

BOARD = BoardRef("bamboohr", "acme")


def test_work_models_and_countries(payload: Callable[[str], Any]) -> None:
    postings = {p.external_id: p for p in bamboohr.parse(payload("bamboohr_list_work_models.json"), BOARD)}
    assert [postings[k].work_model for k in ("101", "102", "103", "104")] == [
        "onsite",
        "remote",
        "hybrid",
        "remote",
    ]
    assert postings["102"].country == "DE" and postings["102"].location == "Germany"
    assert postings["103"].country == "US" and postings["103"].location == "Austin, Texas, United States"
    assert postings["104"].employment_type == "unknown"  # "Employed" says nothing


def test_the_detail_adds_date_pay_and_country(payload: Callable[[str], Any]) -> None:
    job = payload("bamboohr_list.json")["result"][0]
    job["id"] = "86"
    detail = bamboohr.read_detail(payload("bamboohr_detail_full.json"), BOARD)
    posting = bamboohr.to_posting(job, detail, BOARD)
    assert posting.posted_at == datetime(2026, 9, 16, tzinfo=UTC)
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (
        22.0,
        26.0,
        "USD",
        "hour",
    )
    assert posting.country == "US"  # the list had none for this office job
    # The recorded detail: no date, no pay.
    bare = bamboohr.read_detail(payload("bamboohr_detail.json"), BOARD)
    assert bare == {"posted": None, "country": "US", "salary": [None, None, None, None]}


SALARIES = [
    ("$22 - $26 per hour", "US", (22.0, 26.0, "USD", "hour")),
    ("£24,500 - £26,500", None, (24500.0, 26500.0, "GBP", None)),
    ("£28,090", None, (28090.0, None, "GBP", None)),
    ("$100k - $120k a year", "US", (100000.0, 120000.0, "USD", "year")),
    ("EUR 45.000 - 55.000 yearly", None, (45000.0, 55000.0, "EUR", "year")),
    ("$19.35 / hour", "CA", (19.35, None, "CAD", "hour")),
    ("$50,000", None, (50000.0, None, None, None)),  # whose dollar? not said
    ("Competitive", None, (None, None, None, None)),
    ("1 - 2 - 3", None, (None, None, None, None)),
    ("$90,000 - $60,000", "US", (None, None, None, None)),
    ("", None, (None, None, None, None)),
]


@pytest.mark.parametrize(("text", "country", "expected"), SALARIES, ids=[s[0] or "empty" for s in SALARIES])
def test_salary_from_text(text: str, country: str | None, expected: tuple[Any, ...]) -> None:
    assert salary_from_text(text, country) == expected


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"meta": {}}, "no 'result'"),
        ({"result": {}}, "to be a list"),
        # A job without an id: the contract table's no_id row.
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        bamboohr.parse(body, BOARD)
    assert says in str(caught.value)


# --- over a real socket ------------------------------------------------------


class Site:
    def __init__(self, server: HTTPServer, listing: dict[str, Any], detail: dict[str, Any]):
        self.listing, self.detail = listing, detail
        self.asked: list[str] = []
        server.expect_request("/careers/list").respond_with_handler(self._list)
        server.expect_request(Under("/careers/")).respond_with_handler(self._detail)

    def _list(self, request: Request) -> Response:
        self.asked.append("list")
        return Response(json.dumps(self.listing), content_type="application/json")

    def _detail(self, request: Request) -> Response:
        self.asked.append(request.path)
        return Response(json.dumps(self.detail), content_type="application/json")


@pytest.fixture
def site(httpserver: HTTPServer, payload: Callable[[str], Any]) -> Site:
    return Site(httpserver, payload("bamboohr_list_work_models.json"), payload("bamboohr_detail_full.json"))


def test_details_for_new_and_changed_openings_only(httpserver: HTTPServer, site: Site) -> None:
    cache = MemoryCache()
    first = run_fetch(BOARD, base_url(httpserver), FetchContext(cache=cache), timeout=PATIENT_SECONDS)
    assert sorted(site.asked) == [
        "/careers/101/detail",
        "/careers/102/detail",
        "/careers/103/detail",
        "/careers/104/detail",
        "list",
    ]
    assert first.requests == 5 and first.details == 4
    assert all(p.posted_at == datetime(2026, 9, 16, tzinfo=UTC) for p in first.postings)
    site.asked.clear()
    steady = run_fetch(BOARD, base_url(httpserver), FetchContext(cache=cache), timeout=PATIENT_SECONDS)
    assert site.asked == ["list"] and steady.requests == 1 and steady.postings == first.postings
    site.listing["result"][0]["jobOpeningName"] = "Warehouse Team Lead"
    site.asked.clear()
    run_fetch(BOARD, base_url(httpserver), FetchContext(cache=cache), timeout=PATIENT_SECONDS)
    assert site.asked == ["list", "/careers/101/detail"]


def test_hostile_text(payload: Callable[[str], Any]) -> None:
    data = copy.deepcopy(payload("bamboohr_list.json"))
    data["result"][0].update(
        jobOpeningName="Nurse\n\n  &lt;script&gt;", id="86/../../admin", locationType=["0"]
    )
    [posting, _] = bamboohr.parse(data, BOARD)
    assert posting.title == "Nurse <script>"  # one line, entities read
    assert posting.url == "https://acme.bamboohr.com/careers/86%2F..%2F..%2Fadmin"  # quoted, never a path
    assert posting.work_model == "unknown"


def test_an_id_too_long_to_store_is_hashed(payload: Callable[[str], Any]) -> None:
    data = copy.deepcopy(payload("bamboohr_list.json"))
    data["result"][0]["id"] = "9" * 300
    [posting, _] = bamboohr.parse(data, BOARD)
    assert posting.external_id.startswith("sha256:") and len(posting.external_id) < 80
