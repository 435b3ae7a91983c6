"""Issue 11, bounds: a gzip bomb or an endless body fails the board under
the default `[polling] max_response_size` (50 MB decoded), with the
process's peak RSS under 300 MB."""

from __future__ import annotations

import socket
import threading
import zlib
from pathlib import Path

import pytest

from hardening_support import (
    RawServer,
    alerts_measured,
    assert_one_line_error,
    greenhouse_body,
    greenhouse_job,
    http_head,
    respond,
    write_config,
)
from support import alerts

PEAK_RSS_LIMIT_KB = 300 * 1024
BOMB_EXPANDS_TO = 1 << 30  # 1 GiB of zeros


@pytest.fixture(scope="session")
def gzip_bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """About 1 MB of gzip that expands to 1 GiB; made once per session, streaming."""
    path = tmp_path_factory.getbasetemp() / "bomb.gz"
    if not path.exists():
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip wrapper
        block = bytes(1 << 20)
        with path.open("wb") as out:
            for _ in range(BOMB_EXPANDS_TO // len(block)):
                out.write(packer.compress(block))
            out.write(packer.flush())
    data = path.read_bytes()
    assert len(data) < 2 << 20
    return data


def serve_bomb(bomb: bytes):
    def handle(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        conn.sendall(
            http_head(
                Content_Type="application/json",
                Content_Encoding="gzip",
                Content_Length=len(bomb),
                Connection="close",
            )
            + bomb
        )

    return handle


def endless_body(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """No length, no end: spaces as fast as the client takes them."""
    conn.sendall(http_head(Content_Type="application/json", Connection="close") + b"[")
    block = b" " * 65536
    while not stop.is_set():
        conn.sendall(block)


def config_for(tmp_path: Path, hostile_url: str, healthy_url: str) -> Path:
    # No max_response_size: the default (50 MB) must hold.
    return write_config(
        tmp_path,
        f"""
[polling]
timeout = "10s"

[sources.lever]
base_url = "{hostile_url}"
[sources.greenhouse]
base_url = "{healthy_url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["lever:hostile", "greenhouse:acme"]
channels = ["term"]
""",
    )


@pytest.mark.parametrize("kind", ["gzip-bomb", "endless-body"])
def test_huge_bodies_fail_the_board_within_bounded_memory(tmp_path, gzip_bomb, kind):
    hostile = serve_bomb(gzip_bomb) if kind == "gzip-bomb" else endless_body
    healthy = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(hostile) as bad, RawServer(healthy) as good:
        config = config_for(tmp_path, bad.url, good.url)
        result, peak_kb = alerts_measured(
            "run", "--once", "--config", str(config), tmp_path=tmp_path, timeout=30
        )
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "MemoryError" not in output, output[-3000:]
    assert peak_kb < PEAK_RSS_LIMIT_KB, f"peak RSS {peak_kb // 1024} MB\n{output[-3000:]}"
    assert result.returncode == 0, output[-3000:]
    assert "2 boards polled (1 failed)" in result.stdout, output[-3000:]
    status = alerts("status", "--config", str(config))
    (line,) = [line for line in status.stdout.splitlines() if line.startswith("lever:hostile")]
    assert "failing" in line, status.stdout


@pytest.mark.parametrize(("limit", "fails"), [('"500KB"', True), ("2000000", False), ('"1GB"', False)])
def test_max_response_size_is_configurable(tmp_path, limit, fails):
    """About 1 MB of honest JSON: over a 500 KB limit, under 2,000,000 bytes or 1 GB."""
    jobs = [greenhouse_job(1000 + i, f"Engineer {i} " + "x" * 2000) for i in range(450)]
    body = greenhouse_body(*jobs)
    assert 900_000 < len(body) < 1_100_000
    with RawServer(respond(body)) as board:
        config = write_config(
            tmp_path,
            f"""
[polling]
max_response_size = {limit}

[sources.greenhouse]
base_url = "{board.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
""",
        )
        result = alerts("run", "--once", "--config", str(config))
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    expected = "1 boards polled (1 failed)" if fails else "1 boards polled (0 failed)"
    assert expected in result.stdout, output[-3000:]


@pytest.mark.parametrize("value", ['"50XB"', '"-1MB"', '"lots"'])
def test_bad_max_response_size_is_refused(tmp_path, value):
    config = write_config(tmp_path, f"[polling]\nmax_response_size = {value}\n" + SUBSCRIPTION)
    result = alerts("validate", "--config", str(config))
    # Says what a size looks like ("50MB"), not just that the key is unknown.
    assert_one_line_error(result, str(config), "polling.max_response_size", "MB")


SUBSCRIPTION = """
[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["lever:acme"]
channels = ["term"]
"""
