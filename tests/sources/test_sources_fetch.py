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
    Client,
    FetchContext,
    Snapshot,
    Source,
    ashby,
    fetch_board,
    greenhouse,
    lever,
    make_client,
    recruitee,
    workable,
)
from alerts.sources.fetch import parse_reply
from alerts.sources.http import Reply

from sources_support import base_url, fetch_error, run_fetch

# kind, token, recorded payload, request path, query string, parser
KINDS = [
    (
        "greenhouse",
        "vercel",
        "greenhouse_vercel.json",
        "/boards/vercel/jobs",
        "content=true",
        greenhouse.parse,
    ),
    ("lever", "spotify", "lever_spotify.json", "/postings/spotify", "mode=json", lever.parse),
    ("lever-eu", "spotify", "lever_spotify.json", "/postings/spotify", "mode=json", lever.parse_eu),
    ("ashby", "linear", "ashby_linear.json", "/job-board/linear", "includeCompensation=true", ashby.parse),
    ("recruitee", "channable", "recruitee_channable.json", "/offers/", "", recruitee.parse),
]
KIND_IDS = [kind for kind, *_ in KINDS]


def test_registry_matches_the_design() -> None:
    assert {kind: source.default_base_url for kind, source in SOURCES.items()} == {
        "greenhouse": "https://boards-api.greenhouse.io/v1",
        "lever": "https://api.lever.co/v0",
        "lever-eu": "https://api.eu.lever.co/v0",
        "ashby": "https://api.ashbyhq.com/posting-api",
        "smartrecruiters": "https://api.smartrecruiters.com/v1",
        "workable": "https://apply.workable.com/api/v1",
        "recruitee": "https://{token}.recruitee.com/api",
        "bluedoor": "https://api.bluedoor.sh/job-postings/v1",
        "workday": "https://{tenant}.{dc}.myworkdayjobs.com/wday/cxs/{tenant}/{site}",
        "bamboohr": "https://{token}.bamboohr.com",
        "rippling": "https://api.rippling.com/platform/api/ats/v1/board",
        "jsonld": "{url}",
    }
    for kind, source in SOURCES.items():
        assert isinstance(source, Source) and source.kind == kind
        # Only bluedoor has an incremental mode (pacing reads this flag).
        assert source.incremental is (kind == "bluedoor")


@pytest.mark.parametrize(("kind", "token", "fixture", "path", "query", "parse"), KINDS, ids=KIND_IDS)
def test_recorded_payload_over_http(
    httpserver: HTTPServer,
    payload_bytes: Callable[[str], bytes],
    kind: str,
    token: str,
    fixture: str,
    path: str,
    query: str,
    parse: Callable[[Any, BoardRef], list[Posting]],
) -> None:
    body = payload_bytes(fixture)
    httpserver.expect_request(path, method="GET", query_string=query).respond_with_data(
        body, content_type="application/json"
    )
    board = BoardRef(kind, token)
    snapshot = run_fetch(board, base_url(httpserver))
    assert snapshot.postings == parse(json.loads(body), board)
    assert len(snapshot.postings) == 2 and all(
        p.source == kind and p.board_token == token for p in snapshot.postings
    )
    assert snapshot.complete and not snapshot.not_modified and snapshot.requests == 1
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == f"alerts/{alerts.__version__} (+{alerts.HOMEPAGE})"
    assert request.headers["Accept"] == "application/json"
    # No validators known yet: an unconditional request.
    assert "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers


def test_workable_widget_over_http(httpserver: HTTPServer, served_bytes: Callable[[str], bytes]) -> None:
    body = served_bytes("workable_huckberry.json")
    httpserver.expect_request("/widget/accounts/huckberry", query_string="").respond_with_data(
        body, content_type="application/json"
    )
    board = BoardRef("workable", "huckberry")
    snapshot = run_fetch(board, base_url(httpserver))
    assert snapshot.postings == workable.parse(json.loads(body), board)
    assert [p.external_id for p in snapshot.postings] == ["62180FD5F9"]


def test_base_url_with_a_path_prefix_and_trailing_slash(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    httpserver.expect_request("/mirror/v1/boards/vercel/jobs", query_string="content=true").respond_with_data(
        payload_bytes("greenhouse_vercel.json"), content_type="application/json"
    )
    snapshot = run_fetch(BoardRef("greenhouse", "vercel"), base_url(httpserver) + "/mirror/v1/")
    assert [p.external_id for p in snapshot.postings] == ["6136160004", "5999792004"]


def test_recruitee_base_url_may_name_the_token(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    httpserver.expect_request("/boards/channable/api/offers/").respond_with_data(
        payload_bytes("recruitee_channable.json"), content_type="application/json"
    )
    snapshot = run_fetch(BoardRef("recruitee", "channable"), base_url(httpserver) + "/boards/{token}/api")
    assert len(snapshot.postings) == 2


def test_redirects_are_followed_and_counted(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    httpserver.expect_request("/postings/spotify").respond_with_data(
        "", status=301, headers={"Location": "/moved/postings/spotify?mode=json"}
    )
    httpserver.expect_request("/moved/postings/spotify").respond_with_data(
        payload_bytes("lever_spotify.json"), content_type="application/json"
    )
    snapshot = run_fetch(BoardRef("lever", "spotify"), base_url(httpserver))
    assert len(snapshot.postings) == 2 and snapshot.requests == 2


DEFAULT_URLS = [
    ("greenhouse", "vercel", "https://boards-api.greenhouse.io/v1/boards/vercel/jobs?content=true"),
    ("lever", "spotify", "https://api.lever.co/v0/postings/spotify?mode=json"),
    ("lever-eu", "spotify", "https://api.eu.lever.co/v0/postings/spotify?mode=json"),
    ("ashby", "linear", "https://api.ashbyhq.com/posting-api/job-board/linear?includeCompensation=true"),
    (
        "smartrecruiters",
        "Ubisoft2",
        "https://api.smartrecruiters.com/v1/companies/Ubisoft2/postings?limit=100&offset=0",
    ),
    ("workable", "huckberry", "https://apply.workable.com/api/v1/widget/accounts/huckberry"),
    ("recruitee", "channable", "https://channable.recruitee.com/api/offers/"),
    ("bluedoor", "all", "https://api.bluedoor.sh/job-postings/v1/jobs?status=all&limit=100"),
]


@pytest.mark.parametrize(
    ("kind", "token", "expected_url"), DEFAULT_URLS, ids=[row[0] for row in DEFAULT_URLS]
)
def test_default_base_url(kind: str, token: str, expected_url: str) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        # An empty board in whichever envelope the kind expects.
        body = {"jobs": [], "offers": [], "content": [], "totalFound": 0, "data": [], "next_cursor": None}
        return httpx.Response(200, json=[] if kind.startswith("lever") else body)

    async def go() -> Snapshot:
        async with make_client(transport=httpx.MockTransport(answer)) as client:
            return await fetch_board(client, BoardRef(kind, token))

    assert asyncio.run(go()).postings == []
    assert seen == [expected_url]


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
