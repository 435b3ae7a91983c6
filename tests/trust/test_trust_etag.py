"""Issue 10, item 1: a 304 Not Modified is the same complete snapshot as
last time, so it counts as a poll for the postings that snapshot lacks."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from support import alerts, run_once
from trust_support import Board, lever_jobs, line_of, status


def config_for(tmp_path: Path, database_url: str, server: HTTPServer) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""
[database]
url = "{database_url}"

[polling]
close_after_misses = 2

[sources.lever]
base_url = "http://127.0.0.1:{server.port}/lever"

[channels.out]
url = "console://"

[[subscriptions]]
name = "everything"
boards = ["lever:spotify"]
channels = ["out"]
"""
    )
    return path


def history(config: Path) -> list[str]:
    result = alerts("history", "--config", str(config), "--board", "lever:spotify")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[1:]


def test_a_removed_posting_closes_although_the_board_answers_304(
    tmp_path: Path, httpserver: HTTPServer, database_url: str
) -> None:
    config = config_for(tmp_path, database_url, httpserver)
    board = Board(httpserver, "/lever/postings/spotify", lever_jobs())
    board.etag = '"v1"'
    removed = board.payload[1]["text"]

    run_once(config)  # the baseline: two postings, nothing announced
    assert board.statuses() == [200]

    # One posting disappears: the board's ETag changes once. Miss 1 of 2.
    board.payload.pop(1)
    board.etag = '"v2"'
    run_once(config)
    assert board.statuses()[-1] == 200
    assert not any("closed" in line for line in history(config))

    # From now on the board answers 304: the same snapshot, still without
    # the posting. Miss 2 of 2: it is closed now.
    result = run_once(config)
    assert board.statuses()[-1] == 304, "the board was not asked conditionally"
    closed = [line for line in history(config) if " closed " in f" {line} "]
    assert len(closed) == 1 and removed in closed[0], (
        f"not closed after {2} polls (the second a 304); history: {history(config)}\n{result.stdout}"
    )
    assert "Closed" in result.stdout or "CLOSED" in result.stdout, result.stdout

    # More 304s change nothing: closed once, one posting left open.
    run_once(config)
    assert board.statuses()[-1] == 304
    assert len([line for line in history(config) if " closed " in f" {line} "]) == 1
    # MATCH/OPEN since the status table counts matches too: one posting left open.
    assert line_of(status(config), "lever:spotify").split()[1].split("/")[1] == "1"
