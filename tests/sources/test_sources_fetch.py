"""fetch_board end to end: the shared client against real local sockets,
and against httpx.MockTransport where only the URL matters."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

import alerts
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import (
    SOURCES,
    Source,
    ashby,
    fetch_board,
    greenhouse,
    lever,
    make_client,
)
from alerts.sources.http import fetch_postings

# kind, token, recorded payload, request path, query string
KINDS = [
    ("greenhouse", "vercel", "greenhouse_vercel.json", "/boards/vercel/jobs", "content=true"),
    ("lever", "spotify", "lever_spotify.json", "/postings/spotify", "mode=json"),
    ("ashby", "linear", "ashby_linear.json", "/job-board/linear", "includeCompensation=true"),
]
KIND_IDS = [kind for kind, *_ in KINDS]
PARSERS = {"greenhouse": greenhouse.parse, "lever": lever.parse, "ashby": ashby.parse}


def base_url(server: HTTPServer) -> str:
    # 127.0.0.1, not localhost: the server binds IPv4 only.
    return f"http://127.0.0.1:{server.port}"


def fetch(board: BoardRef, url: str | None, *, timeout: float = 5.0) -> list[Posting]:
    async def go() -> list[Posting]:
        async with make_client(timeout_seconds=timeout) as client:
            return await fetch_board(client, board, url)

    return asyncio.run(go())


def test_registry_matches_the_design() -> None:
    assert {kind: source.default_base_url for kind, source in SOURCES.items()} == {
        "greenhouse": "https://boards-api.greenhouse.io/v1",
        "lever": "https://api.lever.co/v0",
        "ashby": "https://api.ashbyhq.com/posting-api",
    }
    for kind, source in SOURCES.items():
        assert isinstance(source, Source) and source.kind == kind


@pytest.mark.parametrize(("kind", "token", "fixture", "path", "query"), KINDS, ids=KIND_IDS)
def test_recorded_payload_over_http(
    httpserver: HTTPServer,
    payload_bytes: Callable[[str], bytes],
    kind: str,
    token: str,
    fixture: str,
    path: str,
    query: str,
) -> None:
    body = payload_bytes(fixture)
    httpserver.expect_request(path, method="GET", query_string=query).respond_with_data(
        body, content_type="application/json"
    )
    board = BoardRef(kind, token)
    postings = fetch(board, base_url(httpserver))
    assert postings == PARSERS[kind](json.loads(body), board)
    assert len(postings) == 2 and all(p.source == kind and p.board == token for p in postings)
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == f"alerts/{alerts.__version__} (+{alerts.HOMEPAGE})"
    assert request.headers["Accept"] == "application/json"


def test_base_url_with_a_path_prefix_and_trailing_slash(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    httpserver.expect_request("/mirror/v1/boards/vercel/jobs", query_string="content=true").respond_with_data(
        payload_bytes("greenhouse_vercel.json"), content_type="application/json"
    )
    postings = fetch(BoardRef("greenhouse", "vercel"), base_url(httpserver) + "/mirror/v1/")
    assert [p.external_id for p in postings] == ["6136160004", "5999792004"]


def test_redirects_are_followed(httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]) -> None:
    httpserver.expect_request("/postings/spotify").respond_with_data(
        "", status=301, headers={"Location": "/moved/postings/spotify?mode=json"}
    )
    httpserver.expect_request("/moved/postings/spotify").respond_with_data(
        payload_bytes("lever_spotify.json"), content_type="application/json"
    )
    assert len(fetch(BoardRef("lever", "spotify"), base_url(httpserver))) == 2


@pytest.mark.parametrize(
    ("kind", "token", "fixture", "expected_url"),
    [
        (
            "greenhouse",
            "vercel",
            "greenhouse_vercel.json",
            "https://boards-api.greenhouse.io/v1/boards/vercel/jobs?content=true",
        ),
        ("lever", "spotify", "lever_spotify.json", "https://api.lever.co/v0/postings/spotify?mode=json"),
        (
            "ashby",
            "linear",
            "ashby_linear.json",
            "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true",
        ),
    ],
)
def test_default_base_url(
    payload_bytes: Callable[[str], bytes], kind: str, token: str, fixture: str, expected_url: str
) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=payload_bytes(fixture))

    async def go() -> list[Posting]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            return await fetch_board(client, BoardRef(kind, token))

    assert len(asyncio.run(go())) == 2
    assert seen == [expected_url]


def test_unknown_kind_is_a_source_error() -> None:
    with pytest.raises(SourceError) as caught:
        fetch(BoardRef("workday", "acme"), None)
    err = caught.value
    assert err.board == "workday:acme" and err.transient is False
    assert "unknown source kind 'workday'" in str(err) and "greenhouse" in str(err)


def test_make_client_settings() -> None:
    async def go() -> httpx.AsyncClient:
        async with make_client(timeout_seconds=12.5) as client:
            return client

    client = asyncio.run(go())
    assert client.timeout.read == 12.5 and client.timeout.connect == 10.0
    assert client.follow_redirects is True
    assert client.headers["User-Agent"].startswith(f"alerts/{alerts.__version__} (+http")
    assert client.headers["Accept"] == "application/json"
    short = asyncio.run(_closed(make_client(timeout_seconds=0.5)))
    assert short.timeout.connect == 0.5


async def _closed(client: httpx.AsyncClient) -> httpx.AsyncClient:
    await client.aclose()
    return client


def test_a_parser_bug_fails_only_the_board() -> None:
    def buggy(payload: Any, board: BoardRef) -> list[Posting]:
        return [payload["missing"]]

    async def go() -> list[Posting]:
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json={}))
        async with httpx.AsyncClient(transport=transport) as client:
            return await fetch_postings(client, "http://h.test/x", BoardRef("lever", "x"), buggy)

    with pytest.raises(SourceError) as caught:
        asyncio.run(go())
    assert "KeyError" in str(caught.value) and caught.value.status == 200
    assert isinstance(caught.value.__cause__, KeyError)
