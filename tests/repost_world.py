"""Reposts through real cycles: Lever (and Greenhouse) boards on a local HTTP
server, Apprise json:// to local webhooks, a SQLite file or the real
PostgreSQL, and a clock the test moves on by days."""

from __future__ import annotations

import asyncio
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.config import load_config
from alerts.cycle import Cycle
from alerts.sources import make_client
from alerts.store import Store

DATA = Path(__file__).parent / "sources" / "data"
T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)  # the board's own dates are older still
RECORDED = json.loads((DATA / "lever_spotify.json").read_text())
TITLE = RECORDED[0]["text"]  # "Android Engineer - Experience", London


def job(
    job_id: str,
    which: int = 0,
    title: str | None = None,
    dated: bool = True,
    created: datetime | None = None,
    department: str | None = None,
) -> dict[str, Any]:
    record = copy.deepcopy(RECORDED[which])
    record["id"] = job_id
    if not dated:  # no date from the source: ages count from the first sighting
        del record["createdAt"]
    elif created is not None:
        record["createdAt"] = int(created.timestamp() * 1000)
    if department is not None:
        record["categories"]["department"] = department
    record["text"] = title or record["text"]
    record["hostedUrl"] = f"https://jobs.lever.co/acme/{job_id}"
    record["applyUrl"] = f"https://jobs.lever.co/acme/{job_id}/apply"
    return record


class World:
    """The board, the webhooks and the clock of one test."""

    def __init__(
        self,
        server: HTTPServer,
        tmp_path: Path,
        database_url: str,
        extra: str = "",
        boards: tuple[str, ...] = ("lever:acme",),
    ):
        self.server, self.now = server, T0
        self.jobs: list[dict[str, Any]] = []
        self.greenhouse: list[dict[str, Any]] = []  # greenhouse:acme's jobs, when a test follows it
        self.received: dict[str, list[dict[str, Any]]] = {"hook": [], "quiet": []}
        server.expect_request("/lever/postings/acme").respond_with_handler(
            lambda request: Response(json.dumps(self.jobs), content_type="application/json")
        )
        server.expect_request("/greenhouse/boards/acme/jobs").respond_with_handler(
            lambda request: Response(json.dumps({"jobs": self.greenhouse}), content_type="application/json")
        )
        for name in self.received:
            server.expect_request(f"/{name}").respond_with_handler(self._receiver(name))
        path = tmp_path / "alerts.toml"
        path.write_text(
            f"""
[database]
url = "{database_url}"
[polling]
close_after_misses = 1
[alerts]
repost_window = "30d"
[sources.lever]
base_url = "http://127.0.0.1:{server.port}/lever"
[sources.greenhouse]
base_url = "http://127.0.0.1:{server.port}/greenhouse"
[channels.hook]
url = "json://127.0.0.1:{server.port}/hook"
[channels.quiet]
url = "json://127.0.0.1:{server.port}/quiet"
[[subscriptions]]
name = "announce"
boards = {json.dumps(list(boards))}
channels = ["hook"]
{extra}
"""
        )
        self.path, self.config = path, load_config(path)
        self.store = Store(self.config.database.url)

    def _receiver(self, name: str):  # type: ignore[no-untyped-def]
        def handle(request: Request) -> Response:
            self.received[name].append(json.loads(request.data))
            return Response("{}", content_type="application/json")

        return handle

    def cycle(
        self, *, days: float, jobs: list[dict[str, Any]], greenhouse: list[dict[str, Any]] | None = None
    ) -> None:
        """Move the clock on, serve these jobs, run one full cycle."""
        self.now += timedelta(days=days)
        self.jobs = jobs
        if greenhouse is not None:
            self.greenhouse = greenhouse

        async def go() -> None:
            async with make_client(timeout_seconds=5) as client:
                cycle = Cycle(self.config, self.store, client, clock=lambda: self.now)
                await cycle.prepare()
                await cycle.run_once()

        asyncio.run(go())

    def take(self, name: str = "hook") -> list[str]:
        messages = [f"{m['title']}\n{m['message']}" for m in self.received[name]]
        self.received[name].clear()
        return messages


def greenhouse_job(
    job_id: int, title: str = TITLE, location: str = "London", department: str = "Engineering"
) -> dict[str, Any]:
    """A Greenhouse posting of the same job as `job()`'s Lever one."""
    return {
        "id": job_id,
        "title": title,
        "absolute_url": f"https://job-boards.greenhouse.io/acme/jobs/{job_id}",
        "location": {"name": location},
        "departments": [{"id": 1, "name": department, "child_ids": [], "parent_id": None}],
        "offices": [],
        "metadata": [],
        "updated_at": "2026-09-24T13:34:54-04:00",
        "company_name": "Acme",
        "content": "",
    }


def worlds(httpserver: HTTPServer, tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    """The body of a test file's `world` fixture: makes Worlds, closes their stores."""
    made: list[World] = []

    def make(extra: str = "", boards: tuple[str, ...] = ("lever:acme",)) -> World:
        made.append(World(httpserver, tmp_path, database_url, extra, boards))
        return made[-1]

    yield make
    for w in made:
        w.store.close()
