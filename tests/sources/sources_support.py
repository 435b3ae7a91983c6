"""Helpers for the source tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import FetchContext, RetryPolicy, Snapshot, fetch_board, make_client
from alerts.sources.xmlfeed import decode_xml

DATA_DIR = Path(__file__).parent / "data"

# One try: error tests see exactly the failure they set up.
ONCE = RetryPolicy(attempts=1)
# Retries that stay fast: backoff draws from at most 10, 20 ms.
FAST = RetryPolicy(attempts=3, base_seconds=0.01, cap_seconds=2.0)


def base_url(server: HTTPServer) -> str:
    # 127.0.0.1, not localhost: the server binds IPv4 only.
    return f"http://127.0.0.1:{server.port}"


def run_fetch(
    board: BoardRef,
    url: str | None,
    ctx: FetchContext | None = None,
    *,
    retry: RetryPolicy = ONCE,
    timeout: float = 5.0,
) -> Snapshot:
    async def go() -> Snapshot:
        async with make_client(timeout_seconds=timeout, retry=retry) as client:
            return await fetch_board(client, board, replace(ctx or FetchContext(), base_url=url))

    return asyncio.run(go())


def fetch_error(
    board: BoardRef,
    url: str | None,
    ctx: FetchContext | None = None,
    *,
    retry: RetryPolicy = ONCE,
    timeout: float = 5.0,
) -> SourceError:
    with pytest.raises(SourceError) as caught:
        run_fetch(board, url, ctx, retry=retry, timeout=timeout)
    err = caught.value
    # Every failure names its board, so the user knows which one to fix.
    assert err.board_key == board.key and board.key in str(err)
    return err


Edit = Callable[[dict[str, Any]], None]


def set_fields(**fields: Any) -> Edit:
    """An edit of one recorded job: these fields set (added or replaced)."""
    return lambda job: job.update(fields)


def drop_fields(*names: str) -> Edit:
    """An edit of one recorded job: these fields removed."""

    def edit(job: dict[str, Any]) -> None:
        for name in names:
            job.pop(name)

    return edit


# --- the contract table's row (tests/sources/contract.py) ----------------------


@dataclass(frozen=True)
class Page:
    """One page of a paged board as the local server serves it."""

    query: str  # the query string it is asked with
    body: bytes
    path: str | None = None  # None: the kind's list path


@dataclass(frozen=True)
class Case:
    """One source kind as the contract table sees it: where its list lives,
    what its recorded payload normalises to, and how to build bodies."""

    kind: str
    token: str
    fixture: str  # the recorded payload, in data/
    path: str  # the list request's path under base_url
    query: str  # its query string (the first page's)
    default_base_url: str
    default_url: str  # the list request on the public host
    recorded: tuple[Posting, ...]  # what the recorded payload normalises to
    parse: Callable[[Any, BoardRef], list[Posting]]  # the kind's parser of a decoded page
    page: Callable[[list[Any]], Any]  # a decoded page (the whole board) of these job records
    jobs_of: Callable[[Any], list[Any]]  # the job records in a decoded page
    job: Callable[[dict[str, Any]], Any]  # a small record with these fields
    renumber: Callable[[Any, int], Any]  # a copy of a record as job number n ("Role n")
    no_id: tuple[bytes, str]  # a body whose first job has no id, and the words for it
    wrong_shape: bytes  # a 200 body of another shape
    work_models: tuple[tuple[str, dict[str, Any], str], ...]  # (case, fields, expected)
    served: Callable[[bytes], bytes] = lambda recorded: recorded  # the recording as the API sent it
    format: str = "json"  # or "xml": the body is encoded and decoded as such
    accept: str = "application/json"
    conditional: bool = True  # a board of one request is asked with ETag/Last-Modified
    # False: a 3xx to the list request means "no such board" (it is not followed).
    follows_redirects: bool = True
    says: dict[int, str] = field(default_factory=dict)  # its own words for these statuses
    # Statuses whose words need not show the URL (bluedoor's 403: the key is at fault).
    url_not_shown: tuple[int, ...] = ()
    # Paged kinds: the pages the server serves for these records (base URL given).
    pages: Callable[[str, list[Any]], list[Page]] | None = None
    incremental: bool = False

    def recorded_body(self) -> bytes:
        """The recorded payload as the API sent it."""
        # A missing fixture must fail the test, never skip it.
        return self.served((DATA_DIR / self.fixture).read_bytes())

    def decode(self, body: bytes) -> Any:
        if self.format == "xml":
            request = httpx.Request("GET", self.default_url)
            response = httpx.Response(
                200, content=body, headers={"Content-Type": "text/xml"}, request=request
            )
            return decode_xml(response, body, self.board)
        return json.loads(body)

    def body(self, jobs: list[Any]) -> bytes:
        """One page (the whole board) of these job records, as served."""
        page = self.page(jobs)
        if self.format == "xml":
            return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(page, encoding="utf-8")
        return json.dumps(page, ensure_ascii=False).encode()

    def read(self, body: bytes, board: BoardRef) -> list[Posting]:
        """A served body's postings, decoded as fetch decodes it."""
        return self.parse(self.decode(body), board)

    def jobs(self, body: bytes) -> list[Any]:
        return self.jobs_of(self.decode(body))

    @property
    def board(self) -> BoardRef:
        return BoardRef(self.kind, self.token)

    @property
    def templated(self) -> bool:
        return "{token}" in self.default_base_url

    def __str__(self) -> str:
        return self.kind


def json_page(key: str | None, **extra: Any) -> Callable[[list[Any]], Any]:
    """Pages of kinds whose jobs are a JSON list, at `key` or at the top."""
    return lambda jobs: jobs if key is None else {**extra, key: jobs}


def json_jobs(key: str | None) -> Callable[[Any], list[Any]]:
    return lambda page: page if key is None else page[key]


def renumbered(id_key: str, title_key: str, make_id: Callable[[int], Any]) -> Callable[[Any, int], Any]:
    """A shallow copy of a job with its own id and the title "Role n"."""

    def renumber(job: dict[str, Any], n: int) -> dict[str, Any]:
        return {**job, id_key: make_id(n), title_key: f"Role {n}"}

    return renumber
