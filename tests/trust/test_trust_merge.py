"""Issue 10, item 5: one message tells what happened, in the order it
happened, one entry per posting: closed-then-reopened reads as reopened,
opened-then-closed as "opened and closed", two updates as one (first old
value -> last new value).

Real cycles: a Lever board on a local server changes between runs while an
instant webhook channel is in its quiet hours; then the quiet hours end and
everything held goes out in one message.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from support import StandaloneHook, run_once
from trust_support import Board, lever_jobs


def job(template: dict[str, Any], number: int, title: str) -> dict[str, Any]:
    made = copy.deepcopy(template)
    made.update(
        id=f"00000000-0000-0000-0000-{number:012d}",
        text=title,
        hostedUrl=f"https://jobs.lever.co/spotify/{number}",
        applyUrl=f"https://jobs.lever.co/spotify/{number}/apply",
    )
    return made


def write_config(path: Path, server: HTTPServer, hook: StandaloneHook, quiet: bool) -> None:
    now = datetime.now(timezone.utc)
    window = f"{now - timedelta(hours=2):%H:%M}-{now + timedelta(hours=2):%H:%M}"
    path.write_text(
        f"""
[database]
url = "sqlite:///{path.parent / "alerts.db"}"

[polling]
close_after_misses = 1

[sources.lever]
base_url = "http://127.0.0.1:{server.port}/lever"

[channels.hook]
url = "{hook.url}"
{f'quiet_hours = "{window}"' if quiet else ""}

[[subscriptions]]
name = "everything"
boards = ["lever:spotify"]
channels = ["hook"]
"""
    )


def lines_with(body: str, text: str) -> list[str]:
    return [line for line in body.splitlines() if text in line]


def test_one_message_merges_each_postings_events(
    tmp_path: Path, httpserver: HTTPServer, make_hook: Callable[..., StandaloneHook]
) -> None:
    hook = make_hook()
    config = tmp_path / "alerts.toml"
    write_config(config, httpserver, hook, quiet=True)
    template = lever_jobs(1)[0]
    alpha, bravo = job(template, 1, "Alpha Role"), job(template, 2, "Bravo v0")
    charlie, delta = job(template, 3, "Charlie Role"), job(template, 4, "Delta Role")
    board = Board(httpserver, "/lever/postings/spotify", [alpha, bravo, charlie])
    run_once(config)  # the baseline

    # Alpha closes, Bravo is retitled, Delta opens...
    board.payload = [job(template, 2, "Bravo v1"), charlie, delta]
    run_once(config)
    # ...then Alpha is back, Bravo retitled again, Delta gone.
    board.payload = [alpha, job(template, 2, "Bravo v2"), charlie]
    run_once(config)
    assert hook.received == [], "the quiet hours did not hold the messages"

    write_config(config, httpserver, hook, quiet=False)  # the quiet hours are over
    run_once(config)
    assert len(hook.received) == 1, hook.texts()
    body = hook.received[0]["message"]

    alpha_lines = lines_with(body, "Alpha Role")
    assert len(alpha_lines) == 1, f"Alpha Role has {len(alpha_lines)} entries:\n{body}"
    assert "reopened" in alpha_lines[0].lower() and "closed" not in alpha_lines[0].lower(), body

    delta_lines = lines_with(body, "Delta Role")
    assert len(delta_lines) == 1, f"Delta Role has {len(delta_lines)} entries:\n{body}"
    assert "opened and closed" in delta_lines[0].lower(), body

    assert "Bravo v1" not in body, f"the two updates were not merged:\n{body}"
    assert len(lines_with(body, "Bravo v0 -> Bravo v2")) == 1, body
    assert len(lines_with(body, "Bravo v2")) == 2, body  # its entry and its one change line

    assert "Charlie Role" not in body
