from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import jsonld
from alerts.sources.jsonld.mapping import trim
from alerts.sources.jsonld.reader import MAX_POSTINGS, read_page

from sources_support import Case

URL = "https://wellfound.com/jobs/3371384-senior-pre-sales-solutions-engineer-india"
# The recorded page (a Wellfound job page): one posting, and no details.
RECORDED = (
    Posting(
        source="jsonld",
        board_token=URL,
        external_id="3371384-senior-pre-sales-solutions-engineer-india",  # identifier.value
        title="Senior Pre-Sales Solutions Engineer - India",
        company="Deepgram",  # hiringOrganization.name
        location="India",
        country="IN",
        work_model="remote",  # TELECOMMUTE
        employment_type="full_time",
        url=URL,
        posted_at=datetime(2026, 3, 19, 11, 29, 47, tzinfo=UTC),
    ),
)


def page(jobs: list[Any]) -> str:
    """A careers page whose one JSON-LD block lists these postings."""
    block = json.dumps(jobs, ensure_ascii=False).replace("</", "<\\/")
    return (
        "<!DOCTYPE html><html><head><title>Jobs</title>"
        f'<script type="application/ld+json">{block}</script></head><body></body></html>'
    )


def jobs_of(text: str) -> list[dict[str, Any]]:
    """The page's JobPostings as the source keeps them (references resolved)."""
    found = read_page(text)
    return [trim(job, found.nodes) for job in found.jobs]


def renumber(job: dict[str, Any], n: int) -> dict[str, Any]:
    # Without its description (ten thousand of them would be 900 MB); typed
    # again (the source keeps the fields it maps, not @type).
    copy = {key: value for key, value in job.items() if key != "description"}
    return {**copy, "@type": "JobPosting", "identifier": f"JP-{n}", "title": f"Role {n}"}


def _place(locality: str, country: str | None = None) -> dict[str, Any]:
    address = {"addressLocality": locality, **({"addressCountry": country} if country else {})}
    return {"jobLocation": {"address": address}}


CASE = Case(
    kind="jsonld",
    token=URL,
    fixture="jsonld_wellfound.html",
    path="/jobs/3371384-senior-pre-sales-solutions-engineer-india",
    query="",
    default_base_url="{url}",
    default_url=URL,
    recorded=RECORDED,
    parse=jsonld.parse,
    jobs_of=jobs_of,
    page=page,
    job=lambda fields: {"@context": "https://schema.org", "@type": "JobPosting", "title": "t", **fields},
    renumber=renumber,
    no_id=None,  # the posting's URL, else the page's, stands in (test_sources_jsonld.py)
    wrong_shape=None,  # any HTML page is a page: one without JobPosting is BODY_CASES["html"]
    format="html",
    accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    says=dict.fromkeys((404, 410), ("nothing at", "check the URL after jsonld:")),
    empty_unknown=(
        "found no job postings (schema.org JobPosting) on",
        "The page may build its list in the browser",
    ),
    page_limit=MAX_POSTINGS,
    work_models=(
        # TELECOMMUTE is remote; schema.org has no word for hybrid.
        ("TELECOMMUTE", {"jobLocationType": "TELECOMMUTE"}, "remote"),
        ("TELECOMMUTE in a list", {"jobLocationType": ["TELECOMMUTE"]}, "remote"),
        ("a place named Remote", _place("Remote", "US"), "remote"),
        ("nothing", _place("Berlin"), "unknown"),
    ),
)
