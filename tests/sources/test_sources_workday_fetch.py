"""Workday over real sockets: a local tenant that pages, caps and fails as
real ones do (reach_support.WorkdayTenant), counting list and detail requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from pytest_httpserver import HTTPServer
from werkzeug import Response

from alerts.model import BoardRef
from alerts.sources import FetchContext
from alerts.sources.cache import MemoryCache
from alerts.sources.details import BOARD as BOARD_ENTRY
from alerts.sources.workday.postings import requisition_id, signature

from reach_support import (
    PATIENT_SECONDS,
    WORKDAY_BOARD,
    WorkdayTenant,
    workday_base,
    workday_detail,
    workday_row,
)
from sources_support import FAST, fetch_error, run_fetch

BOARD = BoardRef("workday", WORKDAY_BOARD.split(":", 1)[1])


def fetch(server: HTTPServer, cache: MemoryCache | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
    return run_fetch(
        BOARD, workday_base(server), FetchContext(cache=cache), timeout=PATIENT_SECONDS, **kwargs
    )


def rows(count: int, **fields: Any) -> list[dict[str, Any]]:
    return [workday_row(n, **fields) for n in range(count)]


def known(listed: list[dict[str, Any]]) -> MemoryCache:
    """A settled board's cache holding every row's detail: only the list is asked."""
    cache = MemoryCache({BOARD_ENTRY: (BOARD_ENTRY, {"settled": True})})
    for row in listed:
        shown = {k: v for k, v in row.items() if not k.startswith("_")}
        cache.entries["job:" + requisition_id(shown)] = (signature(shown), {"country": "US"})
    return cache


def test_45_postings_over_3_pages_of_20(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    snapshot = fetch(httpserver, MemoryCache())
    assert len(snapshot.postings) == 45 and snapshot.complete
    # Exactly the careers site's own body, 20 at a time; total only on page 0.
    assert sorted(b["offset"] for b in tenant.bodies) == [0, 20, 40]
    assert all(
        b == {"appliedFacets": {}, "limit": 20, "offset": b["offset"], "searchText": ""}
        for b in tenant.bodies
    )
    assert tenant.asked == {"list": 3, "detail": 45}
    assert snapshot.requests == 48 and snapshot.details == 45
    posting = next(p for p in snapshot.postings if p.external_id == "JR0001009")  # listed as a repost, "-1"
    assert posting.company == "Acme Corporation" and posting.country == "US"
    assert posting.location == "US, CA, Santa Clara" and posting.posted_at is not None


def test_a_steady_poll_costs_the_list_pages_only(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    cache = MemoryCache()
    first = fetch(httpserver, cache)
    for row in tenant.rows:  # the next day: every relative date moved on
        row["postedOn"] = "Posted Yesterday"
    tenant.asked.clear()
    again = fetch(httpserver, cache)
    assert tenant.asked == {"list": 3} and again.requests == 3 and again.details == 0
    assert again.postings == first.postings


def test_details_only_for_new_and_changed_rows(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    cache = MemoryCache()
    fetch(httpserver, cache)
    tenant.rows[3]["title"] = "Staff Engineer 3"
    tenant.rows.append(workday_row(100))
    tenant.rows.pop(10)
    tenant.asked.clear()
    snapshot = fetch(httpserver, cache)
    assert tenant.asked == {"list": 3, "detail": 2}
    assert {p.external_id for p in snapshot.postings} >= {"JR0001100"}
    assert "JR0001010" not in {p.external_id for p in snapshot.postings}
    assert "job:JR0001010" not in cache.entries  # a closed posting's detail is not kept


def test_a_limit_above_20_is_refused_by_the_tenant(httpserver: HTTPServer) -> None:
    WorkdayTenant(httpserver, rows(5))
    answer = httpx.post(
        f"http://127.0.0.1:{httpserver.port}/wday/cxs/acme/Careers/jobs", json={"limit": 50, "offset": 0}
    ).json()
    assert answer["errorCode"] == "HTTP_400"  # the stand-in behaves as a real tenant


def test_a_400_says_the_request_was_refused(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(5))
    tenant.failures[("list", 0)] = Response(
        '{"errorCode":"HTTP_400"}', status=400, content_type="application/json"
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert err.status == 400 and "refused the list request" in str(err)


def test_a_failed_page_2_fails_the_board_and_asks_no_detail(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    tenant.failures[("list", 20)] = Response("oops", status=500)
    err = fetch_error(BOARD, workday_base(httpserver), FetchContext(cache=MemoryCache()))
    assert err.status == 500 and err.transient
    assert tenant.asked["detail"] == 0


def test_429_then_200_is_retried(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    tenant.failures[("list", 20)] = Response("slow down", status=429, headers={"Retry-After": "0"})
    snapshot = fetch(httpserver, retry=FAST)
    assert len(snapshot.postings) == 45 and snapshot.complete
    assert ("list", 20) not in tenant.failures and tenant.asked[
        "list"
    ] >= 4  # the 429 was answered, then retried


def test_unknown_tenant_422(httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data(
        payload_bytes("workday_error_422.json"),
        status=422,
        content_type="application/json;charset=ISO-8859-1",
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert err.status == 422 and not err.transient
    assert "no Workday career site acme/Careers on wd5" in str(err) and "wdN part" in str(err)


def test_unknown_site_404(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data("", status=404)
    err = fetch_error(BOARD, workday_base(httpserver))
    assert "Workday site 'Careers' not found for acme on wd5" in str(err)


def test_a_redirect_is_no_such_site(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data(
        "", status=302, headers={"Location": "https://www.workday.com/en-us/signin.html"}
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert err.status == 302 and "no Workday career site acme/Careers on wd5" in str(err)
    assert "redirects to https://www.workday.com/en-us/signin.html" in str(err)


def test_a_truncated_page_fails(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    tenant.failures[("list", 40)] = Response(
        '{"total": 0, "jobPostings": [{"title": "Eng', content_type="application/json"
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert "truncated" in str(err) and err.transient


def test_an_html_error_page_fails(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data(
        "<html><body>Workday is currently unavailable.</body></html>", content_type="text/html"
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert "HTML page, not JSON" in str(err)


def test_a_refused_detail_leaves_the_list_fields(httpserver: HTTPServer) -> None:
    """The list says what exists: a detail that fails costs its fields, never the posting."""
    tenant = WorkdayTenant(httpserver, rows(45))
    tenant.failures[("detail", 0)] = Response("denied", status=403)
    snapshot = fetch(httpserver, MemoryCache())
    assert len(snapshot.postings) == 45 and snapshot.complete
    assert sum(p.posted_at is None for p in snapshot.postings) == 1


def test_a_host_that_refuses_every_detail_costs_a_few_requests(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    tenant.refuse_details = Response('{"errorCode":"S22","message":"permission denied"}', status=403)
    snapshot = fetch(httpserver, MemoryCache())
    assert len(snapshot.postings) == 45 and snapshot.requests < 3 + 10
    assert any("failed in a row" in note for note in snapshot.notes)


def test_a_settled_board_takes_its_new_postings_in_turns(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(300))
    cache = MemoryCache({BOARD_ENTRY: (BOARD_ENTRY, {"settled": True})})
    snapshot = fetch(httpserver, cache)
    assert tenant.asked["detail"] == 250 and len(snapshot.postings) == 250
    assert not snapshot.complete  # those waiting are not counted missing
    assert any("50 new postings wait for their details" in note for note in snapshot.notes)
    tenant.asked.clear()
    again = fetch(httpserver, cache)
    assert tenant.asked["detail"] == 50 and len(again.postings) == 300 and again.complete


def test_a_tenant_over_the_cap_is_read_by_facet(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(
        httpserver, [workday_row(n, _time="ft" if n % 2 else "pt") for n in range(2500)], facets=True
    )
    snapshot = fetch(httpserver, known(tenant.rows))
    assert len(snapshot.postings) == 2500 and snapshot.complete, snapshot.notes
    assert tenant.asked["list"] == 1 + 63 + 63  # page 0, then each time type whole
    assert {json.dumps(b["appliedFacets"]) for b in tenant.bodies} == {
        "{}",
        '{"timeType": ["ft"]}',
        '{"timeType": ["pt"]}',
    }


def test_a_tenant_over_the_cap_without_a_split_is_incomplete(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(2500))
    snapshot = fetch(httpserver, known(tenant.rows))
    assert len(snapshot.postings) == 2000 and not snapshot.complete
    assert all(b["offset"] < 2000 for b in tenant.bodies)  # never past the cap, where offsets wrap
    assert any("at most 2,000 postings" in note and "counted missing" in note for note in snapshot.notes)


def test_exactly_2000_by_its_own_facets_is_complete(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, [workday_row(n, _time="ft") for n in range(2000)], facets=True)
    snapshot = fetch(httpserver, known(tenant.rows))
    assert snapshot.complete and tenant.asked["list"] == 100


def test_a_board_that_shifts_while_paging_is_incomplete(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(45))
    page = tenant.rows[20:40]
    tenant.failures[("list", 20)] = Response(
        json.dumps({"total": 0, "jobPostings": [page[0]] + page[:19]}), content_type="application/json"
    )
    snapshot = fetch(httpserver)
    assert not snapshot.complete and len(snapshot.postings) == 44
    assert any("changed while paging" in note for note in snapshot.notes)


def test_the_detail_url_is_the_externalpath_under_the_site(httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, rows(1))
    tenant.details[tenant.rows[0]["externalPath"]] = workday_detail(tenant.rows[0], remoteType="Remote")
    [posting] = fetch(httpserver).postings
    assert posting.url == "https://acme.wd5.myworkdayjobs.com/Careers" + tenant.rows[0]["externalPath"]
