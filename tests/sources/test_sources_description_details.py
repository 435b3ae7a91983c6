"""Descriptions of the detail-based kinds (Workday, BambooHR, Rippling, JSON-LD
sitemaps) over real sockets: the description comes with the detail (a list
alone has none), is kept plain in the source cache beside it, and a steady
poll rebuilds it from there: no detail request and no HTML parsed."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef, Posting
from alerts.sources import FetchContext, Snapshot, bamboohr, description, rippling, workday
from alerts.sources.cache import MemoryCache
from alerts.sources.workday.postings import read_detail

from reach_support import (
    PATIENT_SECONDS,
    WORKDAY_BOARD,
    Under,
    WorkdayTenant,
    workday_base,
    workday_detail,
    workday_row,
)
from sources_support import base_url, run_fetch

HTML = "<p>Visa sponsorship <b>available</b>.</p><ul><li>Rust</li><li>R&amp;D</li></ul>"
TEXT = "Visa sponsorship available. Rust R&D"
WORKDAY = BoardRef("workday", WORKDAY_BOARD.split(":", 1)[1])


@dataclass
class Site:
    """A local board: what to fetch, and how to change one posting's
    description (with or without its list entry)."""

    board: BoardRef
    url: str
    asked: Counter[str]  # "list" and "detail" requests
    rewrite: Callable[[str, bool], None]  # (new HTML, list entry changed too)


def _workday(server: HTTPServer, payload: Callable[[str], Any]) -> Site:
    tenant = WorkdayTenant(server, [workday_row(n) for n in range(3)])
    for row in tenant.rows:
        tenant.details[row["externalPath"]] = workday_detail(row, jobDescription=HTML)

    def rewrite(html: str, listed: bool) -> None:
        row = tenant.rows[0]
        tenant.details[row["externalPath"]] = workday_detail(row, jobDescription=html)
        if listed:
            row["title"] += " (Senior)"

    return Site(WORKDAY, workday_base(server), tenant.asked, rewrite)


def _bamboohr(server: HTTPServer, payload: Callable[[str], Any]) -> Site:
    listing = payload("bamboohr_list_work_models.json")
    detail = payload("bamboohr_detail_full.json")
    detail["result"]["jobOpening"]["description"] = HTML
    details = {job["id"]: json.loads(json.dumps(detail)) for job in listing["result"]}
    asked: Counter[str] = Counter()

    def answer(request: Request) -> Response:
        if request.path == "/careers/list":
            asked["list"] += 1
            return Response(json.dumps(listing), content_type="application/json")
        asked["detail"] += 1
        key = request.path.split("/")[2]
        return Response(json.dumps(details[key]), content_type="application/json")

    server.expect_request(Under("/careers/")).respond_with_handler(answer)

    def rewrite(html: str, listed: bool) -> None:
        first = listing["result"][0]
        details[first["id"]]["result"]["jobOpening"]["description"] = html
        if listed:
            first["jobOpeningName"] += " (Senior)"

    return Site(BoardRef("bamboohr", "acme"), base_url(server), asked, rewrite)


def _rippling(server: HTTPServer, payload: Callable[[str], Any]) -> Site:
    listing = payload("rippling_list_multi_location.json")
    detail = payload("rippling_v2_detail.json")
    detail["description"] = {"company": "<p>About Acme.</p>", "role": HTML}
    details = {row["uuid"]: json.loads(json.dumps(detail)) for row in listing}
    asked: Counter[str] = Counter()

    def answer(request: Request) -> Response:
        if request.path == "/acme/jobs":
            asked["list"] += 1
            return Response(json.dumps(listing), content_type="application/json")
        asked["detail"] += 1
        return Response(json.dumps(details[request.path.rsplit("/", 1)[1]]), content_type="application/json")

    server.expect_request(Under("/acme/jobs")).respond_with_handler(answer)

    def rewrite(html: str, listed: bool) -> None:
        first = listing[0]
        details[first["uuid"]]["description"]["role"] = html
        if listed:
            for row in listing:
                if row["uuid"] == first["uuid"]:
                    row["name"] += " (Senior)"

    return Site(BoardRef("rippling", "acme"), base_url(server), asked, rewrite)


def _jsonld(server: HTTPServer, payload: Callable[[str], Any]) -> Site:
    host = "https://careers.example.com"
    lastmod = {n: "2026-09-01" for n in range(3)}
    pages = {n: HTML for n in range(3)}
    asked: Counter[str] = Counter()

    def sitemap() -> str:
        urls = "".join(
            f"<url><loc>{host}/jobs/{n}</loc><lastmod>{lastmod[n]}</lastmod></url>" for n in sorted(pages)
        )
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'

    def page(n: int) -> str:
        job = {"@type": "JobPosting", "title": f"Job {n}", "identifier": str(n), "description": pages[n]}
        return f'<script type="application/ld+json">{json.dumps(job)}</script>'

    def answer(request: Request) -> Response:
        if request.path == "/sitemap.xml":
            asked["list"] += 1
            return Response(sitemap(), content_type="application/xml")
        asked["detail"] += 1
        return Response(page(int(request.path.rsplit("/", 1)[1])), content_type="text/html")

    server.expect_request(Under("/")).respond_with_handler(answer)

    def rewrite(html: str, listed: bool) -> None:
        pages[0] = html
        if listed:
            lastmod[0] = "2026-09-02"

    return Site(BoardRef("jsonld", f"{host}/sitemap.xml"), base_url(server), asked, rewrite)


KINDS = {"workday": _workday, "bamboohr": _bamboohr, "rippling": _rippling, "jsonld": _jsonld}


@pytest.fixture(params=sorted(KINDS))
def site(request: pytest.FixtureRequest, httpserver: HTTPServer, payload: Callable[[str], Any]) -> Site:
    build: Callable[[HTTPServer, Callable[[str], Any]], Site] = KINDS[request.param]
    return build(httpserver, payload)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every piece of HTML made plain, whoever asks (the real parser, counted)."""
    calls: list[str] = []
    real = description.html_text

    def counting(markup: str) -> str | None:
        calls.append(markup)
        return real(markup)

    monkeypatch.setattr(description, "html_text", counting)
    yield calls


