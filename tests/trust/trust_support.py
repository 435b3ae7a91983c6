"""Helpers for the trust tests (issue 10): the CLI in a subprocess, local
job boards and a webhook receiver on 127.0.0.1, configs written as a user
would write them."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from support import alerts

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "sources" / "data"


def recorded(name: str) -> Any:
    data = json.loads((DATA / name).read_text())
    # The workable recording is wrapped in a test-case file (see the data README).
    return data["cases"]["normal"]["body"] if name.startswith("workable") else data


def status(config: Path) -> str:
    result = alerts("status", "--config", str(config))
    assert result.returncode == 0, result.stderr
    return result.stdout


def line_of(text: str, start: str) -> str:
    """The line of `alerts status` output that starts with `start` (a board or channel)."""
    lines = [line for line in text.splitlines() if line.startswith(start)]
    assert lines, f"no line starts with {start!r} in:\n{text}"
    return lines[0]


def lever_jobs(count: int | None = None) -> list[dict[str, Any]]:
    """The recorded Spotify Lever board (two postings), or its first `count`."""
    jobs = recorded("lever_spotify.json")
    return copy.deepcopy(jobs[:count] if count is not None else jobs)


class Board:
    """A job board on the test's HTTP server whose answer the test changes between runs.

    `payload` is served as JSON (`status` 200) or `status` with a short body;
    `etag`, when set, is sent and a matching If-None-Match gets 304.
    Every request is kept in `requests` (headers and the status answered).
    """

    def __init__(self, server: HTTPServer, path: str, payload: Any):
        self.server = server
        self.path = path
        self.payload = payload
        self.status = 200
        self.etag: str | None = None
        self.requests: list[tuple[dict[str, str], int]] = []
        self._lock = threading.Lock()
        server.expect_request(path).respond_with_handler(self._handle)

    def _handle(self, request: Request) -> Response:
        with self._lock:
            response = self._answer(request)
            self.requests.append((dict(request.headers), response.status_code))
            return response

    def _answer(self, request: Request) -> Response:
        if self.status != 200:
            return Response("Not Found" if self.status == 404 else "upstream error", status=self.status)
        headers = {"ETag": self.etag} if self.etag else {}
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return Response(status=304, headers=headers)
        return Response(json.dumps(self.payload), content_type="application/json", headers=headers)

    @property
    def hits(self) -> int:
        return len(self.requests)

    def statuses(self) -> list[int]:
        return [code for _, code in self.requests]
