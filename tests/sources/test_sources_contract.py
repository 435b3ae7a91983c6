"""Every source kind through the contract table (contract.py): the shared
client against a real local server, the recorded payload normalised,
paging, and every way a fetch can fail: one SourceError that names the
board, carries the HTTP status and says whether trying again may help."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

import alerts
from alerts.boards import KINDS
from alerts.model import BoardRef
from alerts.sources import SOURCES, FetchContext, Snapshot, Source, Validators, fetch_board, make_client

from contract import BODY_CASES, CASES, PAGED, STATUS_CASES, TEMPLATED, WORK_MODELS
from sources_support import FAST, Case, base_url, fetch_error, run_fetch

SIZE = 10_000


def serve(
    server: HTTPServer, case: Case, body: bytes, *, prefix: str = "", status: int = 200, **kw: Any
) -> None:
    content_type = "text/xml" if case.format == "xml" else "application/json"
    server.expect_request(prefix + case.path, query_string=case.query).respond_with_data(
        body, status=status, content_type=content_type, **kw
    )


def test_every_kind_is_in_the_table() -> None:
    assert [case.kind for case in CASES] and {case.kind for case in CASES} == set(SOURCES) == set(KINDS)
    for case in CASES:
        source = SOURCES[case.kind]
        assert isinstance(source, Source) and source.kind == case.kind
        assert source.default_base_url == case.default_base_url
        # Only bluedoor has an incremental mode (pacing reads this flag).
        assert source.incremental is case.incremental


@pytest.mark.parametrize("case", CASES, ids=str)
def test_recorded_payload_over_http(httpserver: HTTPServer, case: Case) -> None:
    body = case.recorded_body()
    serve(httpserver, case, body)
    snapshot = run_fetch(case.board, base_url(httpserver))
    assert snapshot.postings == list(case.recorded) == case.read(body, case.board)
    assert [p.raw for p in snapshot.postings] == case.jobs(body)  # the job as received
    assert all(p.source == case.kind and p.board_token == case.token for p in snapshot.postings)
    assert snapshot.complete and not snapshot.not_modified and snapshot.requests == 1
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == f"alerts/{alerts.__version__} (+{alerts.HOMEPAGE})"
    assert request.headers["Accept"] == case.accept
    # No validators known yet: an unconditional request.
    assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers


@pytest.mark.parametrize("case", CASES, ids=str)
def test_default_base_url(case: Case) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=case.body([]))

    async def go() -> Snapshot:
        async with make_client(transport=httpx.MockTransport(answer)) as client:
            return await fetch_board(client, case.board)

    assert asyncio.run(go()).postings == []
    assert seen == [case.default_url]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_base_url_with_a_path_prefix_and_trailing_slash(httpserver: HTTPServer, case: Case) -> None:
    serve(httpserver, case, case.recorded_body(), prefix="/mirror/v1")
    snapshot = run_fetch(case.board, base_url(httpserver) + "/mirror/v1/")
    assert [p.external_id for p in snapshot.postings] == [p.external_id for p in case.recorded]


@pytest.mark.parametrize("case", TEMPLATED, ids=str)
def test_base_url_may_name_the_token(httpserver: HTTPServer, case: Case) -> None:
    serve(httpserver, case, case.recorded_body(), prefix=f"/boards/{case.token}")
    snapshot = run_fetch(case.board, base_url(httpserver) + "/boards/{token}")
    assert len(snapshot.postings) == len(case.recorded)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_empty_board(case: Case) -> None:
    assert case.read(case.body([]), case.board) == []


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize(
    ("status", "body", "content_type", "transient", "says"),
    STATUS_CASES,
    ids=[f"{row[0]}-{row[2]}" for row in STATUS_CASES],
)
def test_http_status(
    httpserver: HTTPServer,
    case: Case,
    status: int,
    body: bytes,
    content_type: str,
    transient: bool,
    says: str,
) -> None:
    httpserver.expect_request(case.path).respond_with_data(body, status=status, content_type=content_type)
    err = fetch_error(case.board, base_url(httpserver))
    assert err.status == status and f"(HTTP {status})" in str(err)
    assert err.transient is transient
    assert case.says.get(status, says) in str(err)
    assert case.path in str(err) or status in case.url_not_shown  # the URL, so the user can try it
    assert err.retry_after is None
    # The policy here allows one try: one request, whatever the status.
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("case", "body", "content_type", "transient", "says"),
    [(case, *row[1:]) for case in CASES for row in BODY_CASES[case.format]],
    ids=[f"{case}-{row[0]}" for case in CASES for row in BODY_CASES[case.format]],
)
def test_unreadable_body(
    httpserver: HTTPServer, case: Case, body: bytes, content_type: str, transient: bool, says: str
) -> None:
    httpserver.expect_request(case.path).respond_with_data(body, content_type=content_type)
    err = fetch_error(case.board, base_url(httpserver))
    assert err.status == 200 and err.transient is transient
    assert says in str(err)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_truncated_body(httpserver: HTTPServer, case: Case) -> None:
    body = case.recorded_body()
    for cut in (len(body) // 2, len(body) - 3, 1):
        httpserver.clear()
        serve(httpserver, case, body[:cut])
        err = fetch_error(case.board, base_url(httpserver))
        assert "truncated" in str(err), cut
        assert err.status == 200 and err.transient is True


@pytest.mark.parametrize("case", CASES, ids=str)
def test_wrong_shape(httpserver: HTTPServer, case: Case) -> None:
    serve(httpserver, case, case.wrong_shape)
    err = fetch_error(case.board, base_url(httpserver))
    assert err.status == 200 and err.transient is False
    assert "expected" in str(err) and f"is base_url right for {case.kind}?" in str(err)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_job_without_id_fails_the_board(httpserver: HTTPServer, case: Case) -> None:
    body, says = case.no_id
    serve(httpserver, case, body)
    err = fetch_error(case.board, base_url(httpserver))
    assert says in str(err)
    assert err.status == 200 and err.transient is False


@pytest.mark.parametrize("case", CASES, ids=str)
def test_connection_refused(closed_port: int, case: Case) -> None:
    err = fetch_error(case.board, f"http://127.0.0.1:{closed_port}")
    assert "could not connect" in str(err) and f"127.0.0.1:{closed_port}" in str(err)
    assert "refused" in str(err).lower()
    assert err.status is None and err.transient is True
    assert isinstance(err.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rate_limited_then_served(httpserver: HTTPServer, case: Case) -> None:
    httpserver.expect_ordered_request(case.path).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    serve(httpserver, case, case.recorded_body())
    snapshot = run_fetch(case.board, base_url(httpserver), retry=FAST)
    assert snapshot.postings == list(case.recorded) and snapshot.requests == 2


@pytest.mark.parametrize("case", CASES, ids=str)
def test_conditional_requests(httpserver: HTTPServer, case: Case) -> None:
    """A board answered by one request sends the validators it got; a paged
    board cannot: no validator speaks for every page."""
    body = case.body([])
    if case.conditional:
        httpserver.expect_ordered_request(case.path).respond_with_data(body, headers={"ETag": 'W/"v1"'})
        httpserver.expect_ordered_request(case.path, headers={"If-None-Match": 'W/"v1"'}).respond_with_data(
            "", status=304
        )
        first = run_fetch(case.board, base_url(httpserver))
        assert first.validators == Validators(etag='W/"v1"') and not first.not_modified
        second = run_fetch(case.board, base_url(httpserver), FetchContext(validators=first.validators))
        assert second.not_modified and second.postings == [] and second.validators == first.validators
        assert second.requests == 1
        httpserver.check_assertions()
    else:
        serve(httpserver, case, body, headers={"ETag": '"page"'})
        snapshot = run_fetch(
            case.board, base_url(httpserver), FetchContext(validators=Validators(etag='"old"'))
        )
        request, _ = httpserver.log[0]
        assert "If-None-Match" not in request.headers
        assert snapshot.validators == Validators() and not snapshot.validators


@pytest.mark.parametrize("case", CASES, ids=str)
def test_redirects(httpserver: HTTPServer, case: Case) -> None:
    """Followed (and counted) where a host may move its API; where it never
    does, a redirect is that host's way of saying "no such board"."""
    query = f"?{case.query}" if case.query else ""
    httpserver.expect_request(case.path).respond_with_data(
        "", status=301 if case.follows_redirects else 307, headers={"Location": f"/moved{case.path}{query}"}
    )
    serve(httpserver, case, case.recorded_body(), prefix="/moved")
    if case.follows_redirects:
        snapshot = run_fetch(case.board, base_url(httpserver))
        assert len(snapshot.postings) == len(case.recorded) and snapshot.requests == 2
        return
    err = fetch_error(case.board, base_url(httpserver))
    assert err.status == 307 and err.transient is False
    assert repr(case.token) in str(err) and f"redirects to /moved{case.path}" in str(err)
    assert len(httpserver.log) == 1  # not followed


