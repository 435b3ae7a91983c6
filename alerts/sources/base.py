"""What every source module shares: the fetch contract and URL building."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from alerts.model import BoardRef, Posting

from .cache import SourceCache
from .http import Client


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators from the last good fetch of a board."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class TimeBox:
    """Times on the event loop's clock (`loop.time()`)."""

    start_by: float  # no detail request starts later
    done_by: float  # one still in flight then is dropped (it waits for the next poll)


@dataclass(frozen=True)
class FetchContext:
    base_url: str | None = None  # None: the kind's public host
    api_key: str | None = field(default=None, repr=False)  # never shown, even in a repr
    # Sent as If-None-Match / If-Modified-Since by sources whose one request
    # is the whole board (a paged source only when its first page was all of
    # it): a 304 must stand for the whole board, never for part of it.
    validators: Validators | None = None
    # Incremental sources only (bluedoor's `changed_since`); None asks for a
    # complete snapshot.
    since: datetime | None = None
    # What the source kept from earlier polls of this board (details, pages);
    # None: keep nothing, fetch everything.
    cache: SourceCache | None = field(default=None, repr=False, compare=False)
    # When the details of this fetch must be done, so that a large first poll
    # ends within its deadline with the rest left waiting (see `details.py`);
    # None: no limit but the budget of requests.
    details_time: TimeBox | None = None


@dataclass(frozen=True)
class Snapshot:
    postings: list[Posting]
    validators: Validators = Validators()  # from this response, to send next time
    # False for an incremental fetch: a posting absent from it is not a miss.
    complete: bool = True
    # A 304: nothing changed, `postings` is empty and reconcile must be skipped.
    not_modified: bool = False
    requests: int = 1  # HTTP requests made, retries and pages included
    # What the source calls the company (Teamtailor's feed title, Breezy's
    # company.name), when it says; `alerts boards find` shows it.
    board_name: str | None = None
    # Of `requests`, those for single postings or pages (details, sitemap
    # pages): the part of a poll's cost that follows what changed.
    details: int = 0
    # What the user should know about this poll (logged as warnings), such as
    # why it is incomplete.
    notes: tuple[str, ...] = ()
    # Postings the board lists but this snapshot leaves out until their
    # details arrive (an incomplete snapshot): a board is not baselined while
    # any wait, so that they join its baseline silently instead of being
    # announced as opened once they arrive.
    waiting: int = 0
    # Ids of postings shown from their list entry alone before (their detail
    # had failed) whose detail arrived now: a field it fills that was empty
    # is no change (reconcile does not announce it as an update).
    filled: frozenset[str] = frozenset()

    @property
    def cost(self) -> str:
        """What the poll cost the board's host, details apart: a steady poll
        of a detail-based source should show none."""
        cost = f"{self.requests} requests"
        return f"{cost} ({self.details} for details)" if self.details else cost

    def incomplete_reason(self, incremental: bool) -> str | None:
        """Why the snapshot is incomplete, to show in `alerts status`; None
        when it is complete or incremental (incomplete by design)."""
        if self.complete or incremental:
            return None
        return "; ".join(self.notes) or "some postings could not be read"


Fetch = Callable[[Client, BoardRef, FetchContext], Awaitable[Snapshot]]


@dataclass(frozen=True)
class Source:
    kind: str
    default_base_url: str
    fetch: Fetch
    # Has an incremental mode (FetchContext.since); pacing decides when to use it.
    incremental: bool = False


def base_of(ctx: FetchContext, default: str) -> str:
    return ctx.base_url or default


def board_url(base_url: str, path: str, token: str, **parts: str) -> str:
    """`base_url` + `path`, with `{token}` (and each of `parts`, such as
    Workday's `{tenant}`) filled in both.

    Some hosts carry the board in the host name (recruitee's
    `https://{token}.recruitee.com/api`), so the base URL is templated too.
    Each value is quoted whole: a token with `/` or `?` must not reach
    another path or start a query.
    """
    values = {"token": token, **parts}

    def fill(text: str) -> str:
        for name, value in values.items():
            text = text.replace("{" + name + "}", quote(value, safe=""))
        return text

    return fill(base_url).rstrip("/") + fill(path)
