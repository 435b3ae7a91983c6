"""The contract table (contract.py), continued: paged kinds read every page
(asked the way the API wants), and fail whole when a page fails; and one
table of work models across every kind."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.sources import Validators

from contract import CASES, PAGED, WORK_MODELS
from sources_support import (
    FAST,
    Case,
    Page,
    base_url,
    details_asked,
    fetch_error,
    run_fetch,
    serve_details,
)


def _asked(case: Case, page: Page) -> dict[str, Any]:
    """How the page is asked for: path, query and, where the API wants it, body."""
    asked = {"uri": page.path or case.path, "query_string": page.query, "method": case.method}
    return asked if page.json is None else {**asked, "json": page.json}


def _expect(server: HTTPServer, case: Case, page: Page, **respond: Any) -> None:
    """One page, asked for once; in order where the kind pages one by one."""
    expect = server.expect_ordered_request if case.pages_in_order else server.expect_oneshot_request
    expect(**_asked(case, page)).respond_with_data(
        **{"response_data": page.body, "content_type": "application/json", **respond}
    )


def _pages(server: HTTPServer, case: Case, jobs: list[Any]) -> list[Page]:
    assert case.pages is not None
    return case.pages(case.base(base_url(server)), jobs)


def _numbered(case: Case, pages: float) -> list[Any]:
    """Jobs enough for this many pages of the kind."""
    template = case.jobs(case.recorded_body())[0]
    return [case.renumber(template, n) for n in range(int(case.page_size * pages))]


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_pages_are_followed_to_the_end(httpserver: HTTPServer, case: Case) -> None:
    jobs = _numbered(case, 2.5)
    pages = _pages(httpserver, case, jobs)
    assert len(pages) == 3
    for page in pages:
        _expect(httpserver, case, page)
    serve_details(httpserver, case)
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)), timeout=60)
    assert [p.title for p in snapshot.postings] == [f"Role {n}" for n in range(len(jobs))]
    details = len(jobs) if case.details else 0  # each new posting's detail, once
    assert snapshot.complete and snapshot.requests == 3 + details and snapshot.details == details
    assert len(details_asked(httpserver, case)) == details
    assert snapshot.validators == Validators()
    httpserver.check_assertions()
    assert not httpserver.oneshot_handlers and not httpserver.ordered_handlers  # every page, once


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_a_failed_second_page_fails_the_whole_board(httpserver: HTTPServer, case: Case) -> None:
    first, second, third = _pages(httpserver, case, _numbered(case, 2.5))
    for page in (first, third):
        httpserver.expect_request(**_asked(case, page)).respond_with_data(page.body)
    httpserver.expect_request(**_asked(case, second)).respond_with_data("oops", status=500)
    err = fetch_error(case.board, case.base(base_url(httpserver)), retry=FAST)
    assert err.status == 500 and err.transient is True
    assert second.query.split("&")[-1] in str(err) and (second.path or case.path) in str(
        err
    )  # the page's URL
    assert details_asked(httpserver, case) == []


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_a_truncated_second_page_fails_the_whole_board(httpserver: HTTPServer, case: Case) -> None:
    first, second, third = _pages(httpserver, case, _numbered(case, 2.5))
    for page in (first, third):
        httpserver.expect_request(**_asked(case, page)).respond_with_data(page.body)
    httpserver.expect_request(**_asked(case, second)).respond_with_data(second.body[: len(second.body) // 2])
    err = fetch_error(case.board, case.base(base_url(httpserver)))
    assert "truncated" in str(err) and err.transient is True
    assert details_asked(httpserver, case) == []


@pytest.mark.parametrize("case", PAGED, ids=str)
def test_a_rate_limited_second_page_is_retried(httpserver: HTTPServer, case: Case) -> None:
    jobs = _numbered(case, 1.5)
    first, second = _pages(httpserver, case, jobs)
    _expect(httpserver, case, first)
    _expect(httpserver, case, second, response_data="slow down", status=429, headers={"Retry-After": "0"})
    _expect(httpserver, case, second)
    serve_details(httpserver, case)
    snapshot = run_fetch(case.board, case.base(base_url(httpserver)), retry=FAST, timeout=60)
    details = len(jobs) if case.details else 0
    assert len(snapshot.postings) == len(jobs) and snapshot.requests == 3 + details
    assert snapshot.complete
    httpserver.check_assertions()


# --- work models -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fields", "expected"),
    [(row[0], row[2], row[3]) for row in WORK_MODELS],
    ids=[f"{row[0]}: {row[1]}" for row in WORK_MODELS],
)
def test_work_model(case: Case, fields: dict[str, Any], expected: str) -> None:
    """Structured fields first, location or office text second, "unknown"
    when neither says."""
    [posting] = case.read(case.body([case.job(fields)]), case.board)
    assert posting.work_model == expected


def test_every_kind_has_work_model_rows() -> None:
    for case in CASES:
        # ... with at least the unknown case and one structured or textual hit.
        found = {row[2] for row in case.work_models}
        assert found >= {"remote", "unknown"} or case.kind == "lever-eu", case
