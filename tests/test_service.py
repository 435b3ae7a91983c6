"""`alerts run` as a long-running service, with real processes: several of
them sharing one PostgreSQL database, SIGKILL and restart, SIGHUP, the
health and metrics endpoint, and the one-process rule on SQLite."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from werkzeug import Request, Response

from support import Process, alerts, free_port, wait_until

BOARDS = 20


class Boards:
    """Twenty Greenhouse boards whose postings the test changes, and a hook."""

    def __init__(self, server) -> None:
        self.jobs: dict[str, list[dict]] = {f"b{i:02d}": [self.job(i, 0)] for i in range(BOARDS)}
        self.requests: Counter[str] = Counter()
        self.messages: list[str] = []
        self.lock = threading.Lock()
        server.expect_request("/hook").respond_with_handler(self.hook)
        for token in self.jobs:
            server.expect_request(f"/gh/boards/{token}/jobs").respond_with_handler(self.board(token))

    @staticmethod
    def job(board: int, n: int) -> dict:
        title = f"Role {board:02d}-{n:02d}"
        return {
            "id": board * 1000 + n,
            "title": title,
            "location": {"name": "Remote"},
            "absolute_url": f"https://x/{title}",
        }

    def board(self, token: str):
        def handle(request: Request) -> Response:
            with self.lock:
                self.requests[token] += 1
                body = json.dumps({"jobs": list(self.jobs[token])})
            return Response(body, content_type="application/json")

        return handle

    def hook(self, request: Request) -> Response:
        with self.lock:
            self.messages.append(json.loads(request.data)["message"])
        return Response("{}", content_type="application/json")

    def add_round(self, n: int) -> list[str]:
        with self.lock:
            for i, token in enumerate(self.jobs):
                self.jobs[token].append(self.job(i, n))
        return [f"Role {i:02d}-{n:02d}" for i in range(BOARDS)]

    def announced(self, title: str) -> int:
        with self.lock:
            return sum(message.count(title) for message in self.messages)


def write_config(path: Path, database_url: str, port: int, *, interval: str = "2s", extra: str = "") -> Path:
    boards = ", ".join(f'"greenhouse:b{i:02d}"' for i in range(BOARDS))
    path.write_text(
        f"""
[database]
url = "{database_url}"

[polling]
interval = "{interval}"
jitter = "0s"
tick = "1s"
lease = "4s"
board_deadline = "3s"

[sources.greenhouse]
base_url = "http://127.0.0.1:{port}/gh"

[channels.hook]
url = "json://127.0.0.1:{port}/hook"

