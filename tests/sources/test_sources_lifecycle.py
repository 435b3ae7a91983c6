"""Every kind through real cycles (config, a local server, the database, the
Cycle in-process, the source cache in its table): a silent baseline, a
steady poll, opened, updated with the old and new value, a failed fetch that
changes nothing and counts no miss, closed after two misses, reopened. The
kinds that ask for a detail per posting ask for it once per new or changed
posting and never on a steady poll, counted at the server."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.boards import KINDS
from alerts.config import load_config
from alerts.cycle import Cycle, CycleReport
from alerts.sources import make_client
from alerts.store import Store

from contract import CASES
from reach_support import PATIENT_SECONDS, Under
from sources_support import FAST, Case, DetailPaths, base_url

Events = list[tuple[str, str, dict[str, Any]]]


class World:
    """One board on the local server: its jobs by number (number -> title),
    whether it fails, and how many list and detail requests it was asked."""

    label = kind = spec = ""
    detailed = False  # asks for one request more per new or changed posting

    def __init__(self) -> None:
        self.jobs: dict[int, str] = {}
        self.failing = False
        self.lists = self.details = 0

    def base(self) -> str:
        raise NotImplementedError

    def open(self, number: int, title: str | None = None) -> None:
        self.jobs[number] = title or f"Role {number}"

    def close(self, number: int) -> None:
        del self.jobs[number]


def _title_key(case: Case, template: Any) -> str:
    """The field a kind's records keep their title in: the one `renumber` sets to "Role n"."""
    keys = [key for key, value in case.renumber(template, 0).items() if value == "Role 0"]
    assert len(keys) == 1, f"{case}: where is the title? {keys}"
    return keys[0]


class CaseWorld(World):
    """A kind of the contract table (tests/sources/kinds/): its list built
    from its recorded job, renumbered; every detail (where it has them)
    answered with its recorded detail."""

    def __init__(self, server: HTTPServer, case: Case):
        super().__init__()
        self.case = case
        self.label, self.kind, self.spec = str(case), case.kind, f"{case.kind}:{case.token}"
        self.detailed = case.details is not None
        self.server = server
        self.template = case.jobs(case.recorded_body())[0]
        self.title_key = _title_key(case, self.template)
        server.expect_request(case.path, method=case.method).respond_with_handler(self._list)
        if case.details is not None:
            server.expect_request(DetailPaths(case.details), method="GET").respond_with_handler(self._detail)

    def base(self) -> str:
        return self.case.base(base_url(self.server))

    def _list(self, request: Request) -> Response:
        self.lists += 1
        if self.failing:
            return Response("upstream error", status=500)
        jobs = [
            {**self.case.renumber(self.template, n), self.title_key: title}
            for n, title in sorted(self.jobs.items())
        ]
        return Response(self.case.body(jobs), content_type=self.case.content_type)

    def _detail(self, request: Request) -> Response:
        self.details += 1
        assert self.case.details is not None
        return Response(self.case.details.body(), content_type="application/json")


class Sitemap(World):
    """A JSON-LD sitemap: each job page fetched only when it is new or its
    `lastmod` changed."""

    label, kind, spec = "jsonld-sitemap", "jsonld", "jsonld:https://careers.acme.example/sitemap.xml"
    detailed = True

    def __init__(self, server: HTTPServer):
        super().__init__()
        self.server = server
        self.versions: dict[int, int] = {}
        server.expect_request(Under("/"), method="GET").respond_with_handler(self._answer)

    def base(self) -> str:
        return base_url(self.server)

    def open(self, number: int, title: str | None = None) -> None:
        super().open(number, title)
        self.versions[number] = self.versions.get(number, 0) + 1  # a new lastmod

    def _answer(self, request: Request) -> Response:
        if request.path == "/sitemap.xml":
            self.lists += 1
            if self.failing:
                return Response("upstream error", status=500)
            urls = "".join(
                f"<url><loc>https://careers.acme.example/jobs/{n}</loc>"
                f"<lastmod>2026-09-{self.versions[n]:02d}</lastmod></url>"
                for n in sorted(self.jobs)
            )
            return Response(f"<urlset>{urls}</urlset>", content_type="application/xml")
        self.details += 1
        number = int(request.path.rsplit("/", 1)[-1])
        job = {"@type": "JobPosting", "title": self.jobs.get(number), "identifier": str(number)}
        block = json.dumps({**job, "hiringOrganization": {"name": "Acme"}})
        return Response(f'<script type="application/ld+json">{block}</script>', content_type="text/html")


