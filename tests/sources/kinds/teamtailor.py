from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import teamtailor

from sources_support import Case, Page, json_jobs

RECORDED = (
    Posting(
        source="teamtailor",
        board_token="career",
        external_id="7167985",  # the job's number, as in its URL
        title="Account Executive - Italy (Madrid based)",
        company="Teamtailor",  # the feed's title
        location="Madrid, ES",
        city="Madrid",
        region=None,  # addressRegion says "Europe"
        country="ES",
        work_model="unknown",
        url="https://career.teamtailor.com/jobs/7167985-account-executive-italy-madrid-based",
        posted_at=datetime(2026, 2, 4, 8, 26, 20, tzinfo=UTC),
    ),
    Posting(
        source="teamtailor",
        board_token="career",
        external_id="7069633",
        title="Mid-Market Account Executive - Copenhagen",
        company="Teamtailor",
        location="Stockholm, SE; København, DK",
        city="Stockholm",
        region=None,  # addressRegion says "Sweden": the country again
        country="SE",
        work_model="unknown",
        url="https://career.teamtailor.com/jobs/7069633-mid-market-account-executive-copenhagen",
        posted_at=datetime(2026, 1, 18, 18, 35, 57, tzinfo=UTC),
    ),
)
VERSION = "https://jsonfeed.org/version/1.1"
PAGE_SIZE = 100


def page(items: list[Any], next_url: str | None = None, title: str = "Teamtailor") -> dict[str, Any]:
    found: dict[str, Any] = {"version": VERSION, "title": title, "items": items}
    return {**found, "next_url": next_url} if next_url else found


def feed(items: list[Any], next_url: str | None = None, title: str = "Teamtailor") -> bytes:
    return json.dumps(page(items, next_url, title), ensure_ascii=False).encode()


def pages(base: str, items: list[Any]) -> list[Page]:
    """Pages of 100, each pointing at the next on the same host, as Teamtailor does."""
    starts = list(range(0, len(items), PAGE_SIZE))
    query = "page={}&per_page=100".format
    return [
        Page(
            "" if n == 0 else query(n + 1),
            feed(
                items[start : start + PAGE_SIZE],
                f"{base}/jobs.json?{query(n + 2)}" if n + 1 < len(starts) else None,
            ),
        )
        for n, start in enumerate(starts)
    ]


def renumber(item: dict[str, Any], n: int) -> dict[str, Any]:
    posting = item.get("_jobposting", {})
    number = {**posting.get("identifier", {}), "value": 9_000_000 + n}
    return {
        **item,
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "title": f"Role {n}",
        "_jobposting": {**posting, "identifier": number},
    }


def job(fields: dict[str, Any]) -> dict[str, Any]:
    return {"id": "u1", "title": "t", "url": "https://x.teamtailor.com/jobs/1-t", **fields}


def _posting(**fields: Any) -> dict[str, Any]:
    return {"_jobposting": fields}


def _place(locality: str) -> dict[str, Any]:
    return {"address": {"addressLocality": locality, "addressCountry": "SE"}}


CASE = Case(
    kind="teamtailor",
    token="career",
    fixture="teamtailor_career.json",
    path="/jobs.json",
    query="",
    default_base_url="https://{token}.teamtailor.com",
    default_url="https://career.teamtailor.com/jobs.json",
    recorded=RECORDED,
    parse=teamtailor.parse,
    jobs_of=json_jobs("items"),
    page=page,
    job=job,
    renumber=renumber,
    no_id=(
        json.dumps({"version": VERSION, "items": [{"title": "A"}]}).encode(),
        "item #1 has no usable 'id'",
    ),
    wrong_shape=b'{"jobs": []}',
    says=dict.fromkeys((404, 410), "no Teamtailor career site named 'career'"),
    pages=pages,
    work_models=(
        ("TELECOMMUTE", _posting(jobLocationType="TELECOMMUTE", jobLocation=[_place("Oslo")]), "remote"),
        ("TELECOMMUTE in a list", _posting(jobLocationType=["TELECOMMUTE"]), "remote"),
        ("a place called Remote", _posting(jobLocation=[_place("Remote")]), "remote"),
        (
            "hybrid in the title",
            {"title": "Engineer (Hybrid)", **_posting(jobLocation=[_place("Oslo")])},
            "hybrid",
        ),
        ("a plain city", _posting(jobLocation=[_place("Oslo")]), "unknown"),
        ("nothing", {}, "unknown"),
    ),
)
