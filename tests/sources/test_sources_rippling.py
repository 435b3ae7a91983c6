"""Rippling: v1 rows grouped per job, the v2 list shape and its pages, and
details (company, employment type, pay, date) for new or changed jobs only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import FetchContext, rippling
from alerts.sources.cache import MemoryCache

from reach_support import PATIENT_SECONDS, Under
from sources_support import FAST, base_url, fetch_error, run_fetch

BOARD = BoardRef("rippling", "acme")
ONE = "0f5b3a1e-1111-4c2d-9e8f-000000000001"
TWO = "0f5b3a1e-2222-4c2d-9e8f-000000000002"


def test_recorded_v1_list(payload: Callable[[str], Any]) -> None:
    data = payload("rippling_list.json")
    first, second = rippling.parse(data, BOARD)
    assert first.external_id == "75ad50c6-778f-42ee-9c63-70d1cd687202"
    assert first.title == "Account Executive, Broker Channel (Austin & San Antonio)"
    assert (first.department, first.location, first.url) == (
        "Sales",
        "Austin, TX",
        "https://ats.rippling.com/rippling/jobs/75ad50c6-778f-42ee-9c63-70d1cd687202",
    )
    assert first.company == "acme" and first.raw is data[0]


def test_v1_rows_of_one_job_are_one_posting(payload: Callable[[str], Any]) -> None:
    postings = {p.external_id: p for p in rippling.parse(payload("rippling_list_multi_location.json"), BOARD)}
    assert set(postings) == {ONE, TWO}
    assert postings[ONE].location == "Austin, TX; Remote (United States)"
    assert postings[TWO].country == "GB"  # "London, United Kingdom"


def test_the_v2_list(payload: Callable[[str], Any]) -> None:
    postings = {p.external_id: p for p in rippling.parse(payload("rippling_v2_list.json"), BOARD)}
    assert (postings[TWO].city, postings[TWO].region, postings[TWO].country) == ("London", "England", "GB")
    assert postings[TWO].work_model == "hybrid" and postings[TWO].department == "Engineering"
    assert postings[ONE].work_model == "hybrid"  # one place on site, one remote
    assert postings[ONE].country == "US"


def test_the_detail(payload: Callable[[str], Any]) -> None:
    job = {"id": TWO, "rows": payload("rippling_v2_list.json")["items"][1:]}
    detail = rippling.read_detail(payload("rippling_v2_detail.json"), BOARD)
    posting = rippling.to_posting(job, detail, BOARD)
    assert posting.company == "Acme Analytics Ltd" and posting.employment_type == "full_time"
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (
        80000.0,
        95000.0,
        "GBP",
        "year",
    )
    assert posting.posted_at == datetime(2026, 9, 12, 16, 30, tzinfo=UTC)
    recorded = rippling.read_detail(payload("rippling_detail.json"), BOARD)
    assert recorded["company"] == "Blackrock Neurotech" and recorded["salary"] == [None, None, None, None]


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ({"employmentType": {"id": "Hourly, part-time", "label": "HOURLY_PT"}}, "part_time"),
        ({"employmentType": {"id": "", "label": "SALARIED_FT"}}, "full_time"),
        ({"employmentType": {"id": "Intern", "label": "X"}}, "intern"),
        ({"employmentType": None}, "unknown"),
    ],
)
def test_employment_type(detail: dict[str, Any], expected: str) -> None:
    read = rippling.read_detail({"uuid": ONE, **detail}, BOARD)
    assert rippling.to_posting({"id": ONE, "rows": [{"name": "t"}]}, read, BOARD).employment_type == expected


def test_pay_of_the_most_common_currency_and_period() -> None:
    ranges = [
        {"currency": "USD", "frequency": "YEAR", "rangeStart": 100000, "rangeEnd": 150000},
        {"currency": "USD", "frequency": "YEAR", "rangeStart": 90000, "rangeEnd": 140000},
        {"currency": "USD", "frequency": "HOUR", "rangeStart": 18, "rangeEnd": 25},
    ]
    read = rippling.read_detail({"uuid": ONE, "payRangeDetails": ranges}, BOARD)
    assert read["salary"] == [90000.0, 150000.0, "USD", "year"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"items": {}}, "to be a list"),
        ([{"name": "no id"}], "job #1 has no usable 'uuid'"),
        ({"error": "nope"}, "no 'items'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        rippling.parse(body, BOARD)
    assert says in str(caught.value)


# --- over a real socket ------------------------------------------------------


class Board:
    def __init__(self, server: HTTPServer, pages: list[Any], detail: dict[str, Any]):
        self.pages, self.detail = pages, detail
        self.asked: list[str] = []
        self.failing: dict[int, Response] = {}
        server.expect_request("/acme/jobs").respond_with_handler(self._list)
        server.expect_request(Under("/acme/jobs/")).respond_with_handler(self._detail)

    def _list(self, request: Request) -> Response:
        page = int(request.args.get("page", 0))
        self.asked.append(f"page {page}")
        if page in self.failing:
            return self.failing.pop(page)
        return Response(json.dumps(self.pages[page]), content_type="application/json")

    def _detail(self, request: Request) -> Response:
        self.asked.append(request.path.rsplit("/", 1)[-1])
        return Response(json.dumps(self.detail), content_type="application/json")


def fetch(server: HTTPServer, cache: MemoryCache | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    return run_fetch(BOARD, base_url(server), FetchContext(cache=cache), timeout=PATIENT_SECONDS, **kwargs)


def test_details_for_new_and_changed_jobs_only(httpserver: HTTPServer, payload: Callable[[str], Any]) -> None:
    board = Board(
        httpserver, [payload("rippling_list_multi_location.json")], payload("rippling_v2_detail.json")
    )
    cache = MemoryCache()
    first = fetch(httpserver, cache)
    assert sorted(board.asked) == sorted(["page 0", ONE, TWO]) and first.details == 2
    assert {p.company for p in first.postings} == {"Acme Analytics Ltd"}
    board.asked.clear()
    assert fetch(httpserver, cache).requests == 1 and board.asked == ["page 0"]
    board.pages[0][2]["name"] = "Senior Platform Engineer"
    board.asked.clear()
    fetch(httpserver, cache)
    assert board.asked == ["page 0", TWO]


def v2_page(page: int, ids: list[int], total_pages: int, total: int) -> dict[str, Any]:
    items = [
        {"id": f"0f5b3a1e-0000-4c2d-9e8f-{n:012d}", "name": f"Job {n}", "locations": [{"name": "Remote"}]}
        for n in ids
    ]
    return {"items": items, "page": page, "pageSize": 3, "totalItems": total, "totalPages": total_pages}


def test_v2_pages(httpserver: HTTPServer, payload: Callable[[str], Any]) -> None:
    pages = [v2_page(0, [1, 2, 3], 3, 7), v2_page(1, [4, 5, 6], 3, 7), v2_page(2, [7], 3, 7)]
    board = Board(httpserver, pages, payload("rippling_v2_detail.json"))
    snapshot = fetch(httpserver, MemoryCache())
    assert len(snapshot.postings) == 7 and snapshot.complete
    assert [a for a in board.asked if a.startswith("page")] == ["page 0", "page 1", "page 2"]
    assert snapshot.validators.etag is None  # no one validator for a paged board


def test_a_job_that_moved_between_pages_makes_it_incomplete(httpserver: HTTPServer) -> None:
    pages = [v2_page(0, [1, 2, 3], 2, 6), v2_page(1, [3, 4, 5], 2, 6)]  # 6 lost, 3 twice
    Board(httpserver, pages, {"uuid": ONE})
    snapshot = fetch(httpserver, MemoryCache())
    assert len(snapshot.postings) == 5 and not snapshot.complete
    assert any("fewer jobs than the board counts" in note for note in snapshot.notes)


def test_a_failing_page_2_fails_the_board(httpserver: HTTPServer) -> None:
    board = Board(httpserver, [v2_page(0, [1, 2, 3], 2, 4), v2_page(1, [4], 2, 4)], {"uuid": ONE})
    board.failing[1] = Response("oops", status=500)
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(cache=MemoryCache()))
    assert err.status == 500 and "page=1" in str(err)
    assert not any(a[0].isdigit() and "-" in a for a in board.asked)  # no detail was asked


def test_429_then_200(httpserver: HTTPServer) -> None:
    board = Board(httpserver, [v2_page(0, [1, 2, 3], 2, 4), v2_page(1, [4], 2, 4)], {"uuid": ONE})
    board.failing[1] = Response("slow down", status=429, headers={"Retry-After": "0"})
    snapshot = fetch(httpserver, retry=FAST)
    assert len(snapshot.postings) == 4 and snapshot.complete


def test_an_unknown_board(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/acme/jobs").respond_with_json({"detail": "Not found."}, status=404)
    err = fetch_error(BOARD, base_url(httpserver))
    assert "no Rippling job board 'acme'" in str(err) and not err.transient


def test_a_job_id_that_is_no_uuid_gets_no_detail_request(httpserver: HTTPServer) -> None:
    board = Board(httpserver, [[{"uuid": "../../admin", "name": "Odd"}]], {"uuid": ONE})
    [posting] = fetch(httpserver, MemoryCache()).postings
    assert posting.external_id == "../../admin" and board.asked == ["page 0"]
