"""The list request of each detail-based JSON kind, failing every way a
fetch fails: one SourceError naming the board, and no detail asked for."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer

from alerts.model import BoardRef
from alerts.sources import FetchContext
from alerts.sources.cache import MemoryCache

from reach_support import Under
from sources_support import FAST, base_url, fetch_error, run_fetch

# kind, token, list path, base_url suffix, recorded list, detail path prefix
KINDS = [
    (
        "workday",
        "acme.wd5/Careers",
        "/wday/cxs/acme/Careers/jobs",
        "/wday/cxs/{tenant}/{site}",
        "workday_salesforce.json",
        "/wday/cxs/acme/Careers/job/",
    ),
    ("bamboohr", "acme", "/careers/list", "", "bamboohr_list.json", "/careers/8"),
    ("rippling", "acme", "/acme/jobs", "", "rippling_list.json", "/acme/jobs/"),
]
HTML = b"<!DOCTYPE html><html><body><h1>We'll be right back</h1></body></html>"


@pytest.fixture(params=KINDS, ids=[k[0] for k in KINDS])
def kind(request: pytest.FixtureRequest, httpserver: HTTPServer):  # type: ignore[no-untyped-def]
    name, token, path, suffix, recorded, details = request.param
    asked: list[str] = []
    httpserver.expect_request(Under(details)).respond_with_handler(lambda r: asked.append(r.path) or None)
    return BoardRef(name, token), path, base_url(httpserver) + suffix, recorded, asked


CASES = [
    ("truncated", b'{"total": 3, "jobPostings": [{"title": "Eng', "application/json", 200, True, "truncated"),
    ("html page", HTML, "text/html", 200, False, "HTML page, not JSON"),
    ("html error page", HTML, "text/html", 503, True, "server error"),
    ("empty body", b"", "application/json", 200, True, "empty body"),
    ("forbidden", b"denied", "text/plain", 403, False, ""),
]


@pytest.mark.parametrize(
    ("case", "body", "content_type", "status", "transient", "says"), CASES, ids=[c[0] for c in CASES]
)
def test_a_failed_list(
    httpserver: HTTPServer,
    kind,
    case: str,
    body: bytes,
    content_type: str,
    status: int,
    transient: bool,
    says: str,
) -> None:  # type: ignore[no-untyped-def]
    board, path, url, _, asked = kind
    httpserver.expect_request(path).respond_with_data(body, status=status, content_type=content_type)
    err = fetch_error(board, url, FetchContext(cache=MemoryCache()))
    assert err.transient is transient and says in str(err) and err.status == status
    assert asked == []


def test_429_then_200(httpserver: HTTPServer, kind, payload_bytes: Callable[[str], bytes]) -> None:  # type: ignore[no-untyped-def]
    board, path, url, recorded, _ = kind
    httpserver.expect_ordered_request(path).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(path).respond_with_data(
        payload_bytes(recorded), content_type="application/json"
    )
    snapshot = run_fetch(board, url, retry=FAST)
    assert snapshot.postings and snapshot.complete
    assert snapshot.requests >= 2  # the retry counts; the details (refused here) count too
