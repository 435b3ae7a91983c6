"""Rippling: what is special about it (the contract table runs both list
shapes, v1 and v2 with its pages, through fetching, details, failures and
the recorded payloads): v1 rows grouped per job, employment codes, pay of
several ranges, details for new or changed jobs only, a board that shifts
while paged, ids that are no UUID."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import FetchContext, rippling
from alerts.sources.cache import MemoryCache

from reach_support import PATIENT_SECONDS, Under
from sources_support import base_url, run_fetch

BOARD = BoardRef("rippling", "acme")
ONE = "0f5b3a1e-1111-4c2d-9e8f-000000000001"
TWO = "0f5b3a1e-2222-4c2d-9e8f-000000000002"


def test_v1_rows_of_one_job_are_one_posting(payload: Callable[[str], Any]) -> None:
    postings = {p.external_id: p for p in rippling.parse(payload("rippling_list_multi_location.json"), BOARD)}
    assert set(postings) == {ONE, TWO}
    assert postings[ONE].location == "Austin, TX; Remote (United States)"
    assert postings[TWO].country == "GB"  # "London, United Kingdom"


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
        ({"error": "nope"}, "no 'items'"),
        # A job without its id, v1 and v2: the contract table's no_id rows.
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
        server.expect_request("/acme/jobs").respond_with_handler(self._list)
        server.expect_request(Under("/acme/jobs/")).respond_with_handler(self._detail)

    def _list(self, request: Request) -> Response:
        page = int(request.args.get("page", 0))
        self.asked.append(f"page {page}")
        return Response(json.dumps(self.pages[page]), content_type="application/json")

    def _detail(self, request: Request) -> Response:
        self.asked.append(request.path.rsplit("/", 1)[-1])
        return Response(json.dumps(self.detail), content_type="application/json")


def fetch(server: HTTPServer, cache: MemoryCache | None = None):  # type: ignore[no-untyped-def]
    return run_fetch(BOARD, base_url(server), FetchContext(cache=cache), timeout=PATIENT_SECONDS)


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


def test_a_job_that_moved_between_pages_makes_it_incomplete(httpserver: HTTPServer) -> None:
    pages = [v2_page(0, [1, 2, 3], 2, 6), v2_page(1, [3, 4, 5], 2, 6)]  # 6 lost, 3 twice
    Board(httpserver, pages, {"uuid": ONE})
    snapshot = fetch(httpserver, MemoryCache())
    assert len(snapshot.postings) == 5 and not snapshot.complete
    assert any("fewer jobs than the board counts" in note for note in snapshot.notes)


def test_a_job_id_that_is_no_uuid_gets_no_detail_request(httpserver: HTTPServer) -> None:
    board = Board(httpserver, [[{"uuid": "../../admin", "name": "Odd"}]], {"uuid": ONE})
    [posting] = fetch(httpserver, MemoryCache()).postings
    assert posting.external_id == "../../admin" and board.asked == ["page 0"]
