"""Small helpers shared by tests (fixtures live in conftest.py): ports, the
CLI in a subprocess (`alerts`, `Process`), a webhook receiver (`Hook`)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd and friends refuse port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WAIT_SECONDS = 40
CLI_TIMEOUT_SECONDS = 120


def cli_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a CLI subprocess gets: the checkout's code first, and no
    ALERTS_DATABASE_URL leaking in from the shell running the tests."""
    result = {k: v for k, v in (os.environ if env is None else env).items() if k != "ALERTS_DATABASE_URL"}
    result["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), result.get("PYTHONPATH")]))
    return result


def alerts(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = CLI_TIMEOUT_SECONDS,
) -> subprocess.CompletedProcess[str]:
    """`alerts ARGS` in a subprocess, as a user runs it; a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "alerts", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=cli_env(env),
    )


class Process:
    """One `alerts run` (or another long-running command, such as `alerts
    web`) subprocess with its output collected in the background."""

    def __init__(self, config: Path, *args: str, command: str = "run"):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "alerts", command, "--config", str(config), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=cli_env(),
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def has(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=WAIT_SECONDS)
        self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def wait_until(
    predicate: Callable[[], object], what: str, processes: list[Process], timeout: float = WAIT_SECONDS
) -> None:
    """Poll `predicate` until it holds; fail with every process's output if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    outputs = "\n".join(f"--- process {i}\n{p.output()}" for i, p in enumerate(processes))
    pytest.fail(f"timed out waiting for {what}\n{outputs}")


class Hook:
    """A webhook receiver for Apprise's json:// on a local HTTP server.

    `failing = N` answers the next N requests with a 500; `down = True`
    answers every request with a 500 until it is set back."""

    def __init__(self, server: HTTPServer, path: str = "/hook"):
        self.server = server
        self.path = path
        self.received: list[dict[str, Any]] = []
        self.failing = 0
        self.down = False
        self.hits = 0
        server.expect_request(path, method="POST").respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.port}{self.path}"

    def _handle(self, request: Request) -> Response:
        self.hits += 1
        if self.down or self.failing:
            self.failing = max(self.failing - 1, 0)
            return Response("down for maintenance", status=500)
        self.received.append(json.loads(request.data))
        return Response("{}", content_type="application/json")

    def take(self) -> list[str]:
        """The messages received so far, as "title\nbody", and forget them."""
        bodies = [f"{m['title']}\n{m['message']}" for m in self.received]
        self.received.clear()
        return bodies