[[subscriptions]]
name = "all"
boards = [{boards}]
channels = ["hook"]
{extra}
"""
    )
    return path


@pytest.fixture
def processes():
    started: list[Process] = []
    yield started
    for process in started:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()


def test_three_processes_share_the_work_and_survive_a_sigkill(tmp_path, httpserver, postgres_url, processes):
    boards = Boards(httpserver)
    config = write_config(tmp_path / "alerts.toml", postgres_url, httpserver.port)
    started = time.monotonic()
    processes.extend(Process(config) for _ in range(3))
    wait_until(lambda: all(boards.requests[t] >= 1 for t in boards.jobs), "every baseline", processes)

    expected: list[str] = []
    for n in (1, 2, 3):
        if n == 2:  # kill one between rounds, without warning, and start another
            processes[0].proc.kill()
            processes[0].proc.wait()
            processes.append(Process(config))
        expected += boards.add_round(n)
        wait_until(
            lambda want=tuple(expected): all(boards.announced(t) >= 1 for t in want),
            f"round {n} delivered",
            processes,
        )

    time.sleep(2)  # a little longer: anything sent twice would show now
    twice = [t for t in expected if boards.announced(t) != 1]
    assert twice == [], f"announced more or less than once: {twice}"
    elapsed = time.monotonic() - started
    # Each board once per 2 s interval in total, not once per process (plus
    # slack for the lease of the killed process and start-up).
    most = max(boards.requests.values())
    assert most <= elapsed / 2 + 4, f"a board was polled {most} times in {elapsed:.0f} s"
    for process in processes[1:]:
        assert process.stop() == 0, process.output()


def test_sighup_reloads_a_valid_config_and_keeps_the_old_on_error(tmp_path, httpserver, processes):
    boards = Boards(httpserver)
    config = write_config(tmp_path / "alerts.toml", f"sqlite:///{tmp_path / 'a.db'}", httpserver.port)
    process = Process(config)
    processes.append(process)
    baselines = lambda: sum("1 postings, 0 events" in line for line in process.lines) == BOARDS  # noqa: E731
    wait_until(baselines, "every baseline", processes)

    good = config.read_text().replace('channels = ["hook"]', 'channels = ["hook"]\ntitle = ["Role"]')
    config.write_text(good)
    process.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: process.has("SIGHUP: config reloaded"), "the reload", processes)

    config.write_text(good.replace('channels = ["hook"]', 'channels = ["nowhere"]'))
    process.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: process.has("keeping the running one"), "the refused reload", processes)
    assert process.has("'nowhere' is not defined")
    # Still working on the old config:
    expected = boards.add_round(1)
    wait_until(
        lambda: all(boards.announced(t) == 1 for t in expected), "delivery after the bad reload", processes
    )
    assert process.stop(signal.SIGINT) == 0


def test_health_and_metrics_over_http(tmp_path, httpserver, processes):
    boards = Boards(httpserver)
    config = write_config(tmp_path / "alerts.toml", f"sqlite:///{tmp_path / 'a.db'}", httpserver.port)
    port = free_port()
    process = Process(config, "--http", f"127.0.0.1:{port}", "--log-format", "json")
    processes.append(process)
    wait_until(lambda: all(boards.requests[t] >= 1 for t in boards.jobs), "the first polls", processes)
    expected = boards.add_round(1)
    wait_until(lambda: all(boards.announced(t) == 1 for t in expected), "deliveries", processes)

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        assert response.status == 200 and response.read() == b"ok\n"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        metrics = response.read().decode()
    assert 'alerts_polls_total{outcome="ok",source="greenhouse"}' in metrics
    assert 'alerts_events_total{kind="opened"} 20.0' in metrics
    assert "alerts_outbox_pending 0.0" in metrics
    assert "alerts_poll_duration_seconds_bucket" in metrics

    assert process.stop() == 0
    logs = [json.loads(line) for line in process.lines if line.startswith("{")]
    assert any(entry["msg"].startswith("running as") for entry in logs)
    assert all({"ts", "level", "msg"} <= set(entry) for entry in logs)


def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path, httpserver, processes):
    Boards(httpserver)
    db = tmp_path / "a.db"
    config = write_config(tmp_path / "alerts.toml", f"sqlite:///{db}", httpserver.port)
    first = Process(config)
    processes.append(first)
    wait_until(lambda: first.has("running as"), "start", processes)
    second = alerts("run", "--once", "--config", str(config), timeout=60)
    assert second.returncode == 1
    assert f"another alerts process is already running on {db}" in second.stderr
    assert first.stop() == 0


def test_ops_channel_hears_once_when_a_board_fails_and_once_when_it_recovers(tmp_path, httpserver, processes):
    ops: list[dict] = []
    broken = {"on": True}

    def board(request: Request) -> Response:
        if broken["on"]:
            return Response("upstream trouble", status=500)
        return Response(json.dumps({"jobs": []}), content_type="application/json")

    def ops_hook(request: Request) -> Response:
        ops.append(json.loads(request.data))
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/gh/boards/flaky/jobs").respond_with_handler(board)
    httpserver.expect_request("/ops").respond_with_handler(ops_hook)
    config = tmp_path / "alerts.toml"
    config.write_text(
        f"""
[polling]
interval = "1s"
jitter = "0s"
tick = "1s"

[alerts]
ops_channel = "ops"
failure_threshold = 2

[sources.greenhouse]
base_url = "http://127.0.0.1:{httpserver.port}/gh"

[channels.ops]
url = "json://127.0.0.1:{httpserver.port}/ops"

[[subscriptions]]
name = "all"
boards = ["greenhouse:flaky"]
channels = ["ops"]
"""
    )
    process = Process(config)
    processes.append(process)
    wait_until(lambda: len(ops) == 1, "the failing notice", processes)
    assert "greenhouse:flaky is failing" in ops[0]["title"] and "HTTP 500" in ops[0]["message"]
    broken["on"] = False
    wait_until(lambda: len(ops) == 2, "the recovery notice", processes)
    assert "greenhouse:flaky recovered" in ops[1]["title"]
    time.sleep(2)
    assert len(ops) == 2  # no more while it stays healthy
    assert process.stop() == 0
