"""`alerts web` as a user runs it (beside a cron `alerts run --once`, stopped
by SIGTERM, clear about a port in use) and `alerts run --http` serving the
same page and feeds beside /healthz and /metrics."""

from __future__ import annotations

import json
import signal
import socket
import urllib.request
from urllib.error import HTTPError

import pytest
from pytest_httpserver import HTTPServer

from alerts.cli.web import DEFAULT_LISTEN

from atomcheck import atom_errors
from support import Process, alerts, free_port, wait_until


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def processes():
    started: list[Process] = []
    yield started
    for process in started:
        process.kill()


def serve_boards(world, httpserver: HTTPServer) -> None:
    """The world's two boards answer from a local server, as they last looked."""
    httpserver.expect_request("/gh/boards/acme/jobs").respond_with_json(
        {
            "jobs": [
                {
                    "id": 1,
                    "title": "Platform Engineer",
                    "location": {"name": "London"},
                    "absolute_url": "https://x/1",
                }
            ]
        }
    )
    httpserver.expect_request("/lever/postings/globex").respond_with_json(
        [
            {
                "id": "g9",
                "text": "Backend Engineer",
                "categories": {"location": "Remote"},
                "hostedUrl": "https://x/g9",
            }
        ]
    )
    base = f"http://127.0.0.1:{httpserver.port}"
    world.path.write_text(
        world.path.read_text()
        + f'\n[sources.greenhouse]\nbase_url = "{base}/gh"\n[sources.lever]\nbase_url = "{base}/lever"\n'
    )


def test_alerts_web_serves_beside_a_cron_run_and_stops_on_sigterm(world, httpserver, processes):
    serve_boards(world, httpserver)
    port = free_port()
    web = Process(world.path, "--http", f"127.0.0.1:{port}", command="web")
    processes.append(web)
    wait_until(lambda: web.has("serving the web page"), "alerts web to listen", [web])
    status, page = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and "Backend Engineer" in page
    status, feed = get(f"http://127.0.0.1:{port}/feeds/engineering.atom")
    assert status == 200 and atom_errors(feed.encode()) == []
    assert get(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")

    # It holds no lock: a cron run on the same SQLite file goes ahead.
    result = alerts("run", "--once", "--config", str(world.path))
    assert result.returncode == 0, result.stderr
    assert "another alerts process" not in result.stderr
    assert get(f"http://127.0.0.1:{port}/")[0] == 200

    assert web.stop(signal.SIGTERM) == 0
    assert web.has("SIGTERM received: stopping") and web.has("stopped")


def test_alerts_web_binds_to_this_machine_by_default():
    assert DEFAULT_LISTEN.startswith("127.0.0.1:")
    result = alerts("web", "--help")
    assert result.returncode == 0 and f"[default: {DEFAULT_LISTEN}]" in result.stdout


def test_a_port_in_use_is_one_clear_line(world):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = alerts("web", "--config", str(world.path), "--http", f"127.0.0.1:{port}")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"error: --http: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.mark.parametrize("address", ["8080", "127.0.0.1:99999", "localhost:"])
def test_a_bad_address_is_named(world, address):
    result = alerts("web", "--config", str(world.path), "--http", address)
    assert result.returncode == 1 and "--http: expected HOST:PORT" in result.stderr


def test_run_http_serves_the_page_and_feeds_beside_health_and_metrics(world, httpserver, processes):
    serve_boards(world, httpserver)
    port = free_port()
    run = Process(world.path, "--http", f"127.0.0.1:{port}", "--log-format", "json")
    processes.append(run)
    wait_until(lambda: run.has("running as"), "alerts run to start", [run])
    status, page = get(f"http://127.0.0.1:{port}/")
    assert status == 200 and '<td class="board">greenhouse:acme</td>' in page
    status, feed = get(f"http://127.0.0.1:{port}/feeds/all.atom")
    assert status == 200 and atom_errors(feed.encode()) == []
    assert get(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")
    status, metrics = get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200 and "alerts_outbox_pending" in metrics
    assert run.stop() == 0
    logs = [json.loads(line) for line in run.lines if line.startswith("{")]
    assert any(entry["msg"].startswith("serving /, /feeds, /healthz and /metrics") for entry in logs)
