"""Issue 10, item 6: cron is told the truth. `run --once` exits 0 when the
cycle ran and a board answered, 3 when every board polled failed, 1 when the
cycle could not run; `-q/--quiet` everywhere, and `run --once --quiet` is
silent when nothing went wrong; the summary is printed once."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from pytest_httpserver import HTTPServer

from alerts.cli import main

from support import alerts, free_port, run_once
from trust_support import Board, lever_jobs, recorded

SUMMARY = re.compile(r"\d+ boards? polled")


def config_for(folder: Path, server: HTTPServer, greenhouse_base: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "alerts.toml"
    path.write_text(
        f"""
[database]
url = "sqlite:///{folder / "alerts.db"}"

[sources.lever]
base_url = "http://127.0.0.1:{server.port}/lever"
[sources.greenhouse]
base_url = "{greenhouse_base}"

[channels.out]
url = "console://"

[[subscriptions]]
name = "everything"
boards = ["lever:spotify", "greenhouse:acme"]
channels = ["out"]
"""
    )
    return path


def test_run_once_exit_codes(tmp_path: Path, httpserver: HTTPServer) -> None:
    lever = Board(httpserver, "/lever/postings/spotify", lever_jobs())
    offline = f"http://127.0.0.1:{free_port()}/gh"  # nothing listens there

    # Every board fails: one answers 500, one's host refuses the connection.
    lever.status = 500
    every_board_fails = config_for(tmp_path / "down", httpserver, offline)
    result = run_once(every_board_fails, code=None)
    assert result.returncode == 3, f"every board failed, exit {result.returncode}\n{result.stderr}"

    # One board answers, the other still fails: the cycle ran.
    lever.status = 200
    run_once(config_for(tmp_path / "half", httpserver, offline), code=0)

    # The cycle cannot run: a broken config, an unreachable database.
    broken = tmp_path / "broken.toml"
    broken.write_text('[database\nurl = "sqlite:///x.db"\n')
    result = run_once(broken, code=None)
    assert result.returncode == 1 and "error:" in result.stderr, result.stderr
    unreachable = config_for(tmp_path / "nodb", httpserver, offline)
    unreachable.write_text(
        unreachable.read_text().replace(
            f"sqlite:///{tmp_path / 'nodb' / 'alerts.db'}",
            f"postgresql://postgres@127.0.0.1:{free_port()}/none",
        )
    )
    result = run_once(unreachable, code=None)
    assert result.returncode == 1 and "error:" in result.stderr, result.stderr


def healthy(tmp_path: Path, server: HTTPServer) -> tuple[Path, Board]:
    lever = Board(server, "/lever/postings/spotify", lever_jobs())
    Board(server, "/gh/boards/acme/jobs", recorded("greenhouse_vercel.json"))
    return config_for(tmp_path, server, f"http://127.0.0.1:{server.port}/gh"), lever


def test_run_once_quiet_is_silent_when_nothing_happened(tmp_path: Path, httpserver: HTTPServer) -> None:
    config, lever = healthy(tmp_path, httpserver)
    run_once(config)  # the baseline
    result = run_once(config, "--quiet")
    assert (result.stdout, result.stderr) == ("", ""), "a quiet cycle where nothing happened printed"
    assert lever.hits == 2

    # Something wrong is still said, so cron mails it.
    lever.status = 500
    result = run_once(config, "-q", code=None)
    assert result.returncode == 0, result.stderr  # greenhouse:acme answered
    assert "lever:spotify" in result.stderr


def test_the_summary_is_printed_once(tmp_path: Path, httpserver: HTTPServer) -> None:
    config, _ = healthy(tmp_path, httpserver)
    for _ in range(2):
        result = run_once(config)
        assert len(SUMMARY.findall(result.stdout)) == 1, result.stdout
        assert SUMMARY.findall(result.stderr) == [], f"the summary is printed and logged:\n{result.stderr}"


def leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from leaf_commands(command, prefix + (name,))
        elif prefix + (name,) != ("boards", "resolve"):  # reads no config and logs nothing
            yield prefix + (name,)


@pytest.mark.parametrize("words", list(leaf_commands(main)), ids=" ".join)
def test_every_command_takes_quiet(words: tuple[str, ...]) -> None:
    result = alerts(*words, "--help")
    assert result.returncode == 0, result.stderr
    assert re.search(r"-q, --quiet\b", result.stdout), result.stdout


def test_validate_quiet_is_accepted(tmp_path: Path, httpserver: HTTPServer) -> None:
    config, _ = healthy(tmp_path, httpserver)
    result = alerts("validate", "-q", "--config", str(config))
    assert result.returncode == 0, result.stderr
