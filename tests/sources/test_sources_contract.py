"""Every source kind through the contract table (contract.py): the shared
client against a real local server, the recorded payload normalised (its
details asked for and merged, where the kind has them), base URLs, empty
boards. Failures: test_sources_contract_errors.py; paging and work models:
test_sources_contract_pages.py."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pytest_httpserver import HTTPServer

import alerts
from alerts.boards import KINDS
from alerts.sources import SOURCES, FetchContext, Snapshot, Source, fetch_board, make_client
from alerts.sources.cache import MemoryCache

from contract import CASES, TEMPLATED
from sources_support import Case, base_url, details_asked, fetch_error, run_fetch, serve, serve_board

SIZE = 10_000


def test_every_kind_is_in_the_table() -> None:
    assert [case.kind for case in CASES] and {case.kind for case in CASES} == set(SOURCES) == set(KINDS)
    assert len({str(case) for case in CASES}) == len(CASES)  # one name per row
    for case in CASES:
        source = SOURCES[case.kind]
        assert isinstance(source, Source) and source.kind == case.kind
        assert source.default_base_url == case.default_base_url
        # Only bluedoor has an incremental mode (pacing reads this flag).
        assert source.incremental is case.incremental


@pytest.mark.parametrize("case", CASES, ids=str)
def test_recorded_payload_over_http(httpserver: HTTPServer, case: Case) -> None:
    body = case.recorded_body()
    serve_board(httpserver, case)
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)))
    assert snapshot.postings == list(case.recorded)
    # The list alone, as the kind's parser reads it (without its details).
    assert case.read(body, case.board) == list(case.listed if case.listed is not None else case.recorded)
    assert [p.raw for p in snapshot.postings] == case.jobs(body)  # the job as received
    assert all(p.source == case.kind and p.board_token == case.token for p in snapshot.postings)
    assert snapshot.complete and not snapshot.not_modified
    # One request for the list, one per posting's detail.
    details = case.details.paths if case.details else ()
    assert sorted(details_asked(httpserver, case)) == sorted(details)
    assert snapshot.requests == 1 + len(details) and snapshot.details == len(details)
    request, _ = httpserver.log[0]
    assert request.method == case.method
    assert request.headers["User-Agent"] == f"alerts/{alerts.__version__} (+{alerts.HOMEPAGE})"
    assert request.headers["Accept"] == case.accept
    # No validators known yet: an unconditional request.
    assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers


@pytest.mark.parametrize("case", CASES, ids=str)
def test_default_base_url(case: Case) -> None:
    """The public host, list and details, when base_url is not set."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if str(request.url) == case.default_url:
            return httpx.Response(200, content=case.recorded_body())
        if case.details and case.details.matches(request.url.path):
            return httpx.Response(200, content=case.details.body())
        return httpx.Response(404)

    async def go() -> Snapshot:
        async with make_client(transport=httpx.MockTransport(answer)) as client:
            return await fetch_board(client, case.board)

    assert asyncio.run(go()).postings == list(case.recorded)
    assert seen[0] == case.default_url
    assert sorted(seen[1:]) == sorted(case.default_detail_urls)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_base_url_with_a_path_prefix_and_trailing_slash(httpserver: HTTPServer, case: Case) -> None:
    serve_board(httpserver, case, prefix="/mirror/v1")
    snapshot = run_fetch(case.board, case.base(base_url(httpserver), "/mirror/v1") + "/")
    assert [p.external_id for p in snapshot.postings] == [p.external_id for p in case.recorded]
    if case.details:  # each under the prefix too
        assert all(path.startswith("/mirror/v1/") for path in details_asked(httpserver, case))


@pytest.mark.parametrize("case", TEMPLATED, ids=str)
def test_base_url_may_name_the_token(httpserver: HTTPServer, case: Case) -> None:
    serve_board(httpserver, case, prefix=f"/boards/{case.token}")
    snapshot = run_fetch(case.board, base_url(httpserver) + "/boards/{token}")
    assert len(snapshot.postings) == len(case.recorded)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_empty_board(case: Case) -> None:
    assert case.read(case.body([]), case.board) == []


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_empty_first_answer(httpserver: HTTPServer, case: Case) -> None:
    """An empty board is an empty board, except where a board that does not
    exist answers the same (BambooHR, a page without JobPosting): then an
    empty first answer fails in words, and an empty answer after postings is
    an empty board (held as suspect by the store, never a failure)."""
    cache = MemoryCache()
    serve(httpserver, case, case.body([]))
    if not case.empty_unknown:
        snapshot = run_fetch(case.board, case.base(base_url(httpserver)), FetchContext(cache=cache))
        assert snapshot.postings == [] and snapshot.complete
        return
    err = fetch_error(case.board, case.base(base_url(httpserver)), FetchContext(cache=cache))
    assert all(words in str(err) for words in case.empty_unknown)
    assert err.status == 200 and err.transient is False
    httpserver.clear()
    serve_board(httpserver, case)
    assert run_fetch(case.board, case.base(base_url(httpserver)), FetchContext(cache=cache)).postings
    httpserver.clear()
    serve(httpserver, case, case.body([]))
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)), FetchContext(cache=cache))
    assert snapshot.postings == [] and snapshot.complete


@pytest.mark.parametrize("case", CASES, ids=str)
def test_ten_thousand_postings(case: Case) -> None:
    """Every posting comes through, in order, distinct; from the recorded
    job, so the records are realistic in size and shape. No timing
    assertion: the suite's run time is the guard. (A kind that caps one
    answer is filled to its cap.)"""
    size = min(SIZE, case.page_limit or SIZE)
    template = case.jobs(case.recorded_body())[0]
    page = case.page([case.renumber(template, n) for n in range(size)])
    postings = case.parse(page, case.board)
    assert len(postings) == size
    assert len({p.external_id for p in postings}) == size
    assert [p.title for p in postings[:3]] == ["Role 0", "Role 1", "Role 2"]
    assert postings[-1].title == f"Role {size - 1}"
    assert all(p.source == case.kind for p in postings)
