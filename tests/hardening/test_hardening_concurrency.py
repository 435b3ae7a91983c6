"""Issue 11, concurrency and clocks: `alerts retry` during a run; a killed
`run --once` on SQLite leaves no leases that block the next one; a host
clock 10 minutes ahead does not make deliveries unconfirmed (PostgreSQL)."""

from __future__ import annotations

import signal
import sys
import time

from hardening_support import (
    Board,
    Held,
    RawServer,
    greenhouse_body,
    greenhouse_job,
    respond,
    wait_for,
    write_config,
)
from support import Background, alerts

RETRY_FOR_SECONDS = 12
POSTINGS = 200
CHANNELS = 20


def test_retry_during_a_run_is_safe(tmp_path, database_url):
    """A service keeps delivering to channels where one URL takes every
    message and the other refuses it (so rows stay failed and retry has
    work), while `alerts retry` runs again and again."""
    jobs = [greenhouse_job(1000 + i, f"Engineer {i}") for i in range(POSTINGS)]
    answer = Board(greenhouse_body(*jobs))
    refuse = respond(b"down", status="500 Internal Server Error", content_type="text/plain")
    with RawServer(answer) as board, RawServer(respond(b"{}")) as good, RawServer(refuse) as bad:
        channels = "".join(
            f'[channels.c{i}]\nurls = ["json://127.0.0.1:{good.port}/g{i}", "json://127.0.0.1:{bad.port}/b{i}"]\n'
            for i in range(CHANNELS)
        )
        names = ", ".join(f'"c{i}"' for i in range(CHANNELS))
        config = write_config(
            tmp_path,
            f"""
[polling]
tick = "1s"
interval = "2s"
jitter = "0s"

[sources.greenhouse]
base_url = "{board.url}"

{channels}
[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = [{names}]
include_existing = true
""",
            database_url=database_url,
        )
        service = Background("run", "--config", str(config))
        try:
            wait_for(
                lambda: len(bad.requests) >= CHANNELS,
                "the service's first delivery pass",
                output=service.output,
            )
            problems = []
            started = time.monotonic()
            while time.monotonic() - started < RETRY_FOR_SECONDS and not problems:
                result = alerts("retry", "--config", str(config))
                output = result.stdout + result.stderr
                if "Traceback" in output or result.returncode not in (0, 1):
                    errors = [line for line in output.splitlines() if "Error" in line]
                    problems.append(
                        f"retry exit {result.returncode} with a traceback: {errors[-1:]}\n{output[-2000:]}"
                    )
                elif result.returncode == 1 and len(result.stderr.strip().splitlines()) != 1:
                    problems.append(f"retry failed without one clear line:\n{result.stderr[-2000:]}")
                assert service.proc.poll() is None, f"the run died:\n{service.output()[-3000:]}"
            # It keeps going: a new posting is found and delivered after the retries.
            seen = len(good.requests)
            answer.body = greenhouse_body(*jobs, greenhouse_job(2000, "Brand New Engineer"))
            wait_for(
                lambda: service.has(f"{POSTINGS + 1} postings, 1 events"),
                "the new posting",
                output=service.output,
            )
            wait_for(lambda: len(good.requests) >= seen + CHANNELS, "its delivery", output=service.output)
        finally:
            code = service.stop()
    assert not problems, problems[0]
    assert "Traceback" not in service.output(), service.output()[-3000:]
    assert code == 0, service.output()[-3000:]


def test_a_killed_run_once_leaves_no_lease_on_sqlite(tmp_path):
    """SIGKILL mid-poll: the next run --once polls every board at once,
    since the SQLite lock already guarantees one process."""
    stuck = Held(respond(b"[]"))
    healthy = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(stuck) as slow, RawServer(healthy) as good:
        config = write_config(
            tmp_path,
            f"""
[sources.lever]
base_url = "{slow.url}"
[sources.greenhouse]
base_url = "{good.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["lever:stuck", "greenhouse:acme"]
channels = ["term"]
""",
        )
        first = Background("run", "--once", "--config", str(config))
        try:
            wait_for(stuck.arrived.is_set, "the board's request", output=first.output)
            wait_for(lambda: good.requests, "the other board's request", output=first.output)
        finally:
            first.stop(signal.SIGKILL)
        stuck.release.set()
        second = alerts("run", "--once", "--config", str(config))
    output = second.stdout + second.stderr
    assert "skipped" not in output, output[-3000:]
    assert second.returncode == 0, output[-3000:]
    assert "2 boards polled (0 failed)" in second.stdout, output[-3000:]