def poll(site: Site, cache: MemoryCache) -> Snapshot:
    site.asked.clear()
    return run_fetch(site.board, site.url, FetchContext(cache=cache), timeout=PATIENT_SECONDS)


def by_id(snapshot: Snapshot) -> dict[str, Posting]:
    return {p.external_id: p for p in snapshot.postings}


def test_the_description_comes_with_the_detail_and_stays_in_the_cache(site: Site, parsed: list[str]) -> None:
    cache = MemoryCache()
    first = poll(site, cache)
    assert first.postings and site.asked["detail"] == len(first.postings)
    texts = {p.external_id: p.description for p in first.postings}
    assert all(text is not None and text.endswith(TEXT) for text in texts.values()), texts
    assert len(parsed) == len(first.postings)  # each parsed once, when its detail came
    # The cache keeps the plain text, never the HTML.
    assert TEXT in json.dumps(cache.entries) and "<p>" not in json.dumps(cache.entries)

    parsed.clear()
    steady = poll(site, cache)
    assert site.asked == Counter({"list": 1}) and steady.details == 0
    again = by_id(steady)
    assert {key: p.description for key, p in again.items()} == texts
    assert parsed == []  # nothing parsed: the descriptions came plain from the cache
    # Recognised as unchanged: the same fingerprints, so nothing is written.
    assert {key: p.fingerprint for key, p in again.items()} == {
        p.external_id: p.fingerprint for p in first.postings
    }


def test_a_changed_description_arrives_with_a_changed_list_entry(site: Site) -> None:
    cache = MemoryCache()
    first = by_id(poll(site, cache))
    # Changed in the detail alone: the list entry vouches for the cached detail.
    site.rewrite("<p>Relocation offered.</p>", False)
    unchanged = by_id(poll(site, cache))
    assert site.asked == Counter({"list": 1})
    assert {k: p.description for k, p in unchanged.items()} == {k: p.description for k, p in first.items()}
    # With its list entry: the detail is asked again, the description with it.
    site.rewrite("<p>Relocation offered.</p>", True)
    changed = by_id(poll(site, cache))
    assert site.asked == Counter({"list": 1, "detail": 1})
    moved = [key for key, p in changed.items() if p.description != first[key].description]
    assert len(moved) == 1 and changed[moved[0]].description.endswith("Relocation offered.")
    assert changed[moved[0]].fingerprint != first[moved[0]].fingerprint


def test_lists_without_their_details_carry_no_description(payload: Callable[[str], Any]) -> None:
    lists = [
        workday.parse(payload("workday_list_edge_cases.json"), WORKDAY),
        bamboohr.parse(payload("bamboohr_list.json"), BoardRef("bamboohr", "acme")),
        rippling.parse(payload("rippling_list.json"), BoardRef("rippling", "acme")),
    ]
    assert all(lists) and all(p.description is None for postings in lists for p in postings)
    assert read_detail({"jobPostingInfo": {"title": "t"}}, WORKDAY)["description"] is None
