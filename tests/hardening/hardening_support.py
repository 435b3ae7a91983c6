"""Helpers for the hardening tests: the CLI in a subprocess with a hard
timeout, configs written as a user would, and raw-socket servers that
misbehave on purpose (trickle, slowloris, gzip bombs, endless bodies)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support import cli_env

# A hang must fail the test, never the suite.
CLI_TIMEOUT = 30.0


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], *needles: str, logs_allowed: bool = False
) -> str:
    """Exit 1, no traceback, the error on one line of stderr naming `needles`.
    `logs_allowed`: other stderr lines may be log lines (`alerts run` logs as it
    starts); there is still exactly one "error:" line."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, f"a traceback instead of one line:\n{output[-3000:]}"
    assert result.returncode == 1, f"exit {result.returncode}, expected 1:\n{output[-3000:]}"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if logs_allowed:
        lines = [line for line in lines if line.startswith("error:")]
    assert len(lines) == 1, f"expected one error line on stderr, got {len(lines)}:\n{result.stderr[-3000:]}"
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in the error line: {lines[0]}"
    return lines[0]


def write_config(
    tmp_path: Path, body: str, *, database_url: str | None = None, name: str = "alerts.toml"
) -> Path:
    url = database_url or f"sqlite:///{tmp_path / 'alerts.db'}"
    path = tmp_path / name
    path.write_text(f'[database]\nurl = "{url}"\n\n{body}')
    return path


def greenhouse_job(job_id: int | str, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": job_id,
        "title": title,
        "absolute_url": f"https://example.com/jobs/{job_id}",
        "location": {"name": "London"},
        "updated_at": "2026-01-05T10:00:00-05:00",
        "first_published": "2026-01-05T10:00:00-05:00",
        "company_name": "Acme",
        "departments": [{"name": "Engineering"}],
        "offices": [],
        **extra,
    }


def greenhouse_body(*jobs: dict[str, Any]) -> bytes:
    return json.dumps({"jobs": list(jobs)}).encode()


def http_head(status: str = "200 OK", **headers: str | int) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


Handler = Callable[[socket.socket, bytes, threading.Event], None]


class RawServer:
    """A TCP server on 127.0.0.1 that answers each connection with `handler`
    (in its own thread), after reading the request head. Records every
    request line it received."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1"):
        self.handler = handler
        self.requests: list[str] = []
        self.stop = threading.Event()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, 0))
        self.listener.listen(16)
        self.listener.settimeout(0.05)
        self.host = host
        self.port: int = self.listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> RawServer:
        self._accept.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._accept.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._one, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
            except OSError:
                return
            self.requests.append(head.split(b"\r\n", 1)[0].decode(errors="replace"))
            try:
                self.handler(conn, head, self.stop)
            except OSError:
                pass  # the client gave up on us: that is the point


def respond(
    body: bytes, status: str = "200 OK", content_type: str = "application/json", **headers: str
) -> Handler:
    """A handler sending one complete response."""

    def handle(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        conn.sendall(
            http_head(
                status, Content_Type=content_type, Content_Length=len(body), Connection="close", **headers
            )
            + body
        )

    return handle


RSS_KILL_KB = 1024 * 1024  # a child past 1 GB is killed: the test must not endanger the machine

_RSS_WRAPPER = """
import atexit, resource, runpy, sys
out = sys.argv[1]
atexit.register(lambda: open(out, "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
sys.argv = ["alerts", *sys.argv[2:]]
runpy.run_module("alerts", run_name="__main__", alter_sys=True)
"""


def _rss_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def alerts_measured(
    *args: str, tmp_path: Path, timeout: float = CLI_TIMEOUT
) -> tuple[subprocess.CompletedProcess[str], int]:
    """`alerts ARGS` and its peak RSS in KB (the child's own ru_maxrss, written
    at exit; /proc VmHWM while it runs). Killed past 1 GB or `timeout`."""
    peak_file = tmp_path / "peak-rss"
    peak_file.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", _RSS_WRAPPER, str(peak_file), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    chunks: dict[str, list[str]] = {"out": [], "err": []}
    readers = [
        threading.Thread(target=lambda s=s, k=k: chunks[k].append(s.read()), daemon=True)
        for s, k in ((proc.stdout, "out"), (proc.stderr, "err"))
    ]
    for reader in readers:
        reader.start()
    peak, killed = 0, ""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        peak = max(peak, _rss_kb(proc.pid, "VmHWM"))
        if _rss_kb(proc.pid, "VmRSS") > RSS_KILL_KB:
            killed = "its memory passed 1 GB"
        elif time.monotonic() > deadline:
            killed = f"it did not finish within {timeout:.0f} s"
        if killed:
            proc.kill()
            proc.wait()
            break
        time.sleep(0.02)
    for reader in readers:
        reader.join(timeout=10)
    result = subprocess.CompletedProcess(
        proc.args, proc.returncode, "".join(chunks["out"]), "".join(chunks["err"])
    )
    if killed:
        pytest.fail(
            f"`alerts {' '.join(args)}` killed: {killed} (peak RSS seen {peak // 1024} MB)\n"
            f"{(result.stdout + result.stderr)[-3000:]}"
        )
    if peak_file.exists():
        peak = max(peak, int(peak_file.read_text()))
    return result, peak


class Board:
    """A board whose answer the test changes between polls (`body`, `status`)."""

    def __init__(self, body: bytes = b"[]", status: str = "200 OK", **headers: str):
        self.body = body
        self.status = status
        self.headers = headers

    def __call__(self, conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        respond(self.body, self.status, **self.headers)(conn, head, stop)


def board_line(status_output: str, key: str) -> str:
    """The `alerts status` line of one board."""
    lines = [line for line in status_output.splitlines() if line.split(" ", 1)[0] == key]
    assert len(lines) == 1, f"no single status line for {key}:\n{status_output}"
    return lines[0]


class Held:
    """A handler that answers only once released; `arrived` is set when a request waits.
    Later requests (after release) get the answer at once."""

    def __init__(self, answer: Handler):
        self.answer = answer
        self.arrived = threading.Event()
        self.release = threading.Event()

    def __call__(self, conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        self.arrived.set()
        while not self.release.wait(0.05):
            if stop.is_set():
                return
        self.answer(conn, head, stop)


def wait_for(
    predicate: Callable[[], object], what: str, timeout: float = 20.0, output: Callable[[], str] = str
) -> None:
    """Poll until `predicate` holds; fail the test (with `output()`) if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{output()[-3000:]}")
