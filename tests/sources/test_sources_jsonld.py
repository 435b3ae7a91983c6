"""JSON-LD pages: every JobPosting a page holds, however it is wrapped or
broken around it, mapped to one posting shape. Fetching a page, the ways it
fails, a page without any posting (an unknown board, said in words) and the
recorded Wellfound page are the contract table's; sitemaps:
test_sources_jsonld_sitemap.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from alerts.model import BoardRef
from alerts.sources import FetchContext, Validators, jsonld
from alerts.sources.cache import MemoryCache
from alerts.sources.jsonld import route
from alerts.sources.jsonld.reader import read_page

from sources_support import base_url, run_fetch


def page(name: str, payload_bytes: Callable[[str], bytes]) -> str:
    return payload_bytes(f"jsonld_{name}").decode()


def parse(text: str, url: str = "https://careers.example.com/jobs") -> dict[str, Any]:
    return {p.external_id: p for p in jsonld.parse(text, BoardRef("jsonld", url))}


def test_a_graph_with_references(payload_bytes: Callable[[str], bytes]) -> None:
    [posting] = parse(page("graph_page.html", payload_bytes)).values()
    assert posting.external_id == "4711" and posting.title == "Senior Data Engineer (m/w/d)"
    assert posting.company == "Acme Robotics GmbH"  # {"@id": ...} resolved in the @graph
    assert posting.location == "München, Bayern, DE; Wien, Austria"
    assert (posting.city, posting.region, posting.country) == ("München", "Bayern", "DE")
    assert posting.work_model == "remote"  # TELECOMMUTE
    assert posting.employment_type == "full_time"  # the first of ["FULL_TIME", "CONTRACTOR"]
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (
        70000.0,
        90000.0,
        "EUR",
        "year",
    )
    assert posting.posted_at == datetime(2026, 9, 1, tzinfo=UTC) and posting.active


def test_an_item_list(payload_bytes: Callable[[str], bytes]) -> None:
    postings = parse(page("itemlist_page.html", payload_bytes))
    assert set(postings) == {"BL-101", "BL-102"}  # the URL-only ListItem holds no posting
    assert postings["BL-101"].salary_min == 19.5 and postings["BL-101"].salary_period == "hour"
    assert postings["BL-102"].company == "Beta Logistics Inc."  # a plain string
    assert (postings["BL-102"].city, postings["BL-102"].country) == ("Dayton", "US")
    assert postings["BL-102"].location == "Dayton, OH, United States"


def test_a_top_level_list_and_a_closing_date_past(payload_bytes: Callable[[str], bytes]) -> None:
    postings = parse(page("list_page.html", payload_bytes))
    assert postings["9001"].salary_min == 42.0 and postings["9001"].salary_max == 55.5  # numbers as strings
    assert postings["9001"].active and not postings["9002"].active  # validThrough 2026-02-01
    assert postings["9002"].country == "CA" and postings["9002"].employment_type == "temporary"


def test_a_broken_block_does_not_hide_the_postings_beside_it(payload_bytes: Callable[[str], bytes]) -> None:
    text = page("messy_page.html", payload_bytes)
    found = read_page(text)
    assert found.bad_blocks == 1 and len(found.jobs) == 2
    postings = parse(text)
    # An uppercase type in an HTML comment, with a raw newline; a "; charset" type.
    assert postings["EL-7"].title == "Backend Developer & SRE" and postings["EL-7"].work_model == "remote"
    assert postings["EL-7"].employment_type == "full_time"  # "FULL_TIME, PART_TIME": first in text order
    assert postings["EL-8"].company == "Epsilon Labs B.V."


def test_recorded_pages(payload_bytes: Callable[[str], bytes], payload: Callable[[str], Any]) -> None:
    [jobvite] = parse(
        page("jobvite.html", payload_bytes), "https://jobs.jobvite.com/acme/job/oiiRyfwJ"
    ).values()
    assert jobvite.external_id == "oiiRyfwJ" and jobvite.country == "US"
    assert jobvite.salary_min is None  # empty strings are no pay
    assert jobvite.company == "jobs.jobvite.com"  # nothing names it: the site's host
    # The recorded Wellfound page is the contract table's row (kinds/jsonld.py).
    recorded = payload("jsonld_pages.json")["pages"]
    for name, expected in {
        "trakstar": "Garage Sweeper",
        "meta": "Research Engineer",
        "jazzhr": "Bathroom",
    }.items():
        entry = recorded[name]
        postings = parse(f"<html><head>{entry['page']}</head></html>", entry["url"])
        assert len(postings) == 1 and next(iter(postings.values())).title.startswith(expected), name


HOSTILE = [
    ("a script end inside a string", '{"@type":"JobPosting","title":"a</script>b","identifier":"h1"}'),
    ("deeply nested", '{"@graph":' + "[" * 5000 + "]" * 5000 + "}"),
    ("huge number", '{"@type":"JobPosting","title":"t","identifier":"h2","baseSalary":{"value":1e999}}'),
    ("not an object", '"just a string"'),
]


@pytest.mark.parametrize(("case", "block"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_blocks_never_break_the_page(case: str, block: str) -> None:
    good = '{"@type": "JobPosting", "title": "Good", "identifier": "ok"}'
    text = (
        f'<script type="application/ld+json">{block}</script>'
        f'<script type="application/ld+json">{good}</script>'
    )
    postings = parse(text)
    assert postings["ok"].title == "Good"
    assert all(p.salary_min is None for p in postings.values())


def test_ids_without_identifier() -> None:
    text = '<script type="application/ld+json">[{"@type":"JobPosting","title":"A"},{"@type":"JobPosting","title":"B","url":"/jobs/b"}]</script>'
    postings = parse(text, "https://careers.example.com/jobs")
    assert set(postings) == {"https://careers.example.com/jobs#1", "/jobs/b"}
    assert postings["/jobs/b"].url == "https://careers.example.com/jobs/b"  # resolved against the page


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("{url}", "https://careers.example.com/jobs?a=1"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/jobs?a=1"),
        (
            "https://proxy.example/get?u={url}",
            "https://proxy.example/get?u=https%3A%2F%2Fcareers.example.com%2Fjobs%3Fa%3D1",
        ),
    ],
)
def test_base_url(base: str, expected: str) -> None:
    assert route("https://careers.example.com/jobs?a=1", base) == expected


# --- page mode over a real socket ----------------------------------------------

URL = "https://careers.example.com/jobs"
BOARD = BoardRef("jsonld", URL)


def serve(server: HTTPServer, body: str, **headers: str) -> list[Request]:
    seen: list[Request] = []

    def answer(request: Request) -> Response:
        seen.append(request)
        if headers.get("ETag") and request.headers.get("If-None-Match") == headers["ETag"]:
            return Response(status=304)
        return Response(body, content_type="text/html; charset=utf-8", headers=headers)

    server.expect_request("/jobs").respond_with_handler(answer)
    return seen


def test_a_304_is_not_asked_for_once_a_posting_should_have_closed(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    seen = serve(httpserver, page("graph_page.html", payload_bytes), ETag='"p1"')
    cache = MemoryCache()
    run_fetch(BOARD, base_url(httpserver), FetchContext(cache=cache))
    entry = cache.entries["board"][1]
    assert entry["recheck_at"] == "2027-02-28T23:00:00+00:00"  # validThrough 2027-03-01T00:00:00+01:00
    mark = FetchContext(cache=cache, validators=Validators('"p1"'))
    assert run_fetch(BOARD, base_url(httpserver), mark).not_modified
    assert seen[1].headers.get("If-None-Match") == '"p1"'
    # That date has come: a 304 would keep the posting open, so the page is asked for in full.
    cache.entries["board"] = ("board", {**entry, "recheck_at": "2000-01-01T00:00:00+00:00"})
    again = run_fetch(BOARD, base_url(httpserver), mark)
    assert "If-None-Match" not in seen[2].headers and not again.not_modified


def test_the_charset_of_the_page(httpserver: HTTPServer) -> None:
    block = json.dumps(
        {"@type": "JobPosting", "title": "Développeur", "identifier": "d1"}, ensure_ascii=False
    )
    body = f'<html><head><meta charset="iso-8859-1"><script type="application/ld+json">{block}</script>'
    httpserver.expect_request("/jobs").respond_with_data(body.encode("latin-1"), content_type="text/html")
    [posting] = run_fetch(BOARD, base_url(httpserver)).postings
    assert posting.title == "Développeur"


def test_a_page_past_the_posting_limit_is_incomplete(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Postings past the limit were never read: none of them may count as gone."""
    import alerts.sources.jsonld.reader as reader

    monkeypatch.setattr(reader, "MAX_POSTINGS", 2)
    jobs = [
        {
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": f"Job {n}",
            "url": f"https://x.example/{n}",
        }
        for n in range(3)
    ]
    page = f'<html><script type="application/ld+json">{json.dumps(jobs)}</script></html>'
    httpserver.expect_request("/jobs").respond_with_data(page, content_type="text/html")
    board = BoardRef("jsonld", "https://x.example/jobs")
    snapshot = run_fetch(board, base_url(httpserver))
    assert len(snapshot.postings) == 2 and not snapshot.complete
    assert any("read the first" in note for note in snapshot.notes)
