"""A large first poll of a detail-based board: details stop within the
board's deadline (the rest wait, an incomplete snapshot, not a failure), and
the board is baselined only once nothing waits, so that what was listed all
along is never announced as opened when its details arrive."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cycle_worlds import Run, Workday, config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reach_support import WorkdayTenant


@pytest.fixture
def slow_server() -> Iterator[HTTPServer]:
    """A server of the test's own: a detail it is still answering when the
    test ends (the time for details ran out) dies with it, instead of
    reaching the next test's server log."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def test_a_first_poll_past_the_catch_up_limit_is_no_baseline_then_a_flood(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CATCH_UP_MAX is 5,000 (a sitemap of 8,000 job pages, a Workday board
    # read by facet); made 10 here so that the test stays small.
    monkeypatch.setattr("alerts.sources.details.CATCH_UP_MAX", 10)
    world = Workday(httpserver)
    for number in range(15):
        world.open(number)
    run = Run(config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}"), world)
    run()  # first poll: 10 details, 5 postings deferred; stored as the baseline
    events, _ = run()
    # The 5 postings existed before the board was added: they are no news.
    # On main: five "opened" events (a first poll of an 8,000-page sitemap
    # announces 3,000 old postings as new).
    assert [e for e in events if e[0] == "opened"] == []


class SlowTenant(WorkdayTenant):
    """A tenant whose detail requests take a realistic 0.1 s each."""

    def _detail(self, request: Request) -> Response:
        time.sleep(0.1)
        return super()._detail(request)


class SlowWorkday(Workday):
    def __init__(self, server: HTTPServer):
        self.server, self.jobs, self.lists, self.details = server, {}, 0, 0
        self.tenant = SlowTenant(server, [])


def test_a_first_poll_of_a_large_workday_board_fits_its_deadline(
    slow_server: HTTPServer, tmp_path: Path
) -> None:
    httpserver = slow_server
    # Real scale: 2,000 postings, 2,000 details at ~0.3 s, 3 at a time: about
    # 200 s against board_deadline 2 m. Here: 60 details at 0.1 s against 1 s.
    world = SlowWorkday(httpserver)
    for number in range(60):
        world.open(number)
    path = config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}")
    path.write_text(path.read_text() + '\n[polling]\nboard_deadline = "1s"\n')
    run = Run(path, world)
    # On main the first poll fails ("took longer than 1s (board_deadline)"),
    # the board backs off as failing, and each later poll pays the list again
    # until the details are caught up over several failed polls.
    run()


def test_a_large_first_poll_converges_over_a_few_polls_without_a_flood(
    slow_server: HTTPServer, tmp_path: Path
) -> None:
    httpserver = slow_server
    world = SlowWorkday(httpserver)
    for number in range(24):
        world.open(number)
    path = config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}")
    path.write_text(path.read_text() + '\n[polling]\nboard_deadline = "1s"\n')
    run = Run(path, world)
    polls = []
    for _ in range(15):
        events, asked = run()  # never a failure: Run asserts the board did not fail
        polls.append((events, asked))
        if asked == 0:
            break
    assert len(polls) > 2  # it took more than one poll: the deadline held
    assert all(events == [] for events, _ in polls)  # the baseline, silently
    world.open(99, "Staff Engineer")
    events, _ = run()
    assert [(kind, title) for kind, title, _ in events] == [("opened", "Staff Engineer")]