# Kinds that cannot run this lifecycle, and why (each has its own tests).
NOT_CYCLED = {
    "bluedoor": "incremental: a posting absent from a poll is no miss, a closed one comes with its status "
    "(test_sources_bluedoor.py); its board is a subscription's query, not a spec",
}
WORLDS: list[tuple[str, Any]] = [
    *(
        (str(case), lambda server, case=case: CaseWorld(server, case))
        for case in CASES
        if case.kind not in NOT_CYCLED
    ),
    ("jsonld-sitemap", Sitemap),
]
# Kinds with details run on both databases (their cache lives in a table of its own).
DETAILED = {str(case) for case in CASES if case.details} | {"jsonld-sitemap"}
PARAMS = [
    pytest.param(make, database, id=f"{label}-{database}")
    for label, make in WORLDS
    for database in (("sqlite", "postgresql") if label in DETAILED else ("sqlite",))
]


def test_every_kind_runs_the_lifecycle_or_says_why_not() -> None:
    cycled = {case.kind for case in CASES if case.kind not in NOT_CYCLED} | {Sitemap.kind}
    assert not cycled & set(NOT_CYCLED)
    assert [kind for kind in KINDS if kind not in cycled and kind not in NOT_CYCLED] == []


def config(tmp_path: Path, world: World, database_url: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(
        f'[database]\nurl = "{database_url}"\n[sources.{world.kind}]\nbase_url = "{world.base()}"\n'
        '[channels.out]\nurl = "console://"\n'
        f'[[subscriptions]]\nname = "s"\nboards = ["{world.spec}"]\nchannels = ["out"]\n'
    )
    return path


class Run:
    def __init__(self, path: Path, world: World):
        self.config = load_config(path)
        self.world = world

    def report(self) -> CycleReport:
        async def go() -> CycleReport:
            store = Store(self.config.database.url)
            try:
                # Patient (a read timeout retried would be counted twice), fast retries.
                async with make_client(timeout_seconds=PATIENT_SECONDS, retry=FAST) as client:
                    cycle = Cycle(self.config, store, client)
                    await cycle.prepare()
                    # --all: a failing board would otherwise wait out its back-off (issue 10, item 7).
                    return await cycle.run_once(every_board=True)
            finally:
                store.close()

        return asyncio.run(go())

    def __call__(self) -> tuple[Events, int]:
        """One cycle: its events (kind, title, changes) and the details it asked for."""
        before = self.world.details
        [board] = self.report().boards
        assert board.error is None, board.error
        events = [(e.kind, e.posting.title, e.changes) for e in board.events]
        return events, self.world.details - before


@pytest.mark.parametrize(("make", "database"), PARAMS)
def test_a_board_through_its_life(
    make: Any,
    database: str,
    httpserver: HTTPServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world: World = make(httpserver)
    url = (
        f"sqlite:///{tmp_path / 'alerts.db'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    run = Run(config(tmp_path, world, url), world)
    one = 1 if world.detailed else 0  # details asked for one new or changed posting
    for number in range(5):
        world.open(number)

    assert run() == ([], 5 * one)  # the baseline: every detail once, nothing announced
    caplog.set_level(logging.INFO, logger="alerts")
    assert run() == ([], 0)  # steady: the list alone
    assert any(f"{world.spec}: 5 postings, 0 events, " in r.getMessage() for r in caplog.records)
    assert not any("for details" in r.getMessage() for r in caplog.records)

    world.open(7, "Staff Engineer")
    assert run() == ([("opened", "Staff Engineer", {})], one)
    assert any("(1 for details)" in r.getMessage() for r in caplog.records) is world.detailed

    world.open(1, "Senior Role 1")  # retitled
    assert run() == ([("updated", "Senior Role 1", {"title": ["Role 1", "Senior Role 1"]})], one)

    world.close(2)
    world.failing = True  # a failed fetch changes nothing and counts no miss
    details = world.details
    [failed] = run.report().boards
    assert failed.error is not None and failed.error.status == 500 and failed.events == []
    assert world.details == details  # a failed list asks for no detail
    world.failing = False
    assert run() == ([], 0)  # one miss is not a close
    assert run() == ([("closed", "Role 2", {})], 0)

    world.open(2)
    events, _ = run()
    assert events == [("reopened", "Role 2", {})]
    assert run() == ([], 0)
