"""JSON-LD sitemaps: pages read only when new or when their lastmod moved; a
page gone from the sitemap (or answering 404) is a miss; anything else that
fails fails the board. The recorded sitemaps name the real host; base_url
sends every request to the local server instead."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef
from alerts.sources import FetchContext
from alerts.sources.cache import MemoryCache
from alerts.sources.details import BOARD as BOARD_ENTRY
from alerts.sources.jsonld import _signature
from alerts.sources.jsonld.sitemap import NotASitemap, read

from reach_support import PATIENT_SECONDS, Under
from sources_support import base_url, fetch_error, run_fetch

HOST = "https://careers.acme-robotics.example"
BOARD = BoardRef("jsonld", f"{HOST}/sitemap.xml")


def job_page(number: int, title: str) -> str:
    block = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": title,
            "identifier": {"@type": "PropertyValue", "value": str(number)},
            "hiringOrganization": {"@type": "Organization", "name": "Acme Robotics GmbH"},
            "jobLocation": {
                "@type": "Place",
                "address": {"addressLocality": "Berlin", "addressCountry": "DE"},
            },
        }
    )
    return f'<html><head><script type="application/ld+json">{block}</script></head></html>'


class Site:
    """The careers site: its sitemap and pages, counting what is asked."""

    def __init__(self, server: HTTPServer, sitemap: bytes, pages: dict[str, str]):
        self.sitemap, self.pages = sitemap, pages
        self.asked: Counter[str] = Counter()
        self.failing: dict[str, Response] = {}
        server.expect_request(Under("/"), method="GET").respond_with_handler(self._answer)

    def _answer(self, request: Request) -> Response:
        self.asked[request.path] += 1
        if request.path in self.failing:
            return self.failing[request.path]
        if request.path == "/sitemap.xml":
            return Response(self.sitemap, content_type="application/xml")
        if request.path in self.pages:
            return Response(self.pages[request.path], content_type="text/html")
        return Response("Not Found", status=404)


@pytest.fixture
def site(httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]) -> Site:
    pages = {
        "/jobs/4711-senior-data-engineer": payload_bytes("jsonld_graph_page.html").decode(),
        "/jobs/4712-robotics-technician": job_page(4712, "Robotics Technician"),
        "/jobs/4713-office-manager": job_page(4713, "Office Manager"),
        "/jobs/4714-field-engineer": job_page(4714, "Field Engineer"),
        "/about": payload_bytes("jsonld_no_jobposting_page.html").decode(),
    }
    return Site(httpserver, payload_bytes("jsonld_sitemap.xml"), pages)


def fetch(server: HTTPServer, cache: MemoryCache | None):  # type: ignore[no-untyped-def]
    return run_fetch(BOARD, base_url(server), FetchContext(cache=cache), timeout=PATIENT_SECONDS)


def test_first_poll_reads_every_page(httpserver: HTTPServer, site: Site) -> None:
    snapshot = fetch(httpserver, MemoryCache())
    assert {p.external_id for p in snapshot.postings} == {"4711", "4712", "4713"}
    assert sum(site.asked.values()) == 5 and snapshot.requests == 5 and snapshot.details == 4
    assert snapshot.complete
    assert all(p.company == "Acme Robotics GmbH" for p in snapshot.postings)


def test_next_poll_reads_only_new_and_changed_pages(
    httpserver: HTTPServer, site: Site, payload_bytes: Callable[[str], bytes]
) -> None:
    cache = MemoryCache()
    fetch(httpserver, cache)
    site.sitemap = payload_bytes("jsonld_sitemap_next_poll.xml")
    site.asked.clear()
    snapshot = fetch(httpserver, cache)
    # 4711 edited, 4714 new; 4712 and /about unchanged; 4713 gone from the sitemap (a miss).
    assert site.asked == Counter(
        {"/sitemap.xml": 1, "/jobs/4711-senior-data-engineer": 1, "/jobs/4714-field-engineer": 1}
    )
    assert {p.external_id for p in snapshot.postings} == {"4711", "4712", "4714"} and snapshot.complete
    site.asked.clear()
    steady = fetch(httpserver, cache)
    assert site.asked == Counter({"/sitemap.xml": 1}) and steady.details == 0


def test_a_page_that_answers_404_is_a_miss(httpserver: HTTPServer, site: Site) -> None:
    del site.pages["/jobs/4712-robotics-technician"]
    snapshot = fetch(httpserver, MemoryCache())
    assert {p.external_id for p in snapshot.postings} == {"4711", "4713"} and snapshot.complete


def test_a_page_that_fails_fails_the_board_and_keeps_the_progress(httpserver: HTTPServer, site: Site) -> None:
    site.failing["/jobs/4713-office-manager"] = Response("oops", status=500)
    cache = MemoryCache()
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(cache=cache))
    assert err.status == 500
    del site.failing["/jobs/4713-office-manager"]
    site.asked.clear()
    fetch(httpserver, cache)
    assert site.asked["/jobs/4711-senior-data-engineer"] == 0  # read last time, kept
    assert site.asked["/jobs/4713-office-manager"] == 1


def test_a_sitemap_index_with_a_gzipped_child(httpserver: HTTPServer, site: Site) -> None:
    first = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{HOST}/jobs/4711-senior-data-engineer</loc><lastmod>2026-09-01</lastmod></url>"
        "<url><loc>https://elsewhere.example/jobs/1</loc></url></urlset>"
    )
    second = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{HOST}/jobs/4712-robotics-technician</loc></url></urlset>"
    )
    site.sitemap = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{HOST}/sitemap-jobs-1.xml</loc></sitemap>"
        f"<sitemap><loc>{HOST}/sitemap-jobs-2.xml.gz</loc></sitemap></sitemapindex>"
    ).encode()
    site.pages["/sitemap-jobs-1.xml"] = first
    site.failing["/sitemap-jobs-2.xml.gz"] = Response(
        gzip.compress(second.encode()), content_type="application/gzip"
    )
    snapshot = fetch(httpserver, MemoryCache())
    assert {p.external_id for p in snapshot.postings} == {"4711", "4712"}
    assert snapshot.validators.etag is None  # several answers: no one validator


def test_urls_on_other_hosts_are_dropped(payload_bytes: Callable[[str], bytes]) -> None:
    text = payload_bytes("jsonld_sitemap.xml").replace(
        b"https://careers.acme-robotics.example/about", b"http://169.254.169.254/latest/meta-data"
    )
    found = read(text, f"{HOST}/sitemap.xml")
    assert found.dropped == 1 and len(found.pages) == 3
    assert found.pages[f"{HOST}/jobs/4713-office-manager?src=sitemap&lang=en"] == ""  # no lastmod


def test_a_document_type_declaration_is_refused(httpserver: HTTPServer, site: Site) -> None:
    site.sitemap = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x "xxxxxxxx">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url></urlset>'
    )
    err = fetch_error(BOARD, base_url(httpserver))
    assert "document type declaration" in str(err)
    with pytest.raises(NotASitemap):
        read(site.sitemap, f"{HOST}/sitemap.xml")


def test_a_sitemap_whose_pages_carry_no_posting(httpserver: HTTPServer, site: Site) -> None:
    site.sitemap = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{HOST}/about</loc></url></urlset>"
    ).encode()
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(cache=MemoryCache()))
    assert "lists 1 pages on its site, and none publishes a job posting" in str(err)


def test_a_settled_site_reads_its_new_pages_in_turns(httpserver: HTTPServer, site: Site) -> None:
    urls = "".join(f"<url><loc>{HOST}/jobs/{n}</loc><lastmod>2026-09-01</lastmod></url>" for n in range(300))
    site.sitemap = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
    for n in range(300):
        site.pages[f"/jobs/{n}"] = job_page(n, f"Job {n}")
    cache = MemoryCache({BOARD_ENTRY: (BOARD_ENTRY, {"settled": True})})
    snapshot = fetch(httpserver, cache)
    assert len(snapshot.postings) == 250 and not snapshot.complete
    again = fetch(httpserver, cache)
    assert len(again.postings) == 300 and again.complete and again.details == 50


def test_a_long_page_url_is_kept_under_a_digest(httpserver: HTTPServer, site: Site) -> None:
    path = "/jobs/4712-" + "robotics-technician-" * 30
    site.sitemap = (
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{HOST}{path}</loc></url></urlset>'
    ).encode()
    site.pages[path] = job_page(4712, "Robotics Technician")
    cache = MemoryCache()
    [posting] = fetch(httpserver, cache).postings
    assert posting.external_id == "4712"
    assert all(len(key) <= 500 for key in cache.entries)


def test_pages_without_lastmod_are_read_again_once_a_week() -> None:
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    url = f"{HOST}/jobs/9"
    days = [_signature(url, "", now + timedelta(days=d)) for d in range(14)]
    assert len(set(days)) in (2, 3) and days[0] == days[0]
    assert _signature(url, "2026-09-01", now) == "2026-09-01"


def test_a_sitemap_past_the_page_limit_is_incomplete(
    httpserver: HTTPServer, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages past the limit were never read: their postings must not count as gone."""
    import alerts.sources.jsonld.sitemap as sitemaps

    monkeypatch.setattr(sitemaps, "MAX_URLS", 2)
    snapshot = fetch(httpserver, MemoryCache())
    assert not snapshot.complete
    assert any("more pages than are read" in note for note in snapshot.notes)


def test_a_sitemap_index_past_the_child_limit_is_incomplete(
    httpserver: HTTPServer, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import alerts.sources.jsonld.sitemap as sitemaps

    monkeypatch.setattr(sitemaps, "MAX_CHILDREN", 1)
    site.sitemap = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{HOST}/a.xml</loc></sitemap><sitemap><loc>{HOST}/b.xml</loc></sitemap>"
        "</sitemapindex>"
    ).encode()
    site.pages["/a.xml"] = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{HOST}/jobs/4712-robotics-technician</loc></url></urlset>"
    )
    snapshot = fetch(httpserver, MemoryCache())
    assert [p.external_id for p in snapshot.postings] == ["4712"]
    assert not snapshot.complete and site.asked["/b.xml"] == 0


def test_a_blank_job_page_fails_the_board(httpserver: HTTPServer, site: Site) -> None:
    """A page answering 200 with nothing is a hiccup, not a page whose posting went away."""
    site.failing["/jobs/4713-office-manager"] = Response("", content_type="text/html")
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(cache=MemoryCache()))
    assert err.transient and "returned an empty page" in str(err)
