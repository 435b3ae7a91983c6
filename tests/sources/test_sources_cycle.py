"""What is special about a few kinds through real cycles (a local server,
SQLite, the Cycle in-process; every kind's lifecycle is
test_sources_lifecycle.py): a failed second page leaves the board as it was,
a reposted Workday requisition is no close and open, and board names: the
config's `[boards."kind:token"] name`, else the source's own, else the token."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.config import load_config
from alerts.cycle import Cycle, CycleReport
from alerts.sources import make_client
from alerts.store import Store

from kinds import breezy, lever, personio, pinpoint, teamtailor
from reach_support import WORKDAY_BOARD, WorkdayTenant, workday_base, workday_row
from sources_support import Case, base_url


class Board:
    """What the local server answers for one board, changed between cycles."""

    def __init__(self, server: HTTPServer, case: Case, token: str):
        self.case = case
        self.jobs: list[Any] = []
        server.expect_request(f"/{case.kind}/{token}{case.path}").respond_with_handler(self.answer)

    def answer(self, request: Request) -> Response:
        return Response(self.case.body(self.jobs), content_type="application/json")


def config(
    tmp_path: Path,
    server: HTTPServer,
    boards: list[str],
    extra: str = "",
    bases: dict[str, str] | None = None,
) -> Path:
    kinds = sorted({board.split(":")[0] for board in boards})
    bases = bases or {}
    sources = "".join(
        f'[sources.{kind}]\nbase_url = "'
        + bases.get(kind, f"{base_url(server)}/{kind}{'/{token}' if kind != 'lever' else ''}")
        + '"\n'
        for kind in kinds
    )
    path = tmp_path / "alerts.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "alerts.db"}"\n{sources}{extra}\n'
        '[channels.out]\nurl = "console://"\n'
        f'[[subscriptions]]\nname = "s"\nboards = {json.dumps(boards)}\nchannels = ["out"]\n'
    )
    return path


def run_once(path: Path) -> CycleReport:
    async def go() -> CycleReport:
        config_ = load_config(path)
        store = Store(config_.database.url)
        try:
            async with make_client(timeout_seconds=5) as client:
                cycle = Cycle(config_, store, client)
                await cycle.prepare()
                # --all: a failing board would otherwise wait out its back-off (issue 10, item 7).
                return await cycle.run_once(every_board=True)
        finally:
            store.close()

    return asyncio.run(go())


def events(report: CycleReport) -> list[tuple[str, str, dict[str, Any]]]:
    [board] = report.boards
    assert board.error is None, board.error
    return [(e.kind, e.posting.title, e.changes) for e in board.events]


def test_a_failed_second_page_leaves_the_board_as_it_was(tmp_path: Path, httpserver: HTTPServer) -> None:
    case = teamtailor.CASE
    template = case.jobs(case.recorded_body())[0]
    jobs = [case.renumber(template, n) for n in range(150)]
    failing = {"page2": False}

    def answer(request: Request) -> Response:
        start = 100 if request.args.get("page") == "2" else 0
        if start and failing["page2"]:
            return Response("oops", status=500)  # not retried: the test stays fast
        next_url = f"{base_url(httpserver)}/teamtailor/acme/jobs.json?page=2" if not start else None
        body = teamtailor.feed(jobs[start : start + 100], next_url)
        return Response(body, content_type="application/json")

    httpserver.expect_request("/teamtailor/acme/jobs.json").respond_with_handler(answer)
    path = config(tmp_path, httpserver, ["teamtailor:acme"])
    assert events(run_once(path)) == []
    jobs.pop(0)  # gone from page 1, while page 2 fails
    failing["page2"] = True
    for _ in range(3):
        [result] = run_once(path).boards
        assert result.error is not None and result.events == []
    failing["page2"] = False
    assert events(run_once(path)) == []  # the first complete snapshot without it: one miss
    assert events(run_once(path)) == [("closed", "Role 0", {})]


def test_a_workday_repost_is_no_close_and_open(tmp_path: Path, httpserver: HTTPServer) -> None:
    tenant = WorkdayTenant(httpserver, [workday_row(n) for n in range(3)])
    path = config(tmp_path, httpserver, [WORKDAY_BOARD], bases={"workday": workday_base(httpserver)})
    assert events(run_once(path)) == []
    tenant.rows[1]["externalPath"] += "-1"  # the same requisition posted again: "..._JR0001001-1"
    for _ in range(3):  # enough polls for a close, had the old path been a posting of its own
        assert events(run_once(path)) == []
    assert tenant.rows[1]["externalPath"].endswith("_JR0001001-1")


def _companies(report: CycleReport) -> dict[str, set[str | None]]:
    return {b.board.key: {e.posting.company for e in b.events} for b in report.boards}


def test_board_names(tmp_path: Path, httpserver: HTTPServer) -> None:
    boards = {
        "teamtailor:acme": Board(httpserver, teamtailor.CASE, "acme"),
        "teamtailor:named": Board(httpserver, teamtailor.CASE, "named"),
        "breezy:acme": Board(httpserver, breezy.CASE, "acme"),
        "pinpoint:acme": Board(httpserver, pinpoint.CASE, "acme"),
        "personio:acme": Board(httpserver, personio.CASE, "acme"),
    }
    lever_jobs = json.loads(lever.CASE.recorded_body())
    for token in ("plaid", "ramp"):
        httpserver.expect_request(f"/lever/postings/{token}").respond_with_json(lever_jobs)
    for board in boards.values():
        template = board.case.jobs(board.case.recorded_body())[0]
        board.jobs = [board.case.renumber(template, n) for n in range(2)]
    names = '[boards."lever:plaid"]\nname = "Plaid"\n[boards."https://named.teamtailor.com/jobs"]\nname = "Named AB"\n'
    names += '[boards."pinpoint:acme"]\nname = "Acme Ltd"\n[boards."personio:acme"]\nname = "Acme GmbH"\n'
    path = config(tmp_path, httpserver, [*boards, "lever:plaid", "lever:ramp"], names)
    extra = path.read_text().replace('name = "s"', 'name = "s"\ninclude_existing = true')
    path.write_text(extra)
    assert _companies(run_once(path)) == {
        "lever:plaid": {"Plaid"},  # the config's name
        "lever:ramp": {"ramp"},  # Lever names no company: the token
        "teamtailor:acme": {"Teamtailor"},  # the feed's title
        "teamtailor:named": {"Named AB"},  # the config wins over the feed
        "breezy:acme": {"MS Breezy Trial"},  # company.name
        "pinpoint:acme": {"Acme Ltd"},
        "personio:acme": {"Acme GmbH"},  # over each position's subcompany too
    }


def test_a_name_given_later_renames_the_stored_postings_although_the_board_answers_304(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    lever_jobs = json.loads(lever.CASE.recorded_body())
    conditional: list[bool] = []

    def answer(request: Request) -> Response:
        conditional.append("If-None-Match" in request.headers)
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(json.dumps(lever_jobs), content_type="application/json", headers={"ETag": '"v1"'})

    httpserver.expect_request("/lever/postings/plaid").respond_with_handler(answer)
    path = config(tmp_path, httpserver, ["lever:plaid"])
    run_once(path)
    run_once(path)
    assert conditional == [False, True]  # the board answers 304 while nothing changes

    path.write_text(path.read_text() + '[boards."lever:plaid"]\nname = "Plaid"\n')
    run_once(path)  # renamed: a complete fetch, not a 304
    run_once(path)  # stored under the new name: conditional again
    assert conditional == [False, True, False, True]
    store = Store(load_config(path).database.url)
    try:
        assert {p.posting.company for p in store.views.open_postings()} == {"Plaid"}
    finally:
        store.close()
