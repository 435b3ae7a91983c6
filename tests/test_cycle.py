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

DATA = Path(__file__).parent / "sources" / "data"


class FlakyStore(Store):
    """A real store whose writes for one board fail as a broken database would."""

    def apply_snapshot(self, board, *args, **kwargs):  # type: ignore[no-untyped-def]
        if board.key == "lever:broken":
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))
        return super().apply_snapshot(board, *args, **kwargs)


def test_a_store_error_fails_only_its_board(tmp_path, httpserver):
    payload = json.loads((DATA / "lever_spotify.json").read_text())
    for token in ("spotify", "broken"):
        httpserver.expect_request(f"/lever/postings/{token}").respond_with_json(payload)
    config_path = tmp_path / "alerts.toml"
    config_path.write_text(
        f"""
[sources.lever]
base_url = "http://127.0.0.1:{httpserver.port}/lever"
[channels.out]
url = "console://"
[[subscriptions]]
name = "s"
boards = ["lever:spotify", "lever:broken"]
channels = ["out"]
"""
    )
    config = load_config(config_path)
    store = FlakyStore(config.database.url)

    async def once():
        async with make_client(timeout_seconds=5) as client:
            cycle = Cycle(config, store, client)
            await cycle.prepare()
            return await cycle.run_once()

    try:
        report = asyncio.run(once())
    finally:
        store.close()
    results = {r.board.key: r for r in report.boards}
    assert results["lever:spotify"].error is None and results["lever:spotify"].postings == 2
    assert "snapshot not stored: OperationalError" in str(results["lever:broken"].error)
    assert "2 boards polled (1 failed)" in report.summary()
