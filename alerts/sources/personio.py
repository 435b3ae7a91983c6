"""Personio's XML job feed: `<workzag-jobs><position>...</position>...</workzag-jobs>`
at `https://{token}.jobs.personio.de/xml`, the whole board in one document.

No `?language=`: it would drop titles of other languages, and titles must
stay the same from poll to poll. An unknown name is redirected to Personio's
own website, so the list is fetched with redirects off. The feed names no
country and no board-wide company (`subcompany` is a posting's legal entity).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

from alerts.model import BoardRef, EmploymentType, Posting

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_sections
from .fetch import fetch_single
from .http import Client
from .normalize import clean_text, title_text, to_datetime
from .not_found import unknown_board
from .payload import malformed
from .vocab import salary, work_model
from .xmlfeed import as_record, decode_xml, text_of, texts_of

KIND = "personio"
DEFAULT_BASE_URL = "https://{token}.jobs.personio.de"
PATH = "/xml"
JOB_URL = "https://{token}.jobs.personio.de/job/{id}"
ROOT = "workzag-jobs"
ACCEPT = {"Accept": "application/xml, text/xml;q=0.9"}
_CATEGORY_NUMBER = re.compile(r"^\d+_")

# Personio's employmentType words. A working student is a part-time job
# held alongside studies, not an internship.
_EMPLOYMENT: dict[str, EmploymentType] = {
    "intern": "intern",
    "trainee": "intern",
    "freelance": "contract",
    "working_student": "part_time",
}
# schedule, for a permanent position (or one without employmentType).
# "full-or-part-time" offers full time; the shared vocabulary would read
# "part" in it.
_SCHEDULE: dict[str, EmploymentType] = {
    "full-time": "full_time",
    "part-time": "part_time",
    "full-or-part-time": "full_time",
}


def _employment(position: ET.Element) -> EmploymentType:
    kind = (text_of(position, "employmentType") or "").lower()
    if kind in _EMPLOYMENT:
        return _EMPLOYMENT[kind]
    schedule = _SCHEDULE.get((text_of(position, "schedule") or "").lower())
    if schedule:
        return schedule
    return "full_time" if kind == "permanent" else "unknown"


def _department(position: ET.Element) -> str | None:
    department = clean_text(text_of(position, "department"))
    if department:
        return department
    # Categories are sometimes numbered for sorting: "002_Sales & Growth".
    category = clean_text(text_of(position, "recruitingCategory"))
    return clean_text(_CATEGORY_NUMBER.sub("", category)) if category else None


def _offices(position: ET.Element) -> list[str]:
    offices: list[str] = []
    for name in [text_of(position, "office"), *texts_of(position, "additionalOffices/office")]:
        office = clean_text(name)
        if office and office not in offices:
            offices.append(office)
    return offices


def _posting(position: ET.Element, board: BoardRef, index: int) -> Posting:
    external_id = text_of(position, "id")
    if not external_id:
        raise malformed(board, f"position #{index + 1} has no usable 'id'")
    title = title_text(text_of(position, "name"))
    primary = clean_text(text_of(position, "office"))
    offices = _offices(position)
    remote_office = work_model(primary) == "remote"
    pay = position.find("salaryInformation")
    salary_min, salary_max, currency, period = salary(
        text_of(pay, "min"),
        text_of(pay, "max"),
        text_of(pay, "currencyCode") or text_of(pay, "currencySymbol"),
        text_of(pay, "type"),
    )
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=external_id,
        title=title,
        company=clean_text(text_of(position, "subcompany")) or board.token,
        department=_department(position),
        team=None,
        location="; ".join(offices) or None,
        city=None if remote_office else primary,
        # The feed can say remote (an office named so, or the title) but never
        # on site: an office name alone does not rule out working from home.
        work_model=work_model(primary, title, *offices[1:]),
        employment_type=_employment(position),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
        salary_period=period,
        url=JOB_URL.format(token=quote(board.token, safe=""), id=quote(external_id, safe="")),
        posted_at=to_datetime(text_of(position, "createdAt")),
        # Each <jobDescription>: a heading (<name>) and its HTML (<value>).
        description_source=from_sections(
            None,
            [
                (text_of(part, "name"), text_of(part, "value"))
                for part in position.iterfind("jobDescriptions/jobDescription")
            ],
        ),
        raw=as_record(position),
    )


def parse(root: Any, board: BoardRef) -> list[Posting]:
    """Every position of a decoded feed (its root element)."""
    if not isinstance(root, ET.Element) or root.tag != ROOT:
        tag = root.tag if isinstance(root, ET.Element) else type(root).__name__
        raise malformed(board, f"not a Personio job feed: expected <{ROOT}>, got <{tag}>")
    return [_posting(position, board, index) for index, position in enumerate(root.findall("position"))]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    explain = unknown_board(
        f"no Personio job page named {board.token!r}",
        gone=(
            ": the name is wrong, or the company has switched its XML feed off "
            "(Personio: Settings > Recruiting > Career page > Activations, 'Enable XML feed')"
        ),
        moved=" (Personio sends names it does not know to its own website)",
    )
    return await fetch_single(
        client,
        url,
        board,
        parse,
        ctx,
        decode=decode_xml,
        explain=explain,
        follow_redirects=False,
        headers=ACCEPT,
    )


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
