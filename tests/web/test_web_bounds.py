"""The server under load, over real sockets: slow clients (slowloris) and
idle connections do not keep /healthz from answering, page requests beyond
the bounds are refused at once (503) rather than queued, the same page
asked for by many is made once, and /healthz answers while every page
waits on the database (PostgreSQL with its postings table locked)."""

from __future__ import annotations

import resource
import signal
import socket
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.error import HTTPError

import pytest
import sqlalchemy as sa
from test_web_command import serve_boards

from alerts.service.web.workers import Workers

from support import Process, free_port, wait_until
from web_support import World, seed


def get(url: str, timeout: float = 20) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except HTTPError as exc:
        return exc.code, exc.read().decode()


class Trickler:
    """Slow clients: each sends the start of a request, then a byte a tick,
    forever; and idle ones that connect and send nothing."""

    def __init__(self, port: int, slow: int, idle: int, tick: float = 0.05):
        self.port = port
        self.tick = tick
        self.stop = threading.Event()
        self.cut = 0  # connections the server dropped
        self.connected = 0  # connections made
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._slow, daemon=True) for _ in range(slow)]
        self.threads += [threading.Thread(target=self._idle, daemon=True) for _ in range(idle)]

    def __enter__(self) -> Trickler:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(10)

    def _made(self) -> None:
        with self.lock:
            self.connected += 1

    def _dropped(self) -> None:
        with self.lock:
            self.cut += 1

    def _slow(self) -> None:
        while not self.stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
                    self._made()
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    while not self.stop.wait(self.tick):
                        sock.sendall(b"a")
            except OSError:
                self._dropped()

    def _idle(self) -> None:
        while not self.stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
                    self._made()
                    sock.settimeout(0.2)
                    while not self.stop.is_set():
                        try:
                            if sock.recv(1) == b"":
                                break
                        except TimeoutError:
                            continue
                self._dropped()
            except OSError:
                self._dropped()


@pytest.fixture
def processes():
    started: list[Process] = []
    yield started
    for process in started:
        process.kill()


def start_web(world: World, processes: list[Process], open_files: int | None = None) -> int:
    port = free_port()
    web = Process(world.path, "--http", f"127.0.0.1:{port}", command="web")
    processes.append(web)
    if open_files:  # as a small container might allow
        resource.prlimit(web.proc.pid, resource.RLIMIT_NOFILE, (open_files, open_files))
    wait_until(lambda: web.has("serving the web page"), "alerts web to listen", [web])
    return port


def test_a_crowd_of_slow_clients_does_not_stop_healthz(world, processes):
    # More slow clients than the process may open files: without a bound on
    # connections, accepting them all leaves none for the health check.
    port = start_web(world, processes, open_files=128)
    with Trickler(port, slow=300, idle=100, tick=0.5) as crowd:
        wait_for(lambda: crowd.connected >= 120, "the crowd to arrive")
        # 4 s: the Dockerfile's HEALTHCHECK gives it 5.
        answers = [get(f"http://127.0.0.1:{port}/healthz", timeout=4) for _ in range(10)]
    assert answers == [(200, "ok\n")] * 10
    assert processes[0].stop(signal.SIGTERM) == 0


def test_slow_and_idle_clients_do_not_stop_healthz(world, serving):
    options = {"max_connections": 4}
    with (
        serving(world, server_options=options) as server,
        Trickler(server.server.port, slow=12, idle=12) as crowd,
    ):
        answers = [get(server.url + "/healthz") for _ in range(20)]
        page = get(server.url + "/")
    assert answers == [(200, "ok\n")] * 20
    assert page[0] in (200, 503)  # a page may find no room; it is told so at once
    assert crowd.cut > 0  # the slow ones were pushed out to make room


@pytest.fixture
def pg_world(tmp_path, postgres_url) -> World:
    return seed(tmp_path, url=postgres_url)


@contextmanager
def postings_locked(url: str) -> Iterator[None]:
    """Every read of the postings waits until the block ends: a database
    that is slow to answer, for real."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("LOCK TABLE postings IN ACCESS EXCLUSIVE MODE"))
            yield
            conn.rollback()
    finally:
        engine.dispose()


def waiting_on_postings(url: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            query = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'postings'::regclass"
            return int(conn.execute(sa.text(query)).scalar_one())
    finally:
        engine.dispose()


def boards_polled_since(url: str, since: datetime) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT count(*) FROM boards WHERE last_success_at >= :since")
            return int(conn.execute(query, {"since": since}).scalar_one())
    finally:
        engine.dispose()


def end_waiters(url: str) -> None:
    """The stopped process's query still waits in the server: end it, so
    that the schema can be dropped afterwards."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE NOT granted AND relation = 'postings'::regclass"
                )
            )
    finally:
        engine.dispose()


def wait_for(predicate, what: str) -> None:
    done = threading.Event()
    for _ in range(200):
        if predicate():
            return
        done.wait(0.05)
    pytest.fail(f"never: {what}")


def healthy_store(server):
    import asyncio

    async def healthy() -> bool:
        return await asyncio.to_thread(server.store.ping)

    return healthy


