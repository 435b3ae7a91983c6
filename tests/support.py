"""Small helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd and friends refuse port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WAIT_SECONDS = 40


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """One `alerts ...` command as a user runs it; its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "alerts", *args], capture_output=True, text=True, timeout=120, env=env
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
