"""The HTML pages: what each shows, read from the store and rendered with
Jinja2 (autoescaped: posting text is the job boards', so hostile).

Synchronous: the server runs each page in a worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from alerts.config import Config
from alerts.errors import ConfigError
from alerts.model import WORK_MODELS, Repost
from alerts.notify.escape import safe_link
from alerts.service.board_health import board_health, short_health
from alerts.service.display import age, when
from alerts.service.matches import Match, matched_events, open_matches
from alerts.service.web.chart import open_chart
from alerts.store import Store, StoredEvent

MAX_ROWS = 500
RECENT_EVENTS = 30
SINCE_CHOICES = {"": None, "1d": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30)}
KIND_LABELS = {"opened": "Opened", "updated": "Updated", "closed": "Closed", "reopened": "Reopened"}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("alerts.service.web", "templates"),
        autoescape=select_autoescape(["html", "xml", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["kind_labels"] = KIND_LABELS
    return env


def render(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode("utf-8")


@dataclass(frozen=True)
class Filters:
    subscription: str = ""
    company: str = ""
    work_model: str = ""
    q: str = ""
    since: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        since = query.get("since", "")
        work_model = query.get("work_model", "")
        return cls(
            subscription=query.get("subscription", ""),
            company=query.get("company", ""),
            work_model=work_model if work_model in WORK_MODELS else "",
            q=" ".join(query.get("q", "").split()),
            since=since if since in SINCE_CHOICES else "",
        )


def posting_href(board_key: str, external_id: str) -> str:
    return "/posting?" + urlencode({"board": board_key, "id": external_id})


def _job_row(match: Match, now: datetime) -> dict[str, Any]:
    posting = match.open.posting
    return {
        "age": age(now - match.since),
        "dated": match.dated_by_source,
        "company": posting.company or match.open.board_key,
        "title": posting.title,
        "location": posting.location,
        "work_model": posting.work_model,
        "salary": posting.salary,
        "link": safe_link(posting.url or posting.apply_url),
        "href": posting_href(match.open.board_key, match.open.external_id),
        "subscriptions": match.subscriptions,
    }


def repost_row(earlier: Repost | None, zone: tzinfo) -> dict[str, Any] | None:
    """The earlier posting a repost reposts: its page here, its key, whether it had closed."""
    if earlier is None:
        return None
    return {
        "href": posting_href(earlier.board_key, earlier.external_id),
        "key": f"{earlier.board_key}:{earlier.external_id}",
        "closed": f"closed {when(earlier.closed_at, zone)}" if earlier.closed_at else "still open",
    }


def event_row(event: StoredEvent, zone: tzinfo) -> dict[str, Any]:
    posting = event.posting
    return {
        "when": when(event.occurred_at, zone),
        "kind": event.kind,
        "label": "Reposted" if event.reposts is not None else KIND_LABELS.get(event.kind, event.kind),
        "reposts": repost_row(event.reposts, zone),
        "company": posting.company or event.board_key,
        "title": posting.title,
        "href": posting_href(event.board_key, event.external_id),
        "changes": [(name, _shown(old), _shown(new)) for name, (old, new) in event.changes.items()],
        "deliveries": event.deliveries,
    }


def _shown(value: Any) -> str:
    return "none" if value in (None, "") else str(value)


def index(config: Config, store: Store, query: dict[str, str], now: datetime) -> tuple[str, bytes]:
    """(status, page) of `/`: open matches with filters, recent events, boards, the chart."""
    filters = Filters.from_query(query)
    zone = config.display.zone
    status, notice = "200 OK", None
    subscription = filters.subscription or None
    boards_wanted = config.boards()
    # Read once for the list and the boards' counts alike: the page's biggest cost.
    rows = store.views.open_postings(boards_wanted)
    try:
        found = open_matches(
            config, store, subscription=subscription, since=SINCE_CHOICES[filters.since], now=now, rows=rows
        )
    except ConfigError as exc:
        status, notice, found, subscription = "404 Not Found", str(exc), [], None
    companies = sorted({m.open.posting.company or m.open.board_key for m in found}, key=str.casefold)
    if filters.company:
        found = [m for m in found if (m.open.posting.company or m.open.board_key) == filters.company]
    if filters.work_model:
        found = [m for m in found if m.open.posting.work_model == filters.work_model]
    if filters.q:
        words = re.compile(rf"(?<!\w){re.escape(filters.q.casefold())}(?!\w)")
        found = [m for m in found if words.search(m.open.posting.title.casefold())]
    events = [] if notice else matched_events(config, store, subscription=subscription, limit=RECENT_EVENTS)
    boards = board_health(config, store, now, rows)
    page = render(
        "index.html.j2",
        filters=filters,
        filtered=filters != Filters(),
        notice=notice,
        subscriptions=[s.name for s in config.subscriptions],
        companies=companies,
        work_models=WORK_MODELS,
        since_choices=list(SINCE_CHOICES),
        jobs=[_job_row(m, now) for m in found[:MAX_ROWS]],
        total=len(found),
        events=[{**event_row(e, zone), "subscriptions": names} for e, names in events],
        boards=[
            {
                "board": b.board,
                "matching": b.matching,
                "open": b.open,
                "last_success": when(b.last_success_at, zone),
                "next_poll": "due now" if b.due else when(b.next_poll_at, zone),
                "health": b.health,
                "health_text": short_health(b),
                "error": b.last_error,
            }
            for b in boards
        ],
        chart=open_chart([s for s in store.views.open_spans() if s.board_key in boards_wanted], now),
        zone=config.display.timezone,
        feed=f"/feeds/{quote(subscription, safe='')}.atom" if subscription else "/feeds/all.atom",
        now=when(now, zone),
    )
    return status, page


def posting_page(config: Config, store: Store, query: dict[str, str], now: datetime) -> tuple[str, bytes]:
    """(status, page) of `/posting?board=KEY&id=ID`: one posting's life."""
    zone = config.display.zone
    life = store.views.posting_life(query.get("board", ""), query.get("id", ""))
    if life is None:
        return "404 Not Found", not_found(config, "No such posting is stored.")
    posting = life.posting
    opened = any(e.kind == "opened" for e in life.events)
    posted, first_seen = life.started  # a repost's age counts from its chain's first posting
    return "200 OK", render(
        "posting.html.j2",
        board=life.board_key,
        state=life.state,
        posting=posting,
        link=safe_link(posting.url),
        apply=safe_link(posting.apply_url),
        salary=posting.salary,
        first_seen=when(life.first_seen_at, zone),
        job_first_seen=when(first_seen, zone),
        age=age(now - (posted or first_seen)),
        posted=when(posted, zone) if posted else None,
        reposts=repost_row(life.chain, zone),
        closed=when(life.closed_at, zone) if life.state == "closed" else None,
        baseline=not opened,
        events=[event_row(e, zone) for e in life.events],
        zone=config.display.timezone,
    )


def not_found(config: Config, what: str) -> bytes:
    return render("missing.html.j2", what=what, zone=config.display.timezone)
