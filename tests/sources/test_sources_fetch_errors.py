"""Failures of the shared client, one kind standing for all: timeouts, a bad
base_url, redirect loops, credentials in messages. Every kind's statuses,
bodies and a connection dropped mid-body are in the contract table
(test_sources_contract_errors.py)."""

from __future__ import annotations

import time

import httpx
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef

from sources_support import fetch_error


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
