"""Helpers for the source tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer, URIPattern

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import FetchContext, RetryPolicy, Snapshot, fetch_board, make_client
from alerts.sources.bounds import bound_posting
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
    json: Any = None  # the request body it is asked with (Workday POSTs its paging)


@dataclass(frozen=True)
class Details:
    """A kind that asks one more request per new or changed posting beside
    its list (Workday, BambooHR, Rippling): the local server answers every
    such request with the same detail (the table asks whether details are
    asked for and merged, not whose they are)."""

    pattern: str  # a detail request's path (its end: base_url may add a prefix), as a regex
    fixture: str  # the detail, in data/ (recorded where one was)
    paths: tuple[str, ...]  # the details the recorded list asks for, under base_url

    def matches(self, path: str) -> bool:
        return re.search(f"(?:{self.pattern})\\Z", path) is not None

    def body(self) -> bytes:
        return (DATA_DIR / self.fixture).read_bytes()


class DetailPaths(URIPattern):
    """Every path a detail request of this kind may take."""

    def __init__(self, details: Details):
        self.details = details

    def match(self, uri: str) -> bool:
        return self.details.matches(uri)


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
    # A body whose first job has no id, and the words for it; None where a
    # job without one is no failure (Workday skips placeholder rows, JSON-LD
    # falls back to the posting's URL): the kind's own file shows what it does.
    no_id: tuple[bytes, str] | None
    wrong_shape: bytes | None  # a 200 body of another shape (None: any HTML page is a page)
    work_models: tuple[tuple[str, dict[str, Any], str], ...]  # (case, fields, expected)
    served: Callable[[bytes], bytes] = lambda recorded: recorded  # the recording as the API sent it
    format: str = "json"  # or "xml": the body is encoded and decoded as such
    accept: str = "application/json"
    conditional: bool = True  # a board of one request is asked with ETag/Last-Modified
    # False: a 3xx to the list request means "no such board" (it is not followed).
    follows_redirects: bool = True
    # Its own words for these statuses (a 3xx: for "no such board"); a tuple: each of them.
    says: dict[int, str | tuple[str, ...]] = field(default_factory=dict)
    # Statuses whose words need not show the URL (bluedoor's 403: the key is at fault).
    url_not_shown: tuple[int, ...] = ()
    # Paged kinds: the pages the server serves for these records (base URL given).
    pages: Callable[[str, list[Any]], list[Page]] | None = None
    page_size: int = 100
    pages_in_order: bool = True  # False: several pages are asked for at once (Workday)
    incremental: bool = False
    label: str = ""  # the row's name in test ids, when one kind has two rows
    method: str = "GET"  # of the list request
    # After the server's address in base_url (Workday's placeholders).
    base_suffix: str = ""
    details: Details | None = None
    # Kinds with details: what the list alone normalises to (a detail that
    # fails leaves these fields).
    listed: tuple[Posting, ...] | None = None
    # Words said when a board never seen with postings answers with none
    # (BambooHR and a JSON-LD page say the same for a board that does not
    # exist); empty: an empty board is an empty board.
    empty_unknown: tuple[str, ...] = ()
    page_limit: int | None = None  # the most postings one answer may hold (JSON-LD: per page)

    def recorded_body(self) -> bytes:
        """The recorded payload as the API sent it."""
        # A missing fixture must fail the test, never skip it.
        return self.served((DATA_DIR / self.fixture).read_bytes())

    def base(self, server_url: str, prefix: str = "") -> str:
        """base_url for a local server at `server_url`, under `prefix`."""
        return server_url + prefix + self.base_suffix

    @property
    def content_type(self) -> str:
        return {"xml": "text/xml", "html": "text/html; charset=utf-8"}.get(self.format, "application/json")

    def decode(self, body: bytes) -> Any:
        if self.format == "html":
            return body.decode("utf-8")
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
        if self.format == "html":
            return str(page).encode("utf-8")
        if self.format == "xml":
            return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(page, encoding="utf-8")
        return json.dumps(page, ensure_ascii=False).encode()

    def read(self, body: bytes, board: BoardRef) -> list[Posting]:
        """A served body's postings, decoded and bounded as fetch returns them."""
        return [bound_posting(posting) for posting in self.parse(self.decode(body), board)]

    def jobs(self, body: bytes) -> list[Any]:
        return self.jobs_of(self.decode(body))

    @property
    def board(self) -> BoardRef:
        return BoardRef(self.kind, self.token)

    @property
    def templated(self) -> bool:
        return "{token}" in self.default_base_url

    def words(self, status: int, default: str) -> tuple[str, ...]:
        """What a failure with this status must say."""
        said = self.says.get(status, default)
        return (said,) if isinstance(said, str) else said

    @property
    def default_detail_urls(self) -> list[str]:
        """The recorded list's detail requests on the public host."""
        host = self.default_url.removesuffix(self.path)
        return [host + path for path in self.details.paths] if self.details else []

    def __str__(self) -> str:
        return self.label or self.kind


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


def serve_details(server: HTTPServer, case: Case) -> None:
    """Every detail request of a kind with details answered with its recorded detail."""
    if case.details is not None:
        server.expect_request(DetailPaths(case.details), method="GET").respond_with_data(
            case.details.body(), content_type="application/json"
        )


def details_asked(server: HTTPServer, case: Case) -> list[str]:
    """The paths of the detail requests the server saw."""
    details = case.details
    return [
        request.path for request, _ in server.log if details is not None and details.matches(request.path)
    ]


def serve(
    server: HTTPServer, case: Case, body: bytes, *, prefix: str = "", status: int = 200, **kw: Any
) -> None:
    """The kind's list request answered with `body`, under `prefix`."""
    server.expect_request(prefix + case.path, query_string=case.query, method=case.method).respond_with_data(
        body, status=status, content_type=case.content_type, **kw
    )


def serve_board(server: HTTPServer, case: Case, *, prefix: str = "", **kw: Any) -> None:
    """The recorded board: its list, and its details where it has them."""
    serve(server, case, case.recorded_body(), prefix=prefix, **kw)
    serve_details(server, case)
