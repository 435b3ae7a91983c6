"""Small helpers shared by tests (fixtures live in conftest.py): ports, the
CLI in a subprocess (`alerts`, `run_once`, `Background`, `Process`) and
webhook receivers (`Hook` on the test's server, `StandaloneHook` on its own
port)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
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
# Variables of the shell running the tests that must not pick a test's database or config.
_NOT_INHERITED = ("ALERTS_DATABASE_URL", "ALERTS_CONFIG")


def cli_env(env: Mapping[str, str] | None = None, set_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a CLI subprocess gets: `env` (default: this process's,
    without ALERTS_DATABASE_URL and ALERTS_CONFIG), then `set_env` on top, and
    the checkout's code first on the path."""
    if env is None:
        result = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    else:
        result = {k: v for k, v in env.items() if k != "ALERTS_DATABASE_URL"}
    result.update(set_env or {})
    result["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), result.get("PYTHONPATH")]))
    return result


def alerts(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    set_env: Mapping[str, str] | None = None,
    timeout: float = CLI_TIMEOUT_SECONDS,
    launcher: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """`alerts ARGS` in a subprocess, as a user runs it. `env` replaces the
    environment, `set_env` adds to it; `launcher` replaces `python -m alerts`
    (e.g. a clock-skewed one). A run that outlives `timeout` is killed and
    fails the test with its output."""
    try:
        return subprocess.run(
            [*(launcher or (sys.executable, "-m", "alerts")), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            env=cli_env(env, set_env),
        )
    except subprocess.TimeoutExpired as exc:
        out = _text(exc.stdout) + _text(exc.stderr)
        pytest.fail(
            f"`alerts {' '.join(args)}` did not finish within {timeout:.0f} s (killed)\n{out[-3000:]}"
        )


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode(errors="replace")


def run_once(config: Path, *extra: str, code: int | None = 0) -> subprocess.CompletedProcess[str]:
    """One `alerts run --once`; `code` is the exit status it must end with
    (None: any). It never ends in a traceback."""
    result = alerts("run", "--once", "--config", str(config), *extra)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    if code is not None:
        assert result.returncode == code, (
            f"run --once {' '.join(extra)}".rstrip() + f" exited {result.returncode}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
    return result


class Background:
    """`alerts ARGS` (or `launcher ARGS`) running in the background, its
    stdout and stderr collected line by line."""

    def __init__(self, *args: str, launcher: Sequence[str] = ()):
        self.proc = subprocess.Popen(
            [*(launcher or (sys.executable, "-m", "alerts")), *args],
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

    def stop(self, sig: int = signal.SIGTERM, timeout: float = WAIT_SECONDS) -> int | None:
        """Signal it and wait for its exit status; None if it had to be killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code: int | None = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            code = None
        self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Process(Background):
    """One `alerts run` (or another long-running command, such as `alerts
    web`) with its config, in the background."""

    def __init__(self, config: Path, *args: str, command: str = "run"):
        super().__init__(command, "--config", str(config), *args)


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


class StandaloneHook:
    """A webhook receiver for Apprise's json:// on its own port (support.Hook
    shares the test's HTTP server, which can neither be down nor answer late).

    It reads the whole request and keeps it, then, when `delay` is set,
    waits that long before answering: a service that took the message but
    answers late. `start` may come after the port was named in a config (a
    channel that is down, then up).
    """

    def __init__(self, port: int | None = None, path: str = "/hook", delay: float = 0.0):
        self.port = port or free_port()
        self.path = path
        self.delay = delay
        self.received: list[dict[str, Any]] = []
        self.server: HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}{self.path}"

    def start(self) -> StandaloneHook:
        # Threaded: a late answer must not keep the server from stopping.
        self.server = HTTPServer(host="127.0.0.1", port=self.port, threaded=True)
        self.server.expect_request(self.path, method="POST").respond_with_handler(self._handle)
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server is not None and self.server.is_running():
            self.server.stop()

    def _handle(self, request: Request) -> Response:
        self.received.append(json.loads(request.get_data()))
        if self.delay:
            time.sleep(self.delay)
        return Response("{}", content_type="application/json")

    def texts(self) -> list[str]:
        return [f"{m.get('title', '')}\n{m.get('message', '')}" for m in self.received]