def test_healthz_answers_while_every_page_waits_on_the_database(pg_world, serving):
    with serving(pg_world) as server, ThreadPoolExecutor(16) as pool:
        server.app.healthy = healthy_store(server)
        with postings_locked(pg_world.url):
            pages = [pool.submit(get, f"{server.url}/?q=word{n}") for n in range(12)]
            # Two workers and eight waiting: the other two are told at once.
            wait_for(lambda: sum(f.done() for f in pages) == 2, "the pages without room to be refused")
            refused = [f.result() for f in pages if f.done()]
            assert [status for status, _ in refused] == [503, 503]
            # The database answers a ping; the health check must not wait behind the pages
            # (4 s: the Dockerfile's HEALTHCHECK gives it 5).
            assert get(server.url + "/healthz", timeout=4) == (200, "ok\n")
        assert sorted(f.result(timeout=60)[0] for f in pages) == [200] * 10 + [503] * 2


def test_pages_beyond_the_workers_and_their_queue_are_refused_at_once(pg_world, serving):
    workers = Workers(threads=1, queued=1)
    with serving(pg_world, workers=workers) as server, ThreadPoolExecutor(8) as pool:
        server.app.healthy = healthy_store(server)
        with postings_locked(pg_world.url):
            waiting: list[Future[tuple[int, str]]] = [
                pool.submit(get, server.url + "/?company=Globex"),
                pool.submit(get, server.url + "/?company=Acme+Corp"),
            ]
            wait_for(lambda: workers.admitted == 2, "two pages at work")
            status, body = get(server.url + "/?company=Initech")  # a third page: no room
            assert status == 503 and "busy" in body
            # The same page as one being made waits for that one: no more work.
            same = pool.submit(get, server.url + "/?company=Globex")
            assert get(server.url + "/healthz") == (200, "ok\n")  # the database answers its ping
            assert workers.admitted == 2 and not any(f.done() for f in [*waiting, same])
        answers = [f.result(timeout=30) for f in [*waiting, same]]
    assert [status for status, _ in answers] == [200, 200, 200]
    assert answers[0][1].count("Backend Engineer") == answers[2][1].count("Backend Engineer") > 0


def test_connections_beyond_the_limit_are_refused_not_queued(pg_world, serving):
    workers = Workers(threads=1, queued=8)
    options = {"max_connections": 2}
    with serving(pg_world, workers=workers, server_options=options) as server, ThreadPoolExecutor(4) as pool:
        with postings_locked(pg_world.url):
            waiting = [pool.submit(get, f"{server.url}/?company={name}") for name in ("Globex", "Acme+Corp")]
            wait_for(lambda: workers.admitted == 2, "two pages waiting")
            status, body = get(server.url + "/?company=Initech")
            assert status == 503 and "too many connections" in body
            assert get(server.url + "/healthz") == (200, "ok\n")  # room kept for it
            assert not any(f.done() for f in waiting)
        assert [f.result(timeout=30)[0] for f in waiting] == [200, 200]
        assert get(server.url + "/")[0] == 200  # room again


def test_sigterm_ends_alerts_web_with_a_page_stuck_in_the_database(pg_world, processes):
    port = start_web(pg_world, processes)
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # and never the end of it
    with postings_locked(pg_world.url), ThreadPoolExecutor(2) as pool:
        stuck = pool.submit(get, f"http://127.0.0.1:{port}/")
        wait_for(lambda: waiting_on_postings(pg_world.url) > 0, "the page to wait on the database")
        web = processes[0]
        assert web.stop(signal.SIGTERM) == 0
        assert web.has("SIGTERM received: stopping") and web.has("stopped")
        with pytest.raises(OSError):  # dropped unanswered
            stuck.result(timeout=30)
        end_waiters(pg_world.url)
    slow.close()


def test_sigterm_stops_run_http_with_a_page_stuck_in_the_database(pg_world, httpserver, processes):
    serve_boards(pg_world, httpserver)
    port = free_port()
    started = datetime.now(UTC) - timedelta(seconds=1)
    run = Process(pg_world.path, "--http", f"127.0.0.1:{port}")
    processes.append(run)
    # Its first polls done: a poll that waits on the locked table too would
    # keep the service from stopping, which is not what this test is about.
    wait_until(lambda: boards_polled_since(pg_world.url, started) == 2, "the first polls", [run])
    wait_until(lambda: get(f"http://127.0.0.1:{port}/")[0] == 200, "a first page", [run])
    idle = socket.create_connection(("127.0.0.1", port))  # opened, never used
    with postings_locked(pg_world.url), ThreadPoolExecutor(2) as pool:
        stuck = pool.submit(get, f"http://127.0.0.1:{port}/?q=stuck")
        wait_for(lambda: waiting_on_postings(pg_world.url) > 0, "the page to wait on the database")
        assert run.stop(signal.SIGTERM) == 0
        assert run.has("stopped")
        with pytest.raises(OSError):
            stuck.result(timeout=30)
        end_waiters(pg_world.url)
    idle.close()