@pytest.mark.parametrize("case", CASES, ids=str)
def test_ten_thousand_postings(case: Case) -> None:
    """Every posting comes through, in order, distinct; from the recorded
    job, so the records are realistic in size and shape. No timing
    assertion: the suite's run time is the guard."""
    template = case.jobs(case.recorded_body())[0]
    page = case.page([case.renumber(template, n) for n in range(SIZE)])
    postings = case.parse(page, BoardRef(case.kind, "big"))
    assert len(postings) == SIZE
    assert len({p.external_id for p in postings}) == SIZE
    assert [p.title for p in postings[:3]] == ["Role 0", "Role 1", "Role 2"]
    assert postings[-1].title == f"Role {SIZE - 1}"
    assert all(p.source == case.kind for p in postings)


# --- paged kinds -----------------------------------------------------------------


def _serve_pages(server: HTTPServer, case: Case, jobs: list[Any]) -> list[Any]:
    assert case.pages is not None
    pages = case.pages(base_url(server), jobs)
    for page in pages:
        server.expect_ordered_request(page.path or case.path, query_string=page.query).respond_with_data(
            page.body, content_type="application/json"
        )
    return pages


def _numbered(case: Case, count: int) -> list[Any]:
    template = case.jobs(case.recorded_body())[0]
    return [case.renumber(template, n) for n in range(count)]


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_pages_are_followed_to_the_end(httpserver: HTTPServer, case: Case) -> None:
    pages = _serve_pages(httpserver, case, _numbered(case, 250))
    assert len(pages) == 3
    snapshot = run_fetch(case.board, base_url(httpserver))
    assert [p.title for p in snapshot.postings] == [f"Role {n}" for n in range(250)]
    assert snapshot.complete and snapshot.requests == 3 and snapshot.validators == Validators()
    httpserver.check_assertions()


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_a_failed_second_page_fails_the_whole_board(httpserver: HTTPServer, case: Case) -> None:
    first, second, _ = _serve_pages(httpserver, case, _numbered(case, 250))
    httpserver.clear()
    httpserver.expect_request(case.path, query_string=first.query).respond_with_data(first.body)
    httpserver.expect_request(second.path or case.path, query_string=second.query).respond_with_data(
        "oops", status=500
    )
    err = fetch_error(case.board, base_url(httpserver), retry=FAST)
    assert err.status == 500 and err.transient is True
    assert second.query.split("&")[-1] in str(err)  # the page's URL


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_a_truncated_second_page_fails_the_whole_board(httpserver: HTTPServer, case: Case) -> None:
    first, second, _ = _serve_pages(httpserver, case, _numbered(case, 250))
    httpserver.clear()
    httpserver.expect_request(case.path, query_string=first.query).respond_with_data(first.body)
    httpserver.expect_request(second.path or case.path, query_string=second.query).respond_with_data(
        second.body[: len(second.body) // 2]
    )
    err = fetch_error(case.board, base_url(httpserver))
    assert "truncated" in str(err) and err.transient is True


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_a_rate_limited_second_page_is_retried(httpserver: HTTPServer, case: Case) -> None:
    first, second = _serve_pages(httpserver, case, _numbered(case, 150))
    httpserver.clear()
    httpserver.expect_ordered_request(case.path, query_string=first.query).respond_with_data(first.body)
    httpserver.expect_ordered_request(second.path or case.path, query_string=second.query).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(second.path or case.path, query_string=second.query).respond_with_data(
        second.body
    )
    snapshot = run_fetch(case.board, base_url(httpserver), retry=FAST)
    assert len(snapshot.postings) == 150 and snapshot.requests == 3


# --- work models -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fields", "expected"),
    [(row[0], row[2], row[3]) for row in WORK_MODELS],
    ids=[f"{row[0]}: {row[1]}" for row in WORK_MODELS],
)
def test_work_model(case: Case, fields: dict[str, Any], expected: str) -> None:
    """Structured fields first, location or office text second, "unknown"
    when neither says."""
    [posting] = case.read(case.body([case.job(fields)]), BoardRef(case.kind, "b"))
    assert posting.work_model == expected


def test_every_kind_has_work_model_rows() -> None:
    for case in CASES:
        # ... with at least the unknown case and one structured or textual hit.
        found = {row[2] for row in case.work_models}
        assert found >= {"remote", "unknown"} or case.kind == "lever-eu", case.kind
