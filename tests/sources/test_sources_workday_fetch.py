"""Workday over real sockets: a local tenant that pages, caps and fails as
real ones do (reach_support.WorkdayTenant), counting list and detail
requests. Paging by 20, the statuses and bodies every kind fails on, and a
failed detail are the contract table's (test_sources_contract*.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef
from alerts.sources import FetchContext
from alerts.sources.cache import MemoryCache
from alerts.sources.details import BOARD as BOARD_ENTRY
from alerts.sources.workday import postings as workday_postings
from alerts.sources.workday.keys import requisition_id
from alerts.sources.workday.postings import signature

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


def test_a_reposted_row_gets_its_own_detail(httpserver: HTTPServer) -> None:
    # Paging by 20 with the site's own body, and details asked and merged,
    # are the contract table's (test_sources_contract_pages.py).
    WorkdayTenant(httpserver, rows(10))
    snapshot = fetch(httpserver, MemoryCache())
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


def test_the_pay_a_description_states_is_read_once_and_cached(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = WorkdayTenant(httpserver, rows(3))
    descriptions = (
        "<p>Build things.</p><p>Pay range: $152,000 - $287,500 USD per year.</p>",
        "<p>The base salary range is 148,000 USD - 235,750 USD for Level 3, "
        "and 184,000 USD - 287,500 USD for Level 4.</p>",  # which one? none
        "<p>No pay stated.</p>",
    )
    for row, text in zip(tenant.rows, descriptions, strict=True):
        tenant.details[row["externalPath"]] = workday_detail(row, jobDescription=text)
    cache = MemoryCache()
    first = fetch(httpserver, cache)
    pay = {
        p.external_id: (p.salary_min, p.salary_max, p.salary_currency, p.salary_period)
        for p in first.postings
    }
    assert pay == {
        "JR0001000": (152000.0, 287500.0, "USD", "year"),
        "JR0001001": (None, None, None, None),
        "JR0001002": (None, None, None, None),
    }
    assert cache.entries["job:JR0001000"][1]["salary"] == [
        152000.0,
        287500.0,
        "USD",
        "year",
    ]  # with the detail

    def read_again(*args: Any) -> Any:
        raise AssertionError("a steady poll read a description")

    monkeypatch.setattr(workday_postings, "salary_in_prose", read_again)
    tenant.asked.clear()
    again = fetch(httpserver, cache)
    assert tenant.asked == {"list": 1} and again.postings == first.postings  # the pay from the cache


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


def test_unknown_tenant_422(httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data(
        payload_bytes("workday_error_422.json"),
        status=422,
        content_type="application/json;charset=ISO-8859-1",
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert err.status == 422 and not err.transient
    assert "no Workday career site acme/Careers on wd5" in str(err) and "wdN part" in str(err)
    assert f"{workday_base(httpserver).split('/wday')[0]}/wday/cxs/acme/Careers/jobs" in str(err)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_a_refusal_names_the_url_without_its_password(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data(
        json.dumps({"errorCode": f"HTTP_{status}"}), status=status, content_type="application/json"
    )
    base = workday_base(httpserver).replace("http://", "http://proxy:hunter2@")  # a proxy's password
    err = fetch_error(BOARD, base)
    assert err.status == status
    assert f"http://127.0.0.1:{httpserver.port}/wday/cxs/acme/Careers/jobs" in str(err)
    assert "hunter2" not in str(err) and "proxy" not in str(err)


def test_a_redirect_is_no_such_site(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/wday/cxs/acme/Careers/jobs").respond_with_data(
        "", status=302, headers={"Location": "https://www.workday.com/en-us/signin.html"}
    )
    err = fetch_error(BOARD, workday_base(httpserver))
    assert err.status == 302 and "no Workday career site acme/Careers on wd5" in str(err)
    assert "redirects to https://www.workday.com/en-us/signin.html" in str(err)


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


class RateLimitingTenant(WorkdayTenant):
    """A tenant whose WAF starts answering 429 (no Retry-After) to detail
    requests after the first 10, as bot protection does."""

    def _detail(self, request: Request) -> Response:
        if self.asked["detail"] >= 10:
            self.asked["detail"] += 1
            return Response("Too Many Requests", status=429)
        return super()._detail(request)


def test_a_host_that_starts_rate_limiting_details_is_left_alone(httpserver: HTTPServer) -> None:
    rows = [workday_row(n) for n in range(100)]
    tenant = RateLimitingTenant(httpserver, rows)
    run_fetch(
        BOARD,
        workday_base(httpserver),
        FetchContext(cache=MemoryCache()),
        retry=FAST,
        timeout=PATIENT_SECONDS,
    )
    # "Polite by default": a host saying 429 is asked a few more times, not
    # for every remaining detail three times over. On main the give-up only
    # counts failures before the first success: 10 + 90 x 3 = 280 requests.
    assert tenant.asked["detail"] <= 10 + 5 * 3, tenant.asked
