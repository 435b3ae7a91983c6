"""Reposts through real cycles: a Lever board on a local HTTP server, Apprise
json:// to a local webhook, a SQLite file or the real PostgreSQL, and a clock
the test moves on by days."""

from __future__ import annotations

import asyncio
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
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


def job(job_id: str, which: int = 0, title: str | None = None, dated: bool = True) -> dict[str, Any]:
    record = copy.deepcopy(RECORDED[which])
    record["id"] = job_id
    if not dated:  # no date from the source: ages count from the first sighting
        del record["createdAt"]
    record["text"] = title or record["text"]
    record["hostedUrl"] = f"https://jobs.lever.co/acme/{job_id}"
    record["applyUrl"] = f"https://jobs.lever.co/acme/{job_id}/apply"
    return record


class World:
    """The board, the webhooks and the clock of one test."""

    def __init__(self, server: HTTPServer, tmp_path: Path, database_url: str, extra: str = ""):
        self.server, self.now = server, T0
        self.jobs: list[dict[str, Any]] = []
        self.received: dict[str, list[dict[str, Any]]] = {"hook": [], "quiet": []}
        server.expect_request("/lever/postings/acme").respond_with_handler(
            lambda request: Response(json.dumps(self.jobs), content_type="application/json")
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
[channels.hook]
url = "json://127.0.0.1:{server.port}/hook"
[channels.quiet]
url = "json://127.0.0.1:{server.port}/quiet"
[[subscriptions]]
name = "announce"
boards = ["lever:acme"]
channels = ["hook"]
{extra}
"""
        )
        self.config = load_config(path)
        self.store = Store(self.config.database.url)

    def _receiver(self, name: str):  # type: ignore[no-untyped-def]
        def handle(request: Request) -> Response:
            self.received[name].append(json.loads(request.data))
            return Response("{}", content_type="application/json")

        return handle

    def cycle(self, *, days: float, jobs: list[dict[str, Any]]) -> None:
        """Move the clock on, serve these jobs, run one full cycle."""
        self.now += timedelta(days=days)
        self.jobs = jobs

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


@pytest.fixture
def world(httpserver: HTTPServer, tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    made: list[World] = []

    def make(extra: str = "") -> World:
        made.append(World(httpserver, tmp_path, database_url, extra))
        return made[-1]

    yield make
    for w in made:
        w.store.close()


def test_a_new_id_for_the_same_job_within_the_window_is_one_reposted_message(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])  # baseline: nothing said
    assert w.take() == []
    w.cycle(days=2, jobs=[job("other", 1)])
    (closed,) = w.take()
    assert closed.startswith("1 closed: acme")
    w.cycle(days=8, jobs=[job("new"), job("other", 1)])  # ten days after "old" was first seen

    (message,) = w.take()
    title, body = message.split("\n", 1)
    assert title == "1 reposted: acme"
    assert f"REPOSTED: {TITLE}" in body and "NEW:" not in body
    assert "reposts an earlier posting (closed 8 days ago), open 10 days in total" in body
    assert "earlier: https://jobs.lever.co/acme/old" in body
    assert "https://jobs.lever.co/acme/new" in body

    w.cycle(days=1, jobs=[job("new"), job("other", 1)])
    assert w.take() == []  # announced once: never a second "new" for it


def test_a_repost_of_a_job_still_open_is_reposted_too(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old")])
    w.cycle(days=3, jobs=[job("old"), job("new")])
    (message,) = w.take()
    assert message.startswith("1 reposted: acme")
    assert "reposts an earlier posting (still open), open 3 days in total" in message


def test_outside_the_window_it_is_a_plain_new_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old")])
    w.cycle(days=1, jobs=[])  # the board empties: held once as suspect...
    w.cycle(days=1, jobs=[])  # ...then confirmed: closed
    assert [m.split("\n")[0] for m in w.take()] == ["1 closed: acme"]
    w.cycle(days=31, jobs=[job("new")])  # closed 31 days ago; the window is 30
    (message,) = w.take()
    assert message.startswith("1 new: acme")
    assert f"NEW: {TITLE}" in message and "reposts" not in message and "REPOSTED" not in message


def test_a_chain_of_reposts_counts_from_the_first_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("first"), job("other", 1)])
    w.cycle(days=20, jobs=[job("other", 1)])
    w.cycle(days=5, jobs=[job("second"), job("other", 1)])
    w.cycle(days=10, jobs=[job("other", 1)])
    w.take()
    w.cycle(days=10, jobs=[job("third"), job("other", 1)])  # "first" closed 25 days ago: out of reach
    (message,) = w.take()
    assert "REPOSTED" in message and "earlier: https://jobs.lever.co/acme/second" in message
    assert "open 45 days in total" in message  # since "first" was seen


def test_reposts_hide_drops_the_repost_for_that_subscription_only(world) -> None:
    w = world(
        '[[subscriptions]]\nname = "hidden"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nreposts = "hide"'
    )
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    assert len(w.take("hook")) == 1 and len(w.take("quiet")) == 1  # both hear of the close
    w.cycle(days=1, jobs=[job("new"), job("other", 1)])
    assert w.take("quiet") == []  # hidden: nothing at all
    (message,) = w.take("hook")
    assert message.startswith("1 reposted: acme")
    # A different job is new for both.
    w.cycle(days=1, jobs=[job("new"), job("other", 1), job("fresh", title="Data Scientist")])
    assert [m.split("\n")[0] for m in w.take("quiet")] == ["1 new: acme"]
    assert [m.split("\n")[0] for m in w.take("hook")] == ["1 new: acme"]


def test_the_migration_gives_stored_postings_their_repost_keys(database_url: str) -> None:
    from alerts.model import Posting
    from alerts.store.engine import make_engine, upgrade
    from alerts.store.reposts import repost_key
    from alerts.store.tables import boards, postings

    engine = make_engine(database_url)
    try:
        upgrade(engine, "0007")
        posting = Posting("lever", "acme", "old", "Android Engineer", location="London")
        data = {k: v for k, v in posting.to_dict().items() if k != "description"}  # as 0007 stored it
        with engine.begin() as conn:
            board_id = conn.execute(
                sa.insert(boards).values(key="lever:acme", source="lever", token="acme", created_at=T0)
            ).inserted_primary_key[0]
            row = {
                "board_id": board_id,
                "state": "closed",
                "content_hash": "x",
                "first_seen_at": T0,
                "changed_at": T0,
            }
            conn.execute(sa.insert(postings).values(external_id="old", data=data, **row))
            conn.execute(sa.insert(postings).values(external_id="bad", data={"title": 3}, **row))
        upgrade(engine)
        with engine.connect() as conn:
            keys = dict(conn.execute(sa.select(postings.c.external_id, postings.c.repost_key)).all())
    finally:
        engine.dispose()
    assert keys == {"old": repost_key(posting), "bad": None}
    assert (
        repost_key(Posting("lever-eu", "acme", "new", "android  engineer!", location="london")) == keys["old"]
    )
    assert repost_key(Posting("lever", "acme", "new", "Android Engineer", location="Paris")) != keys["old"]


def test_stored_events_and_open_postings_keep_what_the_filters_need(world) -> None:
    """History, feeds and `alerts jobs` decide by the same filters: a hidden
    repost stays hidden there, and posted_within counts from the first sighting."""
    from alerts.service.matches import matched_events, open_matches

    w = world(
        '[[subscriptions]]\nname = "hidden"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nreposts = "hide"\n'
        '[[subscriptions]]\nname = "recent"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nposted_within = "36h"'
    )
    w.cycle(days=0, jobs=[job("old", dated=False), job("other", 1, dated=False)])
    w.cycle(days=1, jobs=[job("other", 1, dated=False)])
    w.cycle(days=1, jobs=[job("new", dated=False), job("other", 1, dated=False)])
    events = {e.kind: (e, names) for e, names in matched_events(w.config, w.store)}
    repost, names = events["opened"]
    assert repost.reposts is not None and repost.reposts.external_id == "old"
    assert "hidden" not in names and "announce" in names
    closed, names = events["closed"]
    assert closed.first_seen_at == T0 and "recent" in names  # closed a day after it was first seen
    recent = {m.open.external_id for m in open_matches(w.config, w.store, subscription="recent", now=w.now)}
    assert recent == {"new"}  # "other" was first seen two days ago: too long
