"""The polite client: retries, backoff, Retry-After, conditional requests and
the per-host limit, against real local sockets."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import Client, FetchContext, RetryPolicy, Snapshot, Validators, fetch_board, make_client
from alerts.sources.retry import retry_after_seconds

from sources_support import FAST, base_url, fetch_error, run_fetch

BOARD = BoardRef("greenhouse", "vercel")
PATH = "/boards/vercel/jobs"
EMPTY = {"jobs": []}


def fetch_recording_sleeps(
    url: str, sleeps: list[float], *, retry: RetryPolicy = FAST, board: BoardRef = BOARD
) -> Snapshot:
    """A fetch whose backoff waits are written down instead of slept."""

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def go() -> Snapshot:
        async with make_client(retry=retry, sleep=sleep) as client:
            return await fetch_board(client, board, FetchContext(base_url=url))

    return asyncio.run(go())


# --- retries -----------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_passing_failures_are_retried(httpserver: HTTPServer, status: int) -> None:
    headers = {"Retry-After": "0"} if status == 429 else {}
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=status, headers=headers)
    httpserver.expect_ordered_request(PATH).respond_with_json(EMPTY)
    snapshot = run_fetch(BOARD, base_url(httpserver), retry=FAST)
    assert snapshot.postings == [] and snapshot.requests == 2


@pytest.mark.parametrize("status", [500, 400, 401, 403, 404, 410])
def test_other_failures_are_not_retried(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request(PATH).respond_with_data("no", status=status)
    err = fetch_error(BOARD, base_url(httpserver), retry=FAST)
    assert err.status == status and len(httpserver.log) == 1


def test_attempts_run_out(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("busy", status=503)
    err = fetch_error(BOARD, base_url(httpserver), retry=FAST)
    assert err.status == 503 and err.transient is True and err.retry_after is None
    assert "still failing after 3 tries" in str(err)
    assert len(httpserver.log) == 3


def test_backoff_waits_grow_and_stay_jittered(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("busy", status=502)
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=4, base_seconds=1.0, cap_seconds=30.0)
    with pytest.raises(SourceError):
        fetch_recording_sleeps(base_url(httpserver), sleeps, retry=policy)
    assert len(sleeps) == 3
    for retry, slept in enumerate(sleeps, start=1):
        assert 0 <= slept <= 2 ** (retry - 1)


def test_retry_after_seconds_is_obeyed(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "later", status=503, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(EMPTY)
    sleeps: list[float] = []
    snapshot = fetch_recording_sleeps(base_url(httpserver), sleeps, retry=replace(FAST, cap_seconds=30))
    assert sleeps == [7.0] and snapshot.requests == 2


def test_retry_after_http_date_is_obeyed(httpserver: HTTPServer) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "later", status=429, headers={"Retry-After": when}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(EMPTY)
    sleeps: list[float] = []
    fetch_recording_sleeps(base_url(httpserver), sleeps, retry=replace(FAST, cap_seconds=30))
    [slept] = sleeps
    assert 17 <= slept <= 20


@pytest.mark.parametrize(("header", "asked"), [("31", 31.0), ("86400", 86400.0)])
def test_retry_after_beyond_the_cap_fails_at_once(httpserver: HTTPServer, header: str, asked: float) -> None:
    httpserver.expect_request(PATH).respond_with_data("later", status=429, headers={"Retry-After": header})
    sleeps: list[float] = []
    with pytest.raises(SourceError) as caught:
        fetch_recording_sleeps(base_url(httpserver), sleeps, retry=replace(FAST, cap_seconds=30))
    err = caught.value
    assert err.retry_after == asked and err.status == 429 and err.transient is True
    assert "rate limited" in str(err) and "trying again later" in str(err)
    assert sleeps == [] and len(httpserver.log) == 1


def test_retry_after_date_beyond_the_cap(httpserver: HTTPServer) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    httpserver.expect_request(PATH).respond_with_data("later", status=503, headers={"Retry-After": when})
    err = fetch_error(BOARD, base_url(httpserver), retry=FAST)
    assert err.retry_after is not None and 3590 <= err.retry_after <= 3600
    assert err.status == 503


def test_retry_after_kept_when_attempts_run_out(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("later", status=429, headers={"Retry-After": "1"})
    sleeps: list[float] = []
    with pytest.raises(SourceError) as caught:
        fetch_recording_sleeps(base_url(httpserver), sleeps)
    assert caught.value.retry_after == 1.0 and sleeps == [1.0, 1.0]
    assert len(httpserver.log) == 3


def test_a_real_one_second_retry_after(httpserver: HTTPServer) -> None:
    # One real wait, so the injected sleep above is known to stand for one.
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "later", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_json(EMPTY)
    started = time.monotonic()
    run_fetch(BOARD, base_url(httpserver), retry=FAST)
    assert time.monotonic() - started >= 0.95


def test_connection_refused_is_retried(closed_port: int) -> None:
    sleeps: list[float] = []
    with pytest.raises(SourceError) as caught:
        fetch_recording_sleeps(f"http://127.0.0.1:{closed_port}", sleeps)
    assert "could not connect" in str(caught.value) and "(3 tries)" in str(caught.value)
    assert len(sleeps) == 2 and caught.value.transient is True


def test_a_dropped_connection_is_retried(cut_off_server: str) -> None:
    err = fetch_error(BOARD, cut_off_server, retry=FAST)
    assert "(3 tries)" in str(err) and err.transient is True
    assert isinstance(err.__cause__, httpx.RemoteProtocolError)


@pytest.fixture(scope="module")
def threaded_server_once() -> Iterator[HTTPServer]:
    # Module-wide: stopping a werkzeug server takes half a second.
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def threaded_server(threaded_server_once: HTTPServer) -> Iterator[HTTPServer]:
    """A server that answers requests in parallel (the default one queues them)."""
    yield threaded_server_once
    threaded_server_once.clear()


def test_a_read_timeout_is_retried(threaded_server: HTTPServer) -> None:
    calls: list[float] = []

    def first_slow(request: Request) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(0.5)
        return Response('{"jobs": []}', content_type="application/json")

    threaded_server.expect_request(PATH).respond_with_handler(first_slow)
    snapshot = run_fetch(BOARD, base_url(threaded_server), retry=FAST, timeout=0.2)
    assert snapshot.postings == [] and snapshot.requests == 2 and len(calls) == 2


# --- the per-host limit --------------------------------------------------------


def test_at_most_per_host_limit_requests_in_flight(threaded_server: HTTPServer) -> None:
    lock = threading.Lock()
    in_flight, most = [0], [0]

    def tracked(request: Request) -> Response:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.1)
        with lock:
            in_flight[0] -= 1
        return Response('{"jobs": []}', content_type="application/json")

    threaded_server.expect_request("/boards/x/jobs").respond_with_handler(tracked)
    url = base_url(threaded_server)
    ctx = FetchContext(base_url=url)

    async def go() -> list[Snapshot]:
        async with make_client(per_host_limit=2) as client:
            return await asyncio.gather(
                *(fetch_board(client, BoardRef("greenhouse", "x"), ctx) for _ in range(6))
            )

    assert len(asyncio.run(go())) == 6
    assert most[0] == 2


# --- conditional requests --------------------------------------------------------

# Every kind's conditional requests (or, paged, none) are in the contract table.


def test_last_modified_then_not_modified(httpserver: HTTPServer) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    httpserver.expect_ordered_request(PATH).respond_with_json(EMPTY, headers={"Last-Modified": stamp})
    httpserver.expect_ordered_request(PATH, headers={"If-Modified-Since": stamp}).respond_with_data(
        "", status=304
    )
    first = run_fetch(BOARD, base_url(httpserver))
    assert first.validators == Validators(last_modified=stamp)
    second = run_fetch(BOARD, base_url(httpserver), FetchContext(validators=first.validators))
    assert second.not_modified and second.validators == Validators(last_modified=stamp)
    httpserver.check_assertions()


def test_both_validators_are_sent(httpserver: HTTPServer) -> None:
    validators = Validators(etag='"abc"', last_modified="Wed, 21 Oct 2026 07:28:00 GMT")
    httpserver.expect_request(PATH).respond_with_json(EMPTY, headers={"ETag": '"def"'})
    snapshot = run_fetch(BOARD, base_url(httpserver), FetchContext(validators=validators))
    request, _ = httpserver.log[0]
    assert request.headers["If-None-Match"] == '"abc"'
    assert request.headers["If-Modified-Since"] == validators.last_modified
    # Changed after all: the new ETag, and no Last-Modified this time.
    assert snapshot.validators == Validators(etag='"def"') and not snapshot.not_modified


def test_a_304_to_an_unconditional_request_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("", status=304)
    err = fetch_error(BOARD, base_url(httpserver))
    assert "not conditional" in str(err) and err.status == 304


# --- the policy itself ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 5 ", 5.0),
        ("-1", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected


def test_retry_after_dates() -> None:
    now = datetime(2026, 10, 21, 7, 28, tzinfo=UTC)
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2026 07:00:00 GMT", now) == 0.0  # already past


def test_backoff_is_full_jitter_under_a_capped_ceiling() -> None:
    policy = RetryPolicy(attempts=10, base_seconds=1.0, cap_seconds=5.0)
    rng = random.Random(7)
    for retry, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)]:
        draws = [policy.backoff(retry, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8  # it does spread up to the ceiling


def test_client_is_an_async_context_manager() -> None:
    async def go() -> Client:
        async with make_client() as client:
            assert not client.http.is_closed
        return client

    assert asyncio.run(go()).http.is_closed
