"""The cycle in-process: one board's trouble never ends the cycle for the others."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import sqlalchemy as sa

from alerts.config import load_config
from alerts.cycle import Cycle
from alerts.sources import make_client
from alerts.store import Store
from alerts.store.snapshots import SnapshotQueries

DATA = Path(__file__).parent / "sources" / "data"


def lever_config(tmp_path: Path, port: int, boards: list[str], database_url: str | None = None) -> Path:
    """A config watching these Lever boards on the test server, printing to the console."""
    database = f'[database]\nurl = "{database_url}"\n' if database_url else ""
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""{database}
[sources.lever]
base_url = "http://127.0.0.1:{port}/lever"
[channels.out]
url = "console://"
[[subscriptions]]
name = "s"
boards = {json.dumps(boards)}
channels = ["out"]
"""
    )
    return path


async def run_once(config, store):  # type: ignore[no-untyped-def]
    async with make_client(timeout_seconds=5) as client:
        cycle = Cycle(config, store, client)
        await cycle.prepare()
        return await cycle.run_once()


class FlakySnapshots(SnapshotQueries):
    """Real snapshot writes, except for one board, which fails as a broken database would."""

    def apply(self, board, *args, **kwargs):  # type: ignore[no-untyped-def]
        if board.key == "lever:broken":
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))
        return super().apply(board, *args, **kwargs)


class FlakyStore(Store):
    def __init__(self, url: str):
        super().__init__(url)
        self.snapshots = FlakySnapshots(self.db)


def test_a_store_error_fails_only_its_board(tmp_path, httpserver):
    payload = json.loads((DATA / "lever_spotify.json").read_text())
    for token in ("spotify", "broken"):
        httpserver.expect_request(f"/lever/postings/{token}").respond_with_json(payload)
    config_path = lever_config(tmp_path, httpserver.port, ["lever:spotify", "lever:broken"])
    config = load_config(config_path)
    store = FlakyStore(config.database.url)

    try:
        report = asyncio.run(run_once(config, store))
    finally:
        store.close()
    results = {r.board.key: r for r in report.boards}
    assert results["lever:spotify"].error is None and results["lever:spotify"].postings == 2
    assert "snapshot not stored: OperationalError" in str(results["lever:broken"].error)
    assert "2 boards polled (1 failed)" in report.summary()


def test_unchanged_boards_are_recorded_in_one_statement(tmp_path, httpserver, database_url):
    """A cycle of 304s writes every board's poll marks at once, not a transaction per board."""
    from werkzeug import Response

    payload = (DATA / "lever_spotify.json").read_text()
    tokens = ("one", "two", "three")

    def board(request):  # type: ignore[no-untyped-def]
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(payload, content_type="application/json", headers={"ETag": '"v1"'})

    for token in tokens:
        httpserver.expect_request(f"/lever/postings/{token}").respond_with_handler(board)
    config_path = lever_config(tmp_path, httpserver.port, [f"lever:{t}" for t in tokens], database_url)
    config = load_config(config_path)
    store = Store(config.database.url)
    updates: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE BOARDS SET LAST_POLLED_AT"):
            updates.append(statement)

    try:
        asyncio.run(run_once(config, store))  # the baseline, with ETags
        before = {row.key: row for row in store.boards.board_rows()}
        sa.event.listen(store.engine, "before_cursor_execute", count)
        report = asyncio.run(run_once(config, store))
        after = {row.key: row for row in store.boards.board_rows()}
        with store.engine.connect() as conn:  # as stored: the same format as every other time
            raw = conn.execute(sa.text("SELECT last_polled_at, next_poll_at FROM boards")).all()
    finally:
        store.close()
    assert [r.not_modified for r in report.boards] == [True, True, True]
    assert len(updates) == 1  # one executemany for the three boards
    for polled, next_poll in raw:
        assert type(polled) is type(next_poll)
        if isinstance(polled, str):
            assert len(polled) == len(next_poll), (polled, next_poll)
    for key in (f"lever:{t}" for t in tokens):
        assert after[key].last_polled_at > before[key].last_polled_at
        assert after[key].next_poll_at > after[key].last_polled_at
        assert after[key].consecutive_failures == 0


def test_each_fetch_gets_its_boards_cache_in_the_database(tmp_path, database_url):
    """What a source keeps through FetchContext.cache is there at the next poll of that board only."""
    from alerts.model import BoardRef

    config = load_config(lever_config(tmp_path, 1, ["lever:one", "lever:two"], database_url))
    store = Store(config.database.url)
    store.upgrade()
    one, two = BoardRef("lever", "one"), BoardRef("lever", "two")

    async def go():  # type: ignore[no-untyped-def]
        async with make_client(timeout_seconds=5) as client:
            cycle = Cycle(config, store, client)
            await cycle.prepare()
            states = store.boards.fetch_states([one.key, two.key])
            first = cycle._context(one, states[one.key]).cache
            await first.put({"job-1": ("list-v1", {"country": "DE"})})
            again = cycle._context(one, states[one.key]).cache
            other = cycle._context(two, states[two.key]).cache
            found = await again.get(["job-1", "job-2"])
            missing = await other.get(["job-1"])
            await again.retain([])
            return found, missing, await again.get(["job-1"])

    try:
        found, missing, after = asyncio.run(go())
    finally:
        store.close()
    assert found == {"job-1": ("list-v1", {"country": "DE"})}
    assert missing == {} and after == {}
