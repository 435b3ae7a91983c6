"""fetch_board and the client around it. What every kind does over a real
socket is in the contract table (test_sources_contract.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

import alerts
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import Client, FetchContext, make_client
from alerts.sources.fetch import parse_reply
from alerts.sources.http import Reply

from sources_support import base_url, fetch_error


def test_unknown_kind_is_a_source_error() -> None:
    err = fetch_error(BoardRef("oracle", "acme"), None)
    assert err.transient is False
    assert "unknown source kind 'oracle'" in str(err) and "greenhouse" in str(err)


def test_make_client_settings() -> None:
    async def go() -> Client:
        async with make_client(timeout_seconds=12.5, per_host_limit=2) as client:
            return client

    client = asyncio.run(go())
    assert client.http.is_closed
    assert client.http.timeout.read == 12.5 and client.http.timeout.connect == 10.0
    assert client.http.follow_redirects is True
    assert client.http.headers["User-Agent"].startswith(f"alerts/{alerts.__version__} (+http")
    assert client.http.headers["Accept"] == "application/json"
    assert client.per_host_limit == 2 and client.retry.attempts == 3
    short = make_client(timeout_seconds=0.5)
    asyncio.run(short.aclose())
    assert short.http.timeout.connect == 0.5


def test_a_parser_bug_fails_only_the_board() -> None:
    def buggy(payload: Any, board: BoardRef) -> list[Posting]:
        return [payload["missing"]]

    response = httpx.Response(200, json={}, request=httpx.Request("GET", "http://h.test/x"))
    with pytest.raises(SourceError) as caught:
        parse_reply(Reply(response, b"{}", 1), BoardRef("lever", "x"), buggy)
    assert "KeyError" in str(caught.value) and caught.value.status == 200
    assert isinstance(caught.value.__cause__, KeyError)


def test_fetch_context_never_shows_the_api_key() -> None:
    assert "hunter2" not in repr(FetchContext(api_key="hunter2"))


def test_redirects_off_for_one_request(httpserver: HTTPServer) -> None:
    """A host that never redirects a board that exists is asked with
    redirects off: its 3xx is the answer, in words, with where it points."""
    httpserver.expect_request("/list").respond_with_data(
        "", status=302, headers={"Location": "/settings/account/expired.php"}
    )
    httpserver.expect_request("/settings/account/expired.php").respond_with_data("[]")
    board = BoardRef("lever", "gone")

    async def get(follow: bool | None) -> Any:
        async with make_client() as client:
            return await client.get(f"{base_url(httpserver)}/list", board, follow_redirects=follow)

    with pytest.raises(SourceError) as caught:
        asyncio.run(get(False))
    err = caught.value
    assert err.status == 302 and err.transient is False
    assert "board not found" in str(err) and "redirects to /settings/account/expired.php" in str(err)
    assert len(httpserver.log) == 1
    # The client's own setting (follow) is the default.
    reply = asyncio.run(get(None))
    assert reply.body == b"[]" and reply.requests == 2
