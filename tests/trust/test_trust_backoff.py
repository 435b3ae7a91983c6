"""Issue 10, item 7: `run --once` (cron) honours a failing board's back-off,
`alerts status` says when its next try is, and `run --once --all` polls
every board now."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pytest_httpserver import HTTPServer

from support import run_once
from trust_support import Board, lever_jobs, line_of, recorded, status

WHEN = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def test_run_once_waits_out_a_failing_boards_backoff(tmp_path: Path, httpserver: HTTPServer) -> None:
    base = f"http://127.0.0.1:{httpserver.port}"
    config = tmp_path / "alerts.toml"
    config.write_text(
        f"""
[database]
url = "sqlite:///{tmp_path / "alerts.db"}"

[sources.lever]
base_url = "{base}/lever"
[sources.greenhouse]
base_url = "{base}/gh"

[channels.out]
url = "console://"

[[subscriptions]]
name = "everything"
boards = ["lever:spotify", "greenhouse:acme"]
channels = ["out"]
"""
    )
    healthy = Board(httpserver, "/lever/postings/spotify", lever_jobs())
    failing = Board(httpserver, "/gh/boards/acme/jobs", recorded("greenhouse_vercel.json"))
    failing.status = 404

    started = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    run_once(config)
    assert (healthy.hits, failing.hits) == (1, 1)

    # The 404 put the board in back-off (15 minutes at the first failure):
    # the next cron run leaves it alone, and status says when it is tried.
    run_once(config)
    assert healthy.hits == 2
    assert failing.hits == 1, "run --once polled a board still in its back-off"
    row = line_of(status(config), "greenhouse:acme")
    # BOARD  OPEN  LAST SUCCESS  NEXT POLL  HEALTH
    _, _, _, next_poll, health = re.split(r"\s{2,}", row, maxsplit=4)
    assert "404" in health, row
    assert WHEN.fullmatch(next_poll), f"status says the next poll is {next_poll!r}: {row}"
    next_try = datetime.strptime(next_poll, "%Y-%m-%d %H:%M UTC").replace(tzinfo=timezone.utc)
    assert next_try >= started + timedelta(minutes=10), row

    # --all polls every board now, the failing one too.
    run_once(config, "--all")
    assert (healthy.hits, failing.hits) == (3, 2)
