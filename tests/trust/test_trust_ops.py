"""Issue 10, item 3: the ops channel works under `run --once` (cron): told
once when a board reaches `failure_threshold` failed polls in a row, once
when it answers again; a down ops channel is told later, once.

A failing board waits out its back-off under `run --once` (item 7), so the
runs that must poll it again use `run --once --all`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytest_httpserver import HTTPServer

from support import StandaloneHook, run_once
from trust_support import Board, lever_jobs, recorded

FAILING = "/gh/boards/acme/jobs"


def config_for(
    tmp_path: Path, database_url: str, server: HTTPServer, ops: StandaloneHook, threshold: int
) -> Path:
    """A healthy Lever board and a Greenhouse board that the test breaks;
    the ops channel is a webhook of its own, the events go to the console."""
    base = f"http://127.0.0.1:{server.port}"
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""
[database]
url = "{database_url}"

[alerts]
ops_channel = "ops"
failure_threshold = {threshold}

[sources.lever]
base_url = "{base}/lever"
[sources.greenhouse]
base_url = "{base}/gh"

[channels.ops]
url = "{ops.url}"

[channels.out]
url = "console://"

[[subscriptions]]
name = "everything"
boards = ["lever:spotify", "greenhouse:acme"]
channels = ["out"]
"""
    )
    return path


def boards(server: HTTPServer) -> Board:
    Board(server, "/lever/postings/spotify", lever_jobs())
    failing = Board(server, FAILING, recorded("greenhouse_vercel.json"))
    failing.status = 404
    return failing


def kinds(hook: StandaloneHook) -> list[str]:
    """What each ops message says: "recovered" or "failing"."""
    found = []
    for text in hook.texts():
        lowered = text.lower()
        assert "greenhouse:acme" in lowered, text
        found.append("recovered" if "recover" in lowered else "failing" if "fail" in lowered else text)
    return found


def test_ops_told_once_at_the_threshold_and_once_on_recovery_under_run_once(
    tmp_path: Path, httpserver: HTTPServer, database_url: str, make_hook: Callable[..., StandaloneHook]
) -> None:
    ops = make_hook()
    failing = boards(httpserver)
    config = config_for(tmp_path, database_url, httpserver, ops, threshold=2)

    run_once(config)  # failure 1 of 2: nobody told yet
    assert failing.hits == 1 and ops.received == []

    run_once(config, "--all")  # failure 2: the threshold
    assert failing.hits == 2
    assert kinds(ops) == ["failing"], ops.texts()

    for _ in range(2):  # failures 3 and 4: already told
        run_once(config, "--all")
    assert failing.hits == 4
    assert kinds(ops) == ["failing"], ops.texts()

    failing.status = 200  # it answers again: told once
    run_once(config, "--all")
    assert failing.statuses()[-1] == 200
    assert kinds(ops) == ["failing", "recovered"], ops.texts()

    run_once(config)
    run_once(config, "--all")
    assert kinds(ops) == ["failing", "recovered"], ops.texts()


def test_ops_told_at_a_threshold_of_one_under_run_once(
    tmp_path: Path, httpserver: HTTPServer, make_hook: Callable[..., StandaloneHook]
) -> None:
    ops = make_hook()
    failing = boards(httpserver)
    config = config_for(tmp_path, f"sqlite:///{tmp_path / 'alerts.db'}", httpserver, ops, threshold=1)

    run_once(config)
    assert failing.hits == 1
    assert kinds(ops) == ["failing"], f"the ops channel heard nothing under run --once: {ops.texts()}"

    run_once(config)
    assert kinds(ops) == ["failing"], ops.texts()

    failing.status = 200
    run_once(config, "--all")
    assert kinds(ops) == ["failing", "recovered"], ops.texts()


def test_a_down_ops_channel_is_told_later_once(
    tmp_path: Path, httpserver: HTTPServer, database_url: str, make_hook: Callable[..., StandaloneHook]
) -> None:
    ops = make_hook(started=False)  # its port named, nothing listening yet
    failing = boards(httpserver)
    config = config_for(tmp_path, database_url, httpserver, ops, threshold=1)

    run_once(config)  # the threshold is reached while the ops channel is down
    assert failing.hits == 1

    ops.start()
    run_once(config)
    assert kinds(ops) == ["failing"], f"the ops channel, back up, heard: {ops.texts()}"

    run_once(config)
    assert kinds(ops) == ["failing"], ops.texts()


def test_a_board_that_recovers_with_a_304_is_told_once(
    tmp_path: Path, httpserver: HTTPServer, make_hook: Callable[..., StandaloneHook]
) -> None:
    """The recovery can come as a 304 (the ETag survives the failures): that
    is a success like a 200, and the ops channel hears of it once."""
    ops = make_hook()
    failing = boards(httpserver)
    failing.status, failing.etag = 200, '"v1"'
    config = config_for(tmp_path, f"sqlite:///{tmp_path / 'alerts.db'}", httpserver, ops, threshold=1)

    run_once(config)  # the baseline, with the board's ETag
    failing.status = 404
    run_once(config, "--all")
    assert kinds(ops) == ["failing"], ops.texts()

    failing.status = 200
    run_once(config, "--all")
    assert failing.statuses()[-1] == 304
    assert kinds(ops) == ["failing", "recovered"], ops.texts()
    run_once(config, "--all")
    assert kinds(ops) == ["failing", "recovered"], ops.texts()
