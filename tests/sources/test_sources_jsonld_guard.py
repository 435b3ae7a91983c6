"""A JSON-LD board is not closed by a passing fault of its site: a sitemap
board answered by an HTML page (a CDN's challenge, a maintenance page)
fails that poll; a page board whose page suddenly shows no JobPosting fails
until it has shown none for a day, unless its JSON-LD says there are none;
and a sitemap's pages on `www.` (or the bare domain) of its own registrable
domain are read, while other sites' are counted and left alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cycle_worlds import JsonLd, Run, config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef
from alerts.sources import FetchContext
from alerts.sources.cache import MemoryCache
from alerts.sources.details import BOARD as BOARD_ENTRY
from alerts.sources.jsonld.sitemap import same_site

from sources_support import fetch_error, run_fetch

PAGE_BOARD = BoardRef("jsonld", "https://acme.example/careers")
MAP_BOARD = BoardRef("jsonld", "https://acme.example/sitemap.xml")


def job_block(title: str = "Welder", number: int = 1) -> str:
    job = json.dumps({"@type": "JobPosting", "title": title, "identifier": str(number)})
    return f'<script type="application/ld+json">{job}</script>'


def local(server: HTTPServer) -> str:
    return f"http://127.0.0.1:{server.port}"


@pytest.mark.parametrize(
    ("url", "site", "same"),
    [
        ("https://www.acme.example/jobs/1", "https://acme.example/sitemap.xml", True),
        ("https://acme.example/jobs/1", "https://www.acme.example/sitemap.xml", True),
        ("https://jobs.acme.example/1", "https://careers.acme.example/sitemap.xml", True),
        ("https://acme.example/jobs/1", "http://acme.example/sitemap.xml", True),  # upgraded to https
        ("http://acme.example/jobs/1", "https://acme.example/sitemap.xml", False),  # never down
        ("https://acme.example:8443/jobs/1", "https://acme.example/sitemap.xml", False),
        ("https://evil.example/jobs/1", "https://acme.example/sitemap.xml", False),
        ("http://169.254.169.254/latest", "https://acme.example/sitemap.xml", False),
        # A public suffix's tenants are different sites.
        ("https://bob.github.io/jobs", "https://alice.github.io/sitemap.xml", False),
        ("https://[::1/jobs", "https://acme.example/sitemap.xml", False),
    ],
)
def test_same_site(url: str, site: str, same: bool) -> None:
    assert same_site(url, site) is same


def test_pages_on_other_sites_are_counted_in_the_notes_and_the_message(httpserver: HTTPServer) -> None:
    urls = ["https://www.acme.example/jobs/1", "https://elsewhere.example/jobs/2"]
    sitemap = "<urlset>" + "".join(f"<url><loc>{u}</loc></url>" for u in urls) + "</urlset>"
    httpserver.expect_request("/sitemap.xml").respond_with_data(sitemap, content_type="application/xml")
    httpserver.expect_request("/jobs/1").respond_with_data(job_block(), content_type="text/html")
    snapshot = run_fetch(MAP_BOARD, local(httpserver), FetchContext(cache=MemoryCache()))
    assert [p.title for p in snapshot.postings] == ["Welder"]
    assert "1 URLs of the sitemap are on other sites; not read" in snapshot.notes
    httpserver.clear()
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        "<urlset><url><loc>https://elsewhere.example/jobs/2</loc></url></urlset>",
        content_type="application/xml",
    )
    err = fetch_error(MAP_BOARD, local(httpserver), FetchContext(cache=MemoryCache()))
    assert "lists 0 pages on its site (1 more on other sites, not read)" in str(err)


def test_a_sitemap_board_answered_by_a_page_fails_in_words(httpserver: HTTPServer) -> None:
    cache = MemoryCache({BOARD_ENTRY: (BOARD_ENTRY, {"format": "sitemap", "had_postings": True})})
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        f"<html>{job_block()}</html>", content_type="text/html"
    )
    err = fetch_error(MAP_BOARD, local(httpserver), FetchContext(cache=cache))
    assert "answered with an HTML page instead of its sitemap" in str(err) and err.transient
    assert "nothing is counted missing" in str(err)


class Page:
    """A careers page that serves `body` (the postings' blocks, or not)."""

    def __init__(self, server: HTTPServer):
        self.body = job_block()
        server.expect_request("/careers").respond_with_handler(self._answer)

    def _answer(self, request: Request) -> Response:
        return Response(f"<html><title>Jobs</title>{self.body}</html>", content_type="text/html")


def test_a_page_without_postings_fails_for_a_day_then_is_believed(httpserver: HTTPServer) -> None:
    page = Page(httpserver)
    cache = MemoryCache()
    assert len(run_fetch(PAGE_BOARD, local(httpserver), FetchContext(cache=cache)).postings) == 1
    page.body = "<p>Down for maintenance</p>"
    for _ in range(2):
        err = fetch_error(PAGE_BOARD, local(httpserver), FetchContext(cache=cache))
        assert "no job postings on" in str(err) and "now (it had some)" in str(err) and err.transient
    since = cache.entries[BOARD_ENTRY][1]["empty_since"]
    # The same for a day: the company has no openings now.
    day_ago = (datetime.fromisoformat(since) - timedelta(days=1, minutes=1)).isoformat()
    cache.entries[BOARD_ENTRY][1]["empty_since"] = day_ago
    snapshot = run_fetch(PAGE_BOARD, local(httpserver), FetchContext(cache=cache))
    assert snapshot.postings == [] and snapshot.complete
    # Postings again: the next empty page is doubted for a day again.
    page.body = job_block()
    run_fetch(PAGE_BOARD, local(httpserver), FetchContext(cache=cache))
    page.body = ""
    assert fetch_error(PAGE_BOARD, local(httpserver), FetchContext(cache=cache)).transient
    assert datetime.fromisoformat(cache.entries[BOARD_ENTRY][1]["empty_since"]) > datetime.now(
        UTC
    ) - timedelta(minutes=5)


@pytest.mark.parametrize(
    "block",
    [
        "[]",
        '{"@context": "https://schema.org", "@graph": []}',
        '{"@type": "ItemList", "itemListElement": []}',
        '{"@type": "ItemList", "numberOfItems": 0}',
    ],
)
def test_a_page_whose_json_ld_says_none_is_an_empty_board_at_once(httpserver: HTTPServer, block: str) -> None:
    page = Page(httpserver)
    cache = MemoryCache()
    run_fetch(PAGE_BOARD, local(httpserver), FetchContext(cache=cache))
    page.body = f'<script type="application/ld+json">{block}</script>'
    snapshot = run_fetch(PAGE_BOARD, local(httpserver), FetchContext(cache=cache))
    assert snapshot.postings == [] and snapshot.complete


class ChallengedSitemap(JsonLd):
    """The careers site's sitemap, answered while `challenge` is set by a
    200 HTML page (a CDN's "checking your browser", a maintenance page, a
    soft 404), as real sites do."""

    challenge = False

    def _answer(self, request: Request) -> Response:
        if self.challenge and request.path == "/sitemap.xml":
            self.lists += 1
            return Response("<html><title>Just a moment...</title></html>", content_type="text/html")
        return super()._answer(request)


def test_a_sitemap_board_answered_by_an_html_page_closes_nothing(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    world = ChallengedSitemap(httpserver)
    for number in range(3):
        world.open(number)
    run = Run(config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}"), world, every_board=True)
    run()  # baseline: 3 postings from 3 job pages
    world.challenge = True
    closed = []
    for _ in range(4):  # the site's CDN challenges us for four polls (an hour)
        try:
            events, _ = run()
        except AssertionError:
            continue  # the board failing is the right answer
        closed += [e for e in events if e[0] == "closed"]
    # On main the HTML is read as a careers *page* without postings: an empty
    # complete snapshot, held as suspect, a miss, held, a miss: all 3 closed
    # at the fourth poll.
    assert closed == []
    world.challenge = False
    assert run() == ([], 0)  # the sitemap is back: nothing happened


def test_a_sitemap_that_lists_its_www_pages_is_read(httpserver: HTTPServer) -> None:
    """A user writes the site as they know it (`acme.example`); the site
    answers from, and its sitemap lists, `www.acme.example` (a redirect to
    www is the usual setup). Every page is dropped as "another host"."""
    block = json.dumps({"@type": "JobPosting", "title": "Welder", "identifier": "1"})
    page = f'<script type="application/ld+json">{block}</script>'
    sitemap = (
        "<urlset><url><loc>https://www.acme.example/jobs/1</loc><lastmod>2026-09-01</lastmod></url></urlset>"
    )
    httpserver.expect_request("/sitemap.xml").respond_with_data(sitemap, content_type="application/xml")
    httpserver.expect_request("/jobs/1").respond_with_data(page, content_type="text/html")
    board = BoardRef("jsonld", "https://acme.example/sitemap.xml")
    # On main: SourceError "the sitemap https://acme.example/sitemap.xml lists
    # 0 pages on its host, and none publishes a job posting".
    snapshot = run_fetch(board, f"http://127.0.0.1:{httpserver.port}", FetchContext(cache=MemoryCache()))
    assert [p.title for p in snapshot.postings] == ["Welder"]
