"""Every way a fetch of any kind can fail (contract.py): one SourceError
that names the board, carries the HTTP status and says whether trying again
may help; a failed list asks for no detail. And what a kind does with
validators and redirects."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from pytest_httpserver import HTTPServer

from alerts.sources import FetchContext, Validators

from contract import BODY_CASES, CASES, DETAILED, PARSED, STATUS_CASES
from sources_support import (
    FAST,
    Case,
    DetailPaths,
    base_url,
    details_asked,
    fetch_error,
    run_fetch,
    serve,
    serve_board,
    serve_details,
)


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
    err = fetch_error(case.board, case.base(base_url(httpserver)))
    assert err.status == status and f"(HTTP {status})" in str(err)
    assert err.transient is transient
    assert all(words in str(err) for words in case.words(status, says))
    assert case.path in str(err) or status in case.url_not_shown  # the URL, so the user can try it
    assert err.retry_after is None
    # The policy here allows one try: one request, whatever the status; no detail.
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
    err = fetch_error(case.board, case.base(base_url(httpserver)))
    assert err.status == 200 and err.transient is transient
    assert says in str(err)
    assert len(httpserver.log) == 1  # no detail


@pytest.mark.parametrize("case", PARSED, ids=str)
def test_truncated_body(httpserver: HTTPServer, case: Case) -> None:
    body = case.recorded_body()
    for cut in (len(body) // 2, len(body) - 3, 1):
        httpserver.clear()
        serve(httpserver, case, body[:cut])
        err = fetch_error(case.board, case.base(base_url(httpserver)))
        assert "truncated" in str(err), cut
        assert err.status == 200 and err.transient is True
        assert len(httpserver.log) == 1  # no detail


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_connection_cut_mid_body(cut_off_server: str, case: Case) -> None:
    """The server promises more than it sends and hangs up."""
    err = fetch_error(case.board, case.base(cut_off_server))
    assert "request to" in str(err) and "failed" in str(err)
    assert err.status is None and err.transient is True
    assert isinstance(err.__cause__, httpx.RemoteProtocolError)


@pytest.mark.parametrize("case", [case for case in CASES if case.wrong_shape is not None], ids=str)
def test_wrong_shape(httpserver: HTTPServer, case: Case) -> None:
    assert case.wrong_shape is not None
    serve(httpserver, case, case.wrong_shape)
    err = fetch_error(case.board, case.base(base_url(httpserver)))
    assert err.status == 200 and err.transient is False
    assert "expected" in str(err) and f"is base_url right for {case.kind}?" in str(err)


@pytest.mark.parametrize("case", [case for case in CASES if case.no_id is not None], ids=str)
def test_a_job_without_id_fails_the_board(httpserver: HTTPServer, case: Case) -> None:
    assert case.no_id is not None
    body, says = case.no_id
    serve(httpserver, case, body)
    err = fetch_error(case.board, case.base(base_url(httpserver)))
    assert says in str(err)
    assert err.status == 200 and err.transient is False


@pytest.mark.parametrize("case", CASES, ids=str)
def test_connection_refused(closed_port: int, case: Case) -> None:
    err = fetch_error(case.board, case.base(f"http://127.0.0.1:{closed_port}"))
    assert "could not connect" in str(err) and f"127.0.0.1:{closed_port}" in str(err)
    assert "refused" in str(err).lower()
    assert err.status is None and err.transient is True
    assert isinstance(err.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rate_limited_then_served(httpserver: HTTPServer, case: Case) -> None:
    httpserver.expect_ordered_request(case.path, method=case.method).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    serve_board(httpserver, case)
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)), retry=FAST)
    details = len(case.details.paths) if case.details else 0
    assert snapshot.postings == list(case.recorded) and snapshot.requests == 2 + details
    assert snapshot.details == details


@pytest.mark.parametrize("case", DETAILED, ids=str)
def test_a_failed_detail_costs_its_fields_only(httpserver: HTTPServer, case: Case) -> None:
    """The list says what exists: a detail that fails costs that posting its
    detail's fields, never the posting; and the next poll asks in full (a
    304 would hide the owed detail)."""
    assert case.details is not None and case.listed is not None
    serve(httpserver, case, case.recorded_body(), headers={"ETag": '"v1"'})
    httpserver.expect_oneshot_request(case.details.paths[0]).respond_with_data("denied", status=403)
    serve_details(httpserver, case)  # the others
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)))
    assert len(snapshot.postings) == len(case.recorded) and snapshot.complete
    # The one whose detail failed as the list alone gives it (the company is
    # the board's, from any detail that names it); the others whole.
    [failed] = [p.external_id for p in case.recorded if p.external_id in case.details.paths[0]]
    expected = {p.external_id: p for p in case.recorded}
    listed = {p.external_id: p for p in case.listed}[failed]
    expected[failed] = replace(listed, company=expected[failed].company)
    assert snapshot.postings == list(expected.values())
    assert sorted(details_asked(httpserver, case)) == sorted(case.details.paths)  # each once
    assert not snapshot.validators


@pytest.mark.parametrize("case", DETAILED, ids=str)
def test_every_detail_failing_leaves_the_list(httpserver: HTTPServer, case: Case) -> None:
    assert case.details is not None
    serve(httpserver, case, case.recorded_body(), headers={"ETag": '"v1"'})
    httpserver.expect_request(DetailPaths(case.details), method="GET").respond_with_data("oops", status=500)
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)))
    assert snapshot.postings == list(case.listed or ()) and snapshot.complete
    assert not snapshot.validators


@pytest.mark.parametrize("case", CASES, ids=str)
def test_conditional_requests(httpserver: HTTPServer, case: Case) -> None:
    """A board answered by one request sends the validators it got; a paged
    board cannot: no validator speaks for every page."""
    body = case.recorded_body()
    if case.conditional:
        # Each answered once: the first request unconditional, the second with the ETag.
        httpserver.expect_oneshot_request(case.path, headers={"If-None-Match": 'W/"v1"'}).respond_with_data(
            "", status=304
        )
        httpserver.expect_oneshot_request(case.path).respond_with_data(body, headers={"ETag": 'W/"v1"'})
        serve_details(httpserver, case)  # the first answer's
        first = run_fetch(case.board, case.base(base_url(httpserver)))
        assert first.validators == Validators(etag='W/"v1"') and not first.not_modified
        second = run_fetch(
            case.board, case.base(base_url(httpserver)), FetchContext(validators=first.validators)
        )
        assert second.not_modified and second.postings == [] and second.validators == first.validators
        assert second.requests == 1
        httpserver.check_assertions()
        assert not httpserver.oneshot_handlers
    else:
        serve_board(httpserver, case, headers={"ETag": '"page"'})
        snapshot = run_fetch(
            case.board, case.base(base_url(httpserver)), FetchContext(validators=Validators(etag='"old"'))
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
    serve_board(httpserver, case, prefix="/moved")
    if case.follows_redirects:
        snapshot = run_fetch(case.board, case.base(base_url(httpserver)))
        assert len(snapshot.postings) == len(case.recorded) and snapshot.requests == 2
        return
    err = fetch_error(case.board, case.base(base_url(httpserver)))
    assert err.status == 307 and err.transient is False
    assert all(words in str(err) for words in case.words(307, repr(case.token)))
    assert f"redirects to /moved{case.path}" in str(err)
    assert len(httpserver.log) == 1  # not followed
