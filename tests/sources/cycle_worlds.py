"""Boards of the detail-based kinds on a local server, each counting its list
and detail requests, and one cycle at a time through the real Cycle (config,
database, the source cache in its table): for the tests of what happens
between polls (keys that stick, details that fail or wait, a site that
answers with something else)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.config import load_config
from alerts.cycle import Cycle
from alerts.sources import make_client
from alerts.store import Store

from reach_support import PATIENT_SECONDS, WORKDAY_BOARD, Under, WorkdayTenant, workday_base, workday_row


class World:
    """One kind's board on the local server: jobs by number, what was asked."""

    kind = ""
    spec = ""

    def __init__(self, server: HTTPServer):
        self.server = server
        self.jobs: dict[int, str] = {}  # number -> title
        self.lists = self.details = 0

    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def open(self, number: int, title: str | None = None) -> None:
        self.jobs[number] = title or f"Job {number}"

    def close(self, number: int) -> None:
        del self.jobs[number]

    def json(self, value: Any) -> Response:
        return Response(json.dumps(value), content_type="application/json")


class Workday(World):
    kind, spec = "workday", WORKDAY_BOARD

    def __init__(self, server: HTTPServer):
        super().__init__(server)
        self.tenant = WorkdayTenant(server, [])

    def base(self) -> str:
        return workday_base(self.server)

    repost: set[int] = set()

    def sync(self) -> None:
        self.tenant.rows[:] = [workday_row(n, title=t) for n, t in sorted(self.jobs.items())]
        for row, number in zip(self.tenant.rows, sorted(self.jobs), strict=True):
            if number in self.repost:
                row["externalPath"] += "-1"

    @property
    def counts(self) -> tuple[int, int]:
        self.sync()
        return self.tenant.asked["list"], self.tenant.asked["detail"]


class BambooHR(World):
    kind, spec = "bamboohr", "bamboohr:acme"

    def __init__(self, server: HTTPServer):
        super().__init__(server)
        server.expect_request("/careers/list").respond_with_handler(self._list)
        server.expect_request(Under("/careers/")).respond_with_handler(self._detail)

    def _list(self, request: Request) -> Response:
        self.lists += 1
        rows = [
            {"id": str(n), "jobOpeningName": t, "departmentLabel": "Ops", "locationType": "1"}
            for n, t in sorted(self.jobs.items())
        ]
        return self.json({"meta": {"totalCount": len(rows)}, "result": rows})

    def _detail(self, request: Request) -> Response:
        self.details += 1
        opening = {"datePosted": "2026-09-16", "compensation": "$50,000 - $60,000 per year", "location": {}}
        return self.json({"result": {"jobOpening": opening}})

    @property
    def counts(self) -> tuple[int, int]:
        return self.lists, self.details


def _uuid(number: int) -> str:
    return f"0f5b3a1e-0000-4c2d-9e8f-{number:012d}"


class Rippling(World):
    kind, spec = "rippling", "rippling:acme"

    def __init__(self, server: HTTPServer):
        super().__init__(server)
        server.expect_request("/acme/jobs").respond_with_handler(self._list)
        server.expect_request(Under("/acme/jobs/")).respond_with_handler(self._detail)

    def _list(self, request: Request) -> Response:
        self.lists += 1
        return self.json(
            [
                {
                    "uuid": _uuid(n),
                    "name": t,
                    "department": {"label": "Eng"},
                    "workLocation": {"label": "Remote"},
                }
                for n, t in sorted(self.jobs.items())
            ]
        )

    def _detail(self, request: Request) -> Response:
        self.details += 1
        return self.json({"uuid": request.path.rsplit("/", 1)[-1], "companyName": "Acme Inc.", "name": "x"})

    @property
    def counts(self) -> tuple[int, int]:
        return self.lists, self.details


class JsonLd(World):
    kind, spec = "jsonld", "jsonld:https://careers.acme.example/sitemap.xml"

    def __init__(self, server: HTTPServer):
        super().__init__(server)
        self.versions: dict[int, int] = {}
        server.expect_request(Under("/"), method="GET").respond_with_handler(self._answer)

    def open(self, number: int, title: str | None = None) -> None:
        super().open(number, title)
        self.versions[number] = self.versions.get(number, 0) + 1  # a new lastmod

    def _answer(self, request: Request) -> Response:
        if request.path == "/sitemap.xml":
            self.lists += 1
            urls = "".join(
                f"<url><loc>https://careers.acme.example/jobs/{n}</loc><lastmod>2026-09-{self.versions[n]:02d}</lastmod></url>"
                for n in sorted(self.jobs)
            )
            return Response(f"<urlset>{urls}</urlset>", content_type="application/xml")
        self.details += 1
        number = int(request.path.rsplit("/", 1)[-1])
        job = {"@type": "JobPosting", "title": self.jobs.get(number), "identifier": str(number)}
        block = json.dumps({**job, "hiringOrganization": {"name": "Acme"}})
        return Response(f'<script type="application/ld+json">{block}</script>', content_type="text/html")

    @property
    def counts(self) -> tuple[int, int]:
        return self.lists, self.details


def config(tmp_path: Path, world: World, database_url: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""
[database]
url = "{database_url}"
[sources.{world.kind}]
base_url = "{world.base()}"
[channels.out]
url = "console://"
[[subscriptions]]
name = "s"
boards = ["{world.spec}"]
channels = ["out"]
"""
    )
    return path


class Run:
    def __init__(self, path: Path, world: World, *, every_board: bool = False):
        self.config = load_config(path)
        self.world = world
        self.every_board = every_board  # a failing board too, as `run --once --all` does

    def __call__(self) -> tuple[list[tuple[str, str, dict[str, Any]]], int]:
        """One cycle: its events (kind, title, changes) and the details it asked for."""
        if isinstance(self.world, Workday):
            self.world.sync()
        before = self.world.counts[1]

        async def go():  # type: ignore[no-untyped-def]
            store = Store(self.config.database.url)
            try:
                async with make_client(timeout_seconds=PATIENT_SECONDS) as client:
                    cycle = Cycle(self.config, store, client)
                    await cycle.prepare()
                    return await cycle.run_once(every_board=self.every_board)
            finally:
                store.close()

        report = asyncio.run(go())
        [board] = report.boards
        assert board.error is None, board.error
        events = [(e.kind, e.posting.title, e.changes) for e in board.events]
        return events, self.world.counts[1] - before