def test_a_killed_run_once_leaves_no_channel_lease_on_sqlite(tmp_path):
    """SIGKILL mid-send: the next run --once takes the channel at once, settles
    the interrupted send as unconfirmed and delivers what is new."""
    hook = Held(respond(b"{}"))
    board_answer = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(hook) as receiver, RawServer(board_answer) as board:
        config = write_config(
            tmp_path,
            f"""
[sources.greenhouse]
base_url = "{board.url}"

[channels.hook]
url = "json://127.0.0.1:{receiver.port}/hook"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["hook"]
include_existing = true
""",
        )
        first = Background("run", "--once", "--config", str(config))
        try:
            wait_for(hook.arrived.is_set, "the delivery's request", output=first.output)
        finally:
            first.stop(signal.SIGKILL)
        hook.release.set()
        second = alerts("run", "--once", "--config", str(config))
        status = alerts("status", "--config", str(config))
    output = second.stdout + second.stderr
    assert second.returncode == 0, output[-3000:]
    assert "hook: 1 sent without confirmation" in status.stdout, f"{status.stdout}\n{output[-3000:]}"


SKEWED = """
import datetime, runpy, sys
import alerts.cycle

ahead = datetime.timedelta(seconds=float(sys.argv[1]))
original = alerts.cycle.Cycle.__init__


def skewed_now():
    return datetime.datetime.now(datetime.timezone.utc) + ahead


def init(self, *args, **kwargs):
    kwargs.setdefault("clock", skewed_now)
    original(self, *args, **kwargs)


alerts.cycle.Cycle.__init__ = init
sys.argv = ["alerts", *sys.argv[2:]]
runpy.run_module("alerts", run_name="__main__", alter_sys=True)
"""


def test_a_clock_ahead_does_not_make_deliveries_unconfirmed(tmp_path, postgres_url):
    """PostgreSQL, several processes: while a service is sending, a `run --once`
    on a host whose clock is 10 minutes ahead (Cycle's clock is the only seam
    for the process clock) must not take the channel over and count the send
    in flight as unconfirmed."""
    hook = Held(respond(b"{}"))
    board_answer = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(hook) as receiver, RawServer(board_answer) as board:
        config = write_config(
            tmp_path,
            f"""
[polling]
tick = "1s"

[sources.greenhouse]
base_url = "{board.url}"

[channels.hook]
url = "json://127.0.0.1:{receiver.port}/hook?rto=25"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["hook"]
include_existing = true
""",
            database_url=postgres_url,
        )
        service = Background("run", "--config", str(config))
        try:
            wait_for(hook.arrived.is_set, "the service's send", output=service.output)
            ahead = alerts(
                "run", "--once", "--config", str(config), launcher=[sys.executable, "-c", SKEWED, "600"]
            )
            hook.release.set()
            wait_for(lambda: sent(config, "hook") >= 1, "the send to be recorded", output=service.output)
        finally:
            hook.release.set()
            code = service.stop()
        status = alerts("status", "--config", str(config))
    logs = service.output() + ahead.stdout + ahead.stderr
    assert "Traceback" not in logs, logs[-3000:]
    assert "without confirmation" not in status.stdout, f"{status.stdout}\n{logs[-3000:]}"
    assert "unconfirmed" not in logs, logs[-3000:]
    assert ahead.returncode == 0, logs[-3000:]
    assert len(receiver.requests) == 1, receiver.requests
    assert code == 0, logs[-3000:]


def sent(config, channel: str) -> int:
    """The SENT column of a channel in `alerts status`."""
    for line in alerts("status", "--config", str(config)).stdout.splitlines():
        cells = line.split()
        if cells[:1] == [channel] and len(cells) >= 6 and cells[5].isdigit():
            return int(cells[5])
    return 0
