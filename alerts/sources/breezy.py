"""Breezy HR's public list: a bare JSON list of positions at
`https://{token}.breezy.hr/json`, the whole board, no paging.

A name Breezy does not know is redirected to its marketing site, so the
list is fetched with redirects off. Salaries are display strings
("£35,000 – £42,000 / year"); countries come as ISO codes. The list carries
no description: a subscription's `keywords` match the title alone here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from alerts.model import BoardRef, EmploymentType, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .fetch import fetch_single
from .http import Client
from .normalize import as_dict, as_list, clean_text, title_text, to_country, to_datetime, to_str
from .not_found import unknown_board
from .payload import job_id, jobs_in
from .salary_text import salary_from_text
from .vocab import employment_type, work_model

KIND = "breezy"
DEFAULT_BASE_URL = "https://{token}.breezy.hr"
PATH = "/json"


def _work_model(location: dict[str, Any]) -> WorkModel:
    # remote_details is the finer answer: a hybrid position says is_remote
    # true, and one remote position was seen with is_remote false.
    details = clean_text(as_dict(location.get("remote_details")).get("value"))
    if details:
        words = details.lower()
        if words.startswith("remote"):
            return "remote"
        model = work_model(words)
        if model != "unknown":
            return model
    remote = location.get("is_remote")
    if remote is True:
        return "remote"
    if remote is False:
        return "onsite"
    return work_model(location.get("name"))


def _employment(kind: dict[str, Any]) -> EmploymentType:
    # "Full-Time", "Internship"; the id ("fullTime", "partTime") backs it up.
    named = employment_type(kind.get("name"))
    return named if named != "unknown" else employment_type(kind.get("id"))


def _places(position: dict[str, Any], location: dict[str, Any]) -> str | None:
    primary = clean_text(location.get("name"))
    names = [primary] if primary else []
    for place in as_list(position.get("locations")):
        name = clean_text(as_dict(place).get("name"))
        if name and name not in names:
            names.append(name)
    return "; ".join(names) or None


def _posting(position: dict[str, Any], board: BoardRef, index: int) -> Posting:
    location = as_dict(position.get("location"))
    place = as_dict(location.get("country"))
    country = to_country(place.get("id"), place.get("name"))
    low, high, currency, period = salary_from_text(position.get("salary"), country)
    return Posting(
        source=KIND,
        board_token=board.token,
        # Not friendly_id: it changes with the title.
        external_id=job_id(position, board, index),
        title=title_text(position.get("name")),
        company=clean_text(as_dict(position.get("company")).get("name")) or board.token,
        department=clean_text(position.get("department")),
        team=None,
        location=_places(position, location),
        city=clean_text(location.get("city")),
        region=clean_text(as_dict(location.get("state")).get("name")),
        country=country,
        work_model=_work_model(location),
        employment_type=_employment(as_dict(position.get("type"))),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=to_str(position.get("url")),
        posted_at=to_datetime(position.get("published_date")),
        raw=position,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    positions = jobs_in(payload, board, None)
    return [_posting(position, board, index) for index, position in enumerate(positions)]


def company_name(payload: Any) -> str | None:
    """What the board calls its company (every position repeats it)."""
    for position in as_list(payload):
        name = clean_text(as_dict(as_dict(position).get("company")).get("name"))
        if name:
            return name
    return None


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    explain = unknown_board(
        f"no Breezy HR career portal named {board.token!r}",
        moved=" (Breezy sends names it does not know to its own website)",
    )
    snapshot = await fetch_single(client, url, board, parse, ctx, explain=explain, follow_redirects=False)
    return replace(snapshot, board_name=company_name([p.raw for p in snapshot.postings]))


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
