"""The web server over real sockets: what each route answers, the filters
in the query string, read-only (405), HEAD, bounded requests, strict
headers, and posting text escaped in the HTML."""

from __future__ import annotations

import html
import re
import socket
import time
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest

from alerts.service.web import http as web_http

from web_support import HOSTILE


def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def raw(port: int, data: bytes, *, wait: float = 10) -> bytes:
    """Send bytes as they are and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def titles(page: str) -> list[str]:
    """The job titles in the open-postings table, as a reader sees them."""
    body = page.split('<tbody id="jobs">', 1)[1].split("</tbody>", 1)[0]
    return [html.unescape(t) for t in re.findall(r'<td class="title"><a [^>]*>(.*?)</a>', body, re.S)]


def test_the_page_lists_open_matches_events_boards_and_the_chart(server):
    status, headers, page = get(server.url + "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert titles(page) == [
        "Backend Engineer",
        HOSTILE,
        "Finance Manager",
        "Data Engineer",
        "Senior Platform Engineer",
    ]
    assert "Office Manager" not in page.split('id="events"')[0]  # open, but no subscription wants it
    assert re.search(r'<td class="board">greenhouse:acme</td>\s*<td class="count">3 / 4</td>', page)
    assert page.count('<polyline class="series"') == 2  # Acme Corp and Globex
    assert "Platform Engineer</del> → <ins>Senior Platform Engineer" in page


def test_hostile_text_is_escaped_in_the_html(server):
    page = get(server.url + "/")[2]
    assert "<img src=x" not in page and "<script>alert" not in page
    assert (
        "&lt;img src=x onerror=alert(1)&gt; Engineer &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
        in page
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"company": "Globex"}, ["Backend Engineer", "Data Engineer"]),
        ({"subscription": "finance"}, ["Finance Manager"]),
        ({"work_model": "remote"}, ["Backend Engineer", "Finance Manager"]),
        ({"q": "platform engineer"}, ["Senior Platform Engineer"]),
        ({"since": "7d"}, ["Backend Engineer"]),
        ({"subscription": "engineering", "company": "Acme Corp"}, [HOSTILE, "Senior Platform Engineer"]),
        ({"work_model": "bogus", "since": "forever"}, None),  # ignored: everything
    ],
    ids=["company", "subscription", "work-model", "title-words", "since", "two-filters", "bad-values"],
)
def test_query_string_filters(server, query, expected):
    status, _, page = get(f"{server.url}/?{urlencode(query)}")
    assert status == 200
    everything = titles(get(server.url + "/")[2])
    assert titles(page) == (everything if expected is None else expected)


def test_an_unknown_subscription_says_which_exist(server):
    status, _, page = get(server.url + "/?subscription=nope")
    assert status == 404
    assert "no subscription &#39;nope&#39;; defined: engineering, finance" in page
    assert titles(page) == []


def test_a_postings_life(server):
    query = urlencode({"board": "lever:globex", "id": "g1"})
    status, _, page = get(f"{server.url}/posting?{query}")
    assert status == 200
    life = page.split('id="life"', 1)[1]
    kinds = re.findall(r'<span class="kind">(.*?)</span>', life)
    assert kinds == ["First seen", "Closed", "Reopened"]
    assert "me: sent" in life and "me: pending" in life
    status, _, page = get(f"{server.url}/posting?{urlencode({'board': 'greenhouse:acme', 'id': 'a3'})}")
    assert status == 200 and "&lt;img src=x" in page and "<img src=x" not in page
    assert get(f"{server.url}/posting?board=lever:globex&id=nope")[0] == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_nothing_but_get_and_head(server, method):
    status, headers, body = get(server.url + "/", method=method)
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    assert "GET only" in body


def test_head_is_get_without_the_body(server):
    answer = raw(server.server.port, b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and body == b""
    assert b"Content-Length: 3" in head


def test_every_answer_carries_strict_headers(server):
    for path in ("/", "/feeds/all.atom", "/healthz", "/nowhere", "/style.css"):
        _, headers, _ = get(server.url + path)
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy, path
        assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Connection"] == "close"


def test_routes_of_the_standalone_server(server):
    assert get(server.url + "/healthz")[:1] == (200,)
    status, _, body = get(server.url + "/metrics")
    assert status == 404 and "alerts run --http" in body
    status, headers, css = get(server.url + "/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and "font" in css
    assert get(server.url + "/feeds/")[0] == 404
    assert get(server.url + "/../../etc/passwd")[0] in (400, 404)


def test_an_oversized_request_is_refused(server):
    answer = raw(server.server.port, b"GET / HTTP/1.1\r\nX-Pad: " + b"a" * 20_000 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_the_answer_arrives_though_the_request_was_not_all_read(server):
    """Review b: a body the server never reads (a POST's) and the rest of an
    overlong request line are read and dropped after the answer: closed with
    them unread, the connection was reset and the client never saw it."""
    post = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 300000\r\n\r\n" + b"x" * 300_000
    assert raw(server.server.port, post).startswith(b"HTTP/1.1 405 ")
    long_line = b"GET /" + b"a" * 1_000_000 + b" HTTP/1.1\r\n\r\n"
    assert raw(server.server.port, long_line).startswith(b"HTTP/1.1 431 ")


def test_answered_clients_that_stay_connected_make_room(world, serving, monkeypatch):
    """Review b: a connection whose answer went, reading what its client
    still sends, is the first pushed out for a newcomer: never a 503."""
    monkeypatch.setattr(web_http, "LINGER_SECONDS", 60)
    with serving(world, server_options={"max_connections": 2}) as server:
        staying = []
        for _ in range(2 + web_http.RESERVED):
            sock = socket.create_connection(("127.0.0.1", server.server.port), timeout=10)
            sock.sendall(b"GET /healthz HTTP/1.1\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):  # to the end of the answer; the client stays
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200 ")
            staying.append(sock)
        try:
            assert get(server.url + "/healthz")[0] == 200
            assert get(server.url + "/")[0] == 200
        finally:
            for sock in staying:
                sock.close()


@pytest.mark.parametrize(
    "request_line",
    [
        b"GARBAGE\r\n\r\n",
        b"GET http://elsewhere/ HTTP/1.1\r\n\r\n",
        b"GET /?q=%ff HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
    ],
)
def test_a_malformed_request_is_a_400(server, request_line):
    assert raw(server.server.port, request_line).startswith(b"HTTP/1.1 400 ")


def test_a_client_that_never_finishes_its_request_is_cut_off(server, monkeypatch):
    monkeypatch.setattr(web_http, "READ_TIMEOUT_SECONDS", 0.5)
    started = time.monotonic()
    answer = raw(server.server.port, b"GET / HTTP/1.1\r\nHost: x\r\n", wait=10)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < 5


def test_a_page_made_again_once_a_poll_stored_something(server, world):
    """Pages are kept a little while for whoever asks next, but never past a poll's writes."""
    from alerts.filters import route
    from alerts.store import Store

    from web_support import ACME, posting

    first = get(server.url + "/")[2]
    assert get(server.url + "/")[2] == first and "Staff Engineer" not in first
    store = Store(world.url)
    try:
        rows = store.views.open_postings([ACME.key])
        snapshot = [row.posting for row in rows] + [posting(ACME, "a9", "Staff Engineer")]
        subs = world.config.subscriptions_on(ACME.key)
        store.snapshots.apply(
            ACME,
            snapshot,
            close_after_misses=1,
            now=world.now,
            route=lambda event, baseline: route(subs, event, ACME.key, baseline=baseline),
        )
    finally:
        store.close()
    page = get(server.url + "/")[2]
    assert "Staff Engineer" in titles(page)
    assert "Staff Engineer" in get(server.url + "/feeds/engineering.atom")[2]
