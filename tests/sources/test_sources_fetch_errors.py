"""Every way a fetch can fail becomes one SourceError that names the board,
carries the HTTP status, and says whether trying again may help."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef

from sources_support import fetch_error

# kind, token, recorded payload, request path, the wrong top-level shape
# (bluedoor has its own words for these: test_sources_bluedoor.py)
KINDS = [
    ("greenhouse", "vercel", "greenhouse_vercel.json", "/boards/vercel/jobs", b"[]"),
    ("lever", "spotify", "lever_spotify.json", "/postings/spotify", b'{"postings": []}'),
    ("lever-eu", "spotify", "lever_spotify.json", "/postings/spotify", b'{"postings": []}'),
    ("ashby", "linear", "ashby_linear.json", "/job-board/linear", b'[{"id": "x"}]'),
    ("smartrecruiters", "Ubisoft2", "smartrecruiters_ubisoft2.json", "/companies/Ubisoft2/postings", b"[]"),
    ("workable", "huckberry", "workable_huckberry.json", "/widget/accounts/huckberry", b'{"offers": []}'),
    ("recruitee", "channable", "recruitee_channable.json", "/offers/", b'{"jobs": []}'),
]
KIND_IDS = [kind for kind, *_ in KINDS]
# Each kind's list of one job without an id, and the key it should have had.
NO_ID = {
    "greenhouse": (b'{"jobs": [{"title": "A"}]}', "id"),
    "lever": (b'[{"text": "A"}]', "id"),
    "lever-eu": (b'[{"text": "A"}]', "id"),
    "ashby": (b'{"jobs": [{"title": "A", "isListed": true}]}', "id"),
    "smartrecruiters": (b'{"offset": 0, "limit": 100, "totalFound": 1, "content": [{"name": "A"}]}', "id"),
    "workable": (b'{"jobs": [{"title": "A", "telecommuting": true}]}', "shortcode"),
    "recruitee": (b'{"offers": [{"title": "A"}]}', "id"),
}

HTML_PAGE = b"<!DOCTYPE html><html><body><h1>We'll be right back</h1></body></html>"


@pytest.fixture(params=KINDS, ids=KIND_IDS)
def kind(request: pytest.FixtureRequest) -> tuple[BoardRef, str, str, bytes]:
    name, token, fixture, path, wrong_shape = request.param
    return BoardRef(name, token), fixture, path, wrong_shape


# status, body, content type, transient, words the message must hold
STATUS_CASES = [
    (404, b'{"status":404,"error":"Job not found"}', "application/json", False, "board not found"),
    (404, b"Not Found", "text/plain", False, "check the board token"),
    (410, b"", "text/plain", False, "board not found"),
    (403, b"denied", "text/plain", False, "access denied"),
    (400, b"{}", "application/json", False, "unexpected answer"),
    (429, b"slow down", "text/plain", True, "rate limited"),
    (500, b"oops", "text/plain", True, "server error"),
    (503, HTML_PAGE, "text/html", True, "server error"),
]


@pytest.mark.parametrize(
    ("status", "body", "content_type", "transient", "says"),
    STATUS_CASES,
    ids=[f"{case[0]}-{case[2]}" for case in STATUS_CASES],
)
def test_http_status(
    httpserver: HTTPServer,
    kind: tuple[BoardRef, str, str, bytes],
    status: int,
    body: bytes,
    content_type: str,
    transient: bool,
    says: str,
) -> None:
    board, _, path, _ = kind
    httpserver.expect_request(path).respond_with_data(body, status=status, content_type=content_type)
    err = fetch_error(board, f"http://127.0.0.1:{httpserver.port}")
    assert err.status == status and f"(HTTP {status})" in str(err)
    assert err.transient is transient
    assert says in str(err)
    assert path in str(err)  # the URL, so the user can try it
    assert err.retry_after is None
    # The policy here allows one try: one request, whatever the status.
    assert len(httpserver.log) == 1


# body, content type, transient, words the message must hold
BODY_CASES = [
    ("html page", HTML_PAGE, "text/html; charset=utf-8", False, "returned an HTML page"),
    ("html page sent as json", b"\n  <html>login</html>", "application/json", False, "HTML page"),
    ("empty body", b"", "application/json", True, "empty body"),
    ("not json", b"jobs: none", "text/plain", False, "invalid JSON"),
    ("python repr", b"{'jobs': []}", "application/json", False, "invalid JSON"),
    ("not utf-8", b'{"jobs": ["\xff\xfe"]}', "application/json", False, "not readable JSON"),
    ("hostile nesting", b"[" * 100_000, "application/json", False, "not readable JSON"),
]


@pytest.mark.parametrize(
    ("body", "content_type", "transient", "says"),
    [case[1:] for case in BODY_CASES],
    ids=[case[0] for case in BODY_CASES],
)
def test_unreadable_body(
    httpserver: HTTPServer,
    kind: tuple[BoardRef, str, str, bytes],
    body: bytes,
    content_type: str,
    transient: bool,
    says: str,
) -> None:
    board, _, path, _ = kind
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)
    err = fetch_error(board, f"http://127.0.0.1:{httpserver.port}")
    assert err.status == 200 and err.transient is transient
    assert says in str(err)


def test_truncated_json(
    httpserver: HTTPServer, served_bytes: Callable[[str], bytes], kind: tuple[BoardRef, str, str, bytes]
) -> None:
    board, fixture, path, _ = kind
    body = served_bytes(fixture)
    for cut in (len(body) // 2, len(body) - 3, 1):
        httpserver.clear()
        httpserver.expect_request(path).respond_with_data(body[:cut], content_type="application/json")
        err = fetch_error(board, f"http://127.0.0.1:{httpserver.port}")
        assert "truncated" in str(err), cut
        assert err.status == 200 and err.transient is True


def test_wrong_shape(httpserver: HTTPServer, kind: tuple[BoardRef, str, str, bytes]) -> None:
    board, _, path, wrong_shape = kind
    httpserver.expect_request(path).respond_with_data(wrong_shape, content_type="application/json")
    err = fetch_error(board, f"http://127.0.0.1:{httpserver.port}")
    assert err.status == 200 and err.transient is False
    assert "expected" in str(err) and f"is base_url right for {board.source}?" in str(err)


def test_a_job_without_id_fails_the_board(
    httpserver: HTTPServer, kind: tuple[BoardRef, str, str, bytes]
) -> None:
    board, _, path, _ = kind
    body, key = NO_ID[board.source]
    httpserver.expect_request(path).respond_with_data(body, content_type="application/json")
    err = fetch_error(board, f"http://127.0.0.1:{httpserver.port}")
    assert f"job #1 has no usable {key!r}" in str(err)
    assert err.status == 200 and err.transient is False


def test_connection_refused(closed_port: int, kind: tuple[BoardRef, str, str, bytes]) -> None:
    board = kind[0]
    err = fetch_error(board, f"http://127.0.0.1:{closed_port}")
    assert "could not connect" in str(err) and f"127.0.0.1:{closed_port}" in str(err)
    assert "refused" in str(err).lower()
    assert err.status is None and err.transient is True
    assert isinstance(err.__cause__, httpx.ConnectError)


def test_read_timeout(httpserver: HTTPServer) -> None:
    # One kind stands for all: the timeout belongs to the shared client.
    board = BoardRef("ashby", "linear")

    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/job-board/linear").respond_with_handler(slow)
    started = time.monotonic()
    err = fetch_error(board, f"http://127.0.0.1:{httpserver.port}", timeout=0.2)
    assert time.monotonic() - started < 0.55
    assert "timed out reading from" in str(err)
    assert err.status is None and err.transient is True
    assert isinstance(err.__cause__, httpx.ReadTimeout)


def test_connection_dropped_mid_body(cut_off_server: str) -> None:
    err = fetch_error(BoardRef("greenhouse", "vercel"), cut_off_server)
    assert "request to" in str(err) and "failed" in str(err)
    assert err.status is None and err.transient is True
    assert isinstance(err.__cause__, httpx.RemoteProtocolError)


def test_invalid_base_url() -> None:
    err = fetch_error(BoardRef("lever", "spotify"), "ftp://mirror.example/v0")
    assert "invalid URL" in str(err) and err.transient is False


def test_too_many_redirects(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postings/loop").respond_with_data(
        "", status=302, headers={"Location": "/postings/loop?mode=json"}
    )
    err = fetch_error(BoardRef("lever", "loop"), f"http://127.0.0.1:{httpserver.port}")
    assert "too many redirects" in str(err) and err.transient is False


def test_messages_never_show_credentials(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postings/spotify").respond_with_data("down", status=502)
    err = fetch_error(BoardRef("lever", "spotify"), f"http://proxyuser:hunter2@127.0.0.1:{httpserver.port}")
    assert "hunter2" not in str(err) and "proxyuser" not in str(err)
    assert err.status == 502
