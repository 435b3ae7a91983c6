"""A Workday list row and its detail, as one Posting.

The list row has the title, sometimes `remoteType` and `timeType`, and a
`locationsText` that may be a count ("3 Locations"). The detail adds the
posting date, the country (ISO code), every location, the company name,
whether the posting still takes applications, and the description (with
the pay it states, if it states one for sure).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from alerts.model import BoardRef, Posting, WorkModel

from ..country import country_code, place_country
from ..description import from_plain, plain_of_html
from ..normalize import as_dict, as_list, clean_text, title_text, to_datetime, to_str
from ..payload import malformed
from ..salary_text import salary_in_prose
from ..vocab import employment_type, work_model
from .keys import path_of

JOB_URL = "https://{tenant}.{dc}.myworkdayjobs.com/{site}{path}"
# "3 Locations": how many, not where.
_COUNT_OF_PLACES = re.compile(r"\d+\s+locations?", re.IGNORECASE)
_SAFE_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*")
_NOT_CITIES = {"remote", "hybrid", "anywhere", "multiple locations"}
# Several places in one name: its country only where they agree (countries.place_country).
_SEVERAL = re.compile(r"[;|/]")
MAX_LOCATIONS = 20


def signature(row: dict[str, Any]) -> str:
    """What the detail depends on: the row without `postedOn`, which is
    relative ("Posted 3 Days Ago") and changes every day."""
    kept = {key: value for key, value in row.items() if key != "postedOn"}
    blob = json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()


def detail_path(row: dict[str, Any]) -> str | None:
    """The row's path, if it is a plain path under the site (never `..`, a
    query, or another host)."""
    path = path_of(row)
    ok = _SAFE_PATH.fullmatch(path) and ".." not in path and "//" not in path
    return path if ok and len(path) <= 1000 else None


def read_detail(payload: Any, board: BoardRef) -> dict[str, Any]:
    """What a detail adds, small enough to cache."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobPostingInfo"), dict):
        raise malformed(board, "the posting's detail has no 'jobPostingInfo'")
    info = payload["jobPostingInfo"]
    requisition = as_dict(info.get("jobRequisitionLocation"))
    country = to_str(as_dict(requisition.get("country")).get("alpha2Code"))
    names = (
        as_dict(requisition.get("country")).get("descriptor"),
        as_dict(info.get("country")).get("descriptor"),
    )
    places = [clean_text(info.get("location")), *map(clean_text, as_list(info.get("additionalLocations")))]
    code = country_code(country) or next(filter(None, map(country_code, names)), None)
    # Plain text: the cache holds no HTML, and a steady poll parses none.
    description = plain_of_html(info.get("jobDescription"))
    return {
        "locations": [place for place in places if place][:MAX_LOCATIONS],
        "country": code,
        "posted": to_str(info.get("startDate")),
        "end": to_str(info.get("endDate")),
        "remote": clean_text(info.get("remoteType")),
        "time": clean_text(info.get("timeType")),
        "company": clean_text(as_dict(payload.get("hiringOrganization")).get("name")),
        "open": info.get("canApply") is not False and info.get("posted") is not False,
        "description": description,
        # Workday has no pay field; many descriptions state it ("The base salary
        # range is 152,000 USD - 287,500 USD"). Read once, here, and cached.
        "salary": list(salary_in_prose(description, code)),
    }


def remote_type(value: Any) -> WorkModel:
    """Workday's `remoteType`: "Flex" is its word for hybrid (at least half
    the time in the office); "Hybrid (Remote & On-site)", "On-Site" and
    "Remote" read as they say."""
    text = clean_text(value)
    if text and text.lower() == "flex":
        return "hybrid"
    return work_model(text)


def place(text: str | None, country: str | None) -> tuple[str | None, str | None, str | None]:
    """(city, region, country) from one Workday place name, when it says.

    Tenants write "US, CA, Santa Clara" (country first), "London, England,
    UK", "Veldhoven, Netherlands" or "Belgium-Wavre"; anything else keeps
    only the country the detail gave.
    """
    if not text:
        return None, None, country
    if _SEVERAL.search(text):  # "Berlin, Germany; London, UK": a country only where they agree
        return None, None, country or place_country(text)
    parts = [part for part in re.split(r"\s*,\s*|\s+[-\u2013]\s+", text) if part]
    if len(parts) == 1 and "-" in parts[0]:
        head, tail = parts[0].split("-", 1)
        if country_code(head, names_only=True):
            parts = [head, tail]
    city = region = None
    if len(parts) == 3 and (code := country_code(parts[2])):
        city, region, country = parts[0], parts[1], country or code
    elif len(parts) == 3 and (code := country_code(parts[0])):
        region, city, country = parts[1], parts[2], country or code
    elif len(parts) == 2 and (code := country_code(parts[1], names_only=True)):
        city, country = parts[0], country or code
    elif len(parts) == 2 and (code := country_code(parts[0], names_only=True)):
        city, country = parts[1], country or code
    if city and city.lower() in _NOT_CITIES:
        city = None
    return city, region, country


def to_posting(
    key: str,
    row: dict[str, Any],
    detail: dict[str, Any] | None,
    board: BoardRef,
    site: tuple[str, str, str],
    company: str | None,
    today: datetime,
) -> Posting:
    detail = detail or {}
    listed = clean_text(row.get("locationsText"))
    if listed and _COUNT_OF_PLACES.fullmatch(listed):
        listed = None
    places = [p for p in as_list(detail.get("locations")) if isinstance(p, str)]
    location = listed or "; ".join(places) or None
    city, region, country = place(places[0] if places else listed, detail.get("country"))
    path = detail_path(row)
    tenant, dc, name = site
    url = JOB_URL.format(tenant=tenant, dc=dc, site=quote(name, safe=""), path=path) if path else None
    end = to_datetime(detail.get("end"))
    # A closing date that has passed, or a detail saying it takes no more applications.
    open_now = detail.get("open") is not False and (end is None or end.date() >= today.date())
    low, high, currency, period = (list(as_list(detail.get("salary"))) + [None] * 4)[:4]
    model = remote_type(row.get("remoteType"))
    if model == "unknown":
        model = remote_type(detail.get("remote"))
    return Posting(
        source="workday",
        board_token=board.token,
        external_id=key,
        title=title_text(row.get("title")),
        company=detail.get("company") or company or tenant,
        location=location,
        city=city,
        region=region,
        country=country,
        work_model=model if model != "unknown" else work_model(listed),
        employment_type=employment_type(row.get("timeType") or detail.get("time")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=url,
        posted_at=to_datetime(detail.get("posted")),
        active=open_now,
        description_source=from_plain(detail.get("description")),
        raw=row,
    )
