"""Child processes, measured: wall time, CPU time and peak RSS of exactly one child.

`os.wait4` returns the rusage of the one child waited for (unlike
RUSAGE_CHILDREN, which accumulates every child ever reaped), so each
measurement is a separate process and its numbers are its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident set size
    code: int
    stdout: str
    stderr: str


def child_env(alerts_src: Path, **extra: str) -> dict[str, str]:
    """The environment for a child: `alerts` from alerts_src, `bench` from this repo.

    alerts_src comes first so that a snapshot of another commit wins over the
    working tree's `alerts` that sits beside `bench/`.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALERTS_", "BENCH_"))}
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([str(alerts_src), str(REPO)]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run(
    argv: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    timeout: float = 3600.0,
    stdout_path: Path | None = None,
) -> Run:
    """Run argv to completion; stdout goes to stdout_path when given (big reports)."""
    cwd.mkdir(parents=True, exist_ok=True)
    err_path = cwd / f".stderr-{os.getpid()}-{time.monotonic_ns()}"
    out_path = stdout_path or cwd / f".stdout-{os.getpid()}-{time.monotonic_ns()}"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text(errors="replace") if stdout_path is None else ""
    error = err_path.read_text(errors="replace")
    if stdout_path is None:
        out_path.unlink()
    err_path.unlink()
    # ru_maxrss is in KiB on Linux.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, text, error)


def python() -> str:
    return sys.executable


class BoardServer:
    """The bench.server child process, and its control endpoints."""

    def __init__(
        self,
        *,
        boards: int,
        postings: int,
        seed: int,
        churn: float,
        text_bytes: int,
        alerts_src: Path,
        cwd: Path,
    ):
        argv = [
            python(),
            "-m",
            "bench.server",
            "--boards",
            str(boards),
            "--postings",
            str(postings),
            "--seed",
            str(seed),
            "--churn",
            str(churn),
            "--text-bytes",
            str(text_bytes),
        ]
        cwd.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            argv,
            env=child_env(alerts_src),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError(f"bench server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def control(self, path: str) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.base}/_bench/{path}", timeout=600) as response:
            return json.loads(response.read())

    def round(self, n: int) -> dict[str, Any]:
        return self.control(f"round/{n}")

    def reset(self) -> None:
        self.control("reset")

    def stats(self) -> dict[str, Any]:
        return self.control("stats")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> BoardServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
