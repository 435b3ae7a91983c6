"""Descriptions: every source's, from its recorded payload, as normalised plain
text (no markup, entities unescaped, one line, bounded), parsed only when read."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.model import DESCRIPTION_MAX_CHARS, BoardRef, Posting, SourceText, plain_text
from alerts.sources import (
    ashby,
    bamboohr,
    bluedoor,
    greenhouse,
    jsonld,
    lever,
    recruitee,
    rippling,
    smartrecruiters,
    workable,
)
from alerts.sources.description import HTML_MAX_CHARS, html_text, markup_text
from alerts.sources.jsonld.mapping import PLAIN, for_cache, trim
from alerts.sources.jsonld.mapping import to_posting as jsonld_posting
from alerts.sources.jsonld.reader import read_page
from alerts.sources.workday.postings import read_detail as workday_detail
from alerts.sources.workday.postings import to_posting as workday_posting

from kinds.breezy import CASE as breezy_case
from kinds.personio import CASE as personio_case
from kinds.pinpoint import CASE as pinpoint_case
from kinds.teamtailor import CASE as teamtailor_case
from sources_support import set_fields


def clean(text: str) -> None:
    """Plain text: no tags, no entities, no runs of whitespace or line breaks."""
    assert not re.search(r"<[a-zA-Z/]", text), text[:200]
    assert not re.search(r"&(?:lt|gt|amp|quot|nbsp|#\d+);", text), text[:200]
    assert "  " not in text and "\n" not in text and text == text.strip()


@pytest.mark.parametrize(
    ("module", "fixture", "token", "starts", "contains"),
    [
        # Greenhouse: `content` is HTML escaped once more inside the JSON.
        (
            greenhouse,
            "greenhouse_vercel.json",
            "vercel",
            "About Vercel: Vercel is the agentic",
            ["what's next"],
        ),
        # Lever: the body, then each list under its heading, then `additional`.
        (
            lever,
            "lever_spotify.json",
            "spotify",
            "We design Spotify’s consumer experience",
            [
                "What You'll Do Develop and maintain mobile client components",
                "Who You Are You have experience developing Android",
                "Spotify is an equal opportunity employer",
            ],
        ),
        (ashby, "ashby_linear.json", "linear", "At Linear, we're building the product", []),
        (workable, "workable_huckberry.json", "huckberry", "At Huckberry, we build apparel", []),
        # Recruitee: the description, then the requirements.
        (
            recruitee,
            "recruitee_channable.json",
            "channable",
            "Channable is a fast-growing B2B SaaS platform",
            ["Your role Portfolio & client management: customer retention"],
        ),
    ],
)
def test_recorded_descriptions_are_plain_text(
    payload: Callable[[str], Any], module: Any, fixture: str, token: str, starts: str, contains: list[str]
) -> None:
    postings = module.parse(payload(fixture), BoardRef(module.KIND, token))
    assert postings
    for posting in postings:
        assert posting.description, posting.external_id
        clean(posting.description)
    first = postings[0].description
    assert first.startswith(starts), first[:200]
    for words in contains:
        assert words in first, words


@pytest.mark.parametrize(
    ("case", "starts", "contains"),
    [
        # Pinpoint: the description, then each section under its own heading.
        (
            pinpoint_case,
            "Hi 👋 I'm Ellis, COO at Pinpoint.",
            ["What you'll do Sales legal (35%) Own commercial contracting", "What you'll bring 4+ years"],
        ),
        # Personio: each <jobDescription>'s name, then its HTML value.
        (personio_case, "Your mission At AVIAN, our mission is clear", []),
    ],
    ids=["pinpoint", "personio"],
)
def test_recorded_descriptions_of_the_newer_kinds(case: Any, starts: str, contains: list[str]) -> None:
    postings = case.read(case.recorded_body(), case.board)
    assert postings and all(p.description for p in postings)
    for posting in postings:
        clean(posting.description)
    first = postings[0].description
    assert first.startswith(starts), first[:200]
    for words in contains:
        assert words in first, words


def test_teamtailor_takes_the_feed_item_content_else_the_job_posting_description() -> None:
    recorded = json.loads(teamtailor_case.recorded_body())
    assert all(
        p.description is None
        for p in teamtailor_case.read(json.dumps(recorded).encode(), teamtailor_case.board)
    )
    first, second = recorded["items"][:2]
    first["content_html"] = "<p>Sell &amp; grow</p><ul><li>Madrid</li></ul>"
    second["_jobposting"]["description"] = "<p>From the JobPosting</p>"
    one, two, *_ = teamtailor_case.read(json.dumps(recorded).encode(), teamtailor_case.board)
    assert (one.description, two.description) == ("Sell & grow Madrid", "From the JobPosting")


WORKDAY, WORKDAY_SITE = BoardRef("workday", "example.wd5/Careers"), ("example", "wd5", "Careers")


def _workday(payload: Callable[[str], Any], fixture: str) -> tuple[dict[str, Any], Posting]:
    detail = workday_detail(payload(fixture), WORKDAY)
    row = payload("workday_list_edge_cases.json")["jobPostings"][0]
    return detail, workday_posting("JR2017740", row, detail, WORKDAY, WORKDAY_SITE, None, datetime.now(UTC))


def _bamboohr(payload: Callable[[str], Any], fixture: str) -> tuple[dict[str, Any], Posting]:
    board = BoardRef("bamboohr", "acme")
    detail = bamboohr.read_cached(payload(fixture), board)
    job = {**payload("bamboohr_list.json")["result"][0], "id": "86"}
    return detail, bamboohr.to_posting(job, detail, board)


def _rippling(payload: Callable[[str], Any], fixture: str) -> tuple[dict[str, Any], Posting]:
    board = BoardRef("rippling", "acme")
    detail = rippling.read_detail(payload(fixture), board)
    job = {"id": "75ad50c6-778f-42ee-9c63-70d1cd687202", "rows": payload("rippling_list.json")[:1]}
    return detail, rippling.to_posting(job, detail, board)


@pytest.mark.parametrize(
    ("build", "fixture", "text"),
    [
        # Workday: jobPostingInfo.jobDescription (hand-made details, in the real shape).
        (
            _workday,
            "workday_detail_flex_us.json",
            "Build distributed systems. The base salary range is 152,000 USD - 287,500 USD.",
        ),
        (_workday, "workday_detail_hybrid_gb.json", "Analyse data."),
        # BambooHR: result.jobOpening.description (recorded: bold spans, lines of "*").
        (
            _bamboohr,
            "bamboohr_detail.json",
            "MUST RESIDE IN ILLINOIS *Field-based work environment with work conducted from a home office",
        ),
        (_bamboohr, "bamboohr_detail_full.json", "Help our finance team."),
        # Rippling: description.company, then description.role. The recording
        # keeps 300 characters of each, cut inside a tag: no "</b" or
        # "<p style=..." shows as text.
        (_rippling, "rippling_detail.json", "Build the systems that expand human capability The Role"),
        (_rippling, "rippling_v2_detail.json", "About Acme. Run the platform."),
    ],
    ids=["workday-flex", "workday-hybrid", "bamboohr", "bamboohr-full", "rippling", "rippling-v2"],
)
def test_descriptions_from_details_are_cached_as_plain_text(
    payload: Callable[[str], Any], build: Any, fixture: str, text: str
) -> None:
    detail, posting = build(payload, fixture)
    assert posting.description is not None and posting.description.startswith(text), posting.description
    clean(posting.description)
    # The detail is cached (as JSON) with the text already plain, so a poll
    # that takes it from the cache parses no HTML: the source text is the plain text.
    assert json.loads(json.dumps(detail)) == detail
    assert detail["description"] == posting.description
    assert posting.description_source is not None and posting.description_source.raw == posting.description


def _recorded_page(name: str, payload_bytes: Callable[[str], bytes]) -> str:
    if name.endswith(".html"):
        return payload_bytes(name).decode()
    entry = json.loads(payload_bytes("jsonld_pages.json"))["pages"][name]  # a live page's ld+json blocks
    return f"<html><head>{entry['page']}</head></html>"


@pytest.mark.parametrize(
    ("page", "starts", "has"),
    [
        ("jsonld_wellfound.html", "Company Overview Deepgram is the leading platform", ""),
        ("jsonld_jobvite.html", "Are you motivated to participate in a dynamic", ""),
        # HTML escaped once more, its entities twice ("&amp;nbsp;", "&amp;rsquo;").
        ("trakstar", "GDI is looking for Garage Sweepers for the Volusia Mall", "our customer’s businesses"),
        ("meta", "Meta's Fundamental AI Research (FAIR) organization is seeking", ""),  # plain text
        (
            "jazzhr",
            "Bathroom Remodeling Subcontractor Crews Wanted Blissful Baths",
            "We Offer: ✅ Consistent",
        ),
        ("jsonld_graph_page.html", "Build our data platform.", ""),  # hand-made, escaped
        ("jsonld_messy_page.html", "line one line two", ""),  # text with a line break
    ],
)
def test_recorded_jsonld_descriptions(
    payload_bytes: Callable[[str], bytes], page: str, starts: str, has: str
) -> None:
    text = _recorded_page(page, payload_bytes)
    url = "https://careers.example.com/jobs/1"
    posting = next(p for p in jsonld.parse(text, BoardRef("jsonld", url)) if p.description)
    assert posting.description.startswith(starts) and has in posting.description, posting.description[:200]
    clean(posting.description)
    # A page read every poll keeps the description as sent, parsed only when read...
    job = next(job for job in read_page(text).jobs if job.get("description"))
    assert posting.description_source == SourceText(job["description"], markup_text)
    # ...a sitemap's page, read only when new or changed, is cached with it plain.
    cached = for_cache(trim(job, {}))
    assert cached[PLAIN] == posting.description and "description" not in cached
    again = jsonld_posting(
        json.loads(json.dumps(cached)), "k", url, BoardRef("jsonld", url), None, datetime.now(UTC)
    )
    assert again.description == posting.description and again.description_source is not None
    assert again.description_source.to_plain is plain_text


def test_breezy_lists_carry_no_description() -> None:
    postings = breezy_case.read(breezy_case.recorded_body(), breezy_case.board)
    assert postings and all(p.description is None for p in postings)


def test_smartrecruiters_lists_carry_no_description(payload: Callable[[str], Any]) -> None:
    postings = smartrecruiters.parse(
        payload("smartrecruiters_ubisoft2.json"), BoardRef("smartrecruiters", "Ubisoft2")
    )
    assert postings and all(p.description is None for p in postings)


def test_bluedoor_description_when_the_record_carries_it(payload: Callable[[str], Any]) -> None:
    record = payload("bluedoor_seed_record.json")
    board = BoardRef("bluedoor", "company=OpenAI")
    (bare,) = bluedoor.parse({"data": [record]}, board)
    assert bare.description is None  # the seed record as listed: none
    text = "<p>About the Team OpenAI Finance ensures&nbsp;the organization&#8217;s success.</p><p>Hybrid: 3 days</p>"
    set_fields(description=text)(record)
    (posting,) = bluedoor.parse({"data": [record]}, board)
    assert (
        posting.description
        == "About the Team OpenAI Finance ensures the organization’s success. Hybrid: 3 days"
    )


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>One</p><p>Two</p>", "One Two"),  # blocks never run words together
        ("<ul><li>A</li><li>B</li></ul>", "A B"),
        ("line<br>break<br/>again", "line break again"),
        ("<b>bold</b>face and <a href='x'>link</a>s", "boldface and links"),  # inline joins
        ("R&amp;D &lt;3 &#39;quoted&#39; &nbsp; caf&eacute;", "R&D <3 'quoted' café"),
        ("<script>alert(1)</script><style>p{color:red}</style>Visible", "Visible"),
        ("<!-- a comment -->Text<template><p>hidden</p></template>", "Text"),
        ("  \n\t spaced \n\n out \u00a0 ", "spaced out"),
        ("<div><p>unclosed <b>tags", "unclosed tags"),
        ("salary < 100k & bonus", "salary < 100k & bonus"),  # plain text stays as it is
        ("<p></p><br>", None),
        ("", None),
        # Markup cut off inside a tag or a comment: the unfinished part is no text.
        ("<p>cut</p><p style='font-family:\"Basel", "cut"),
        ("<b>cut</b", "cut"),
        ("cut <!-- a comm", "cut"),
        ("a < b and c <", "a < b and c <"),
    ],
)
def test_html_text(markup: str, text: str | None) -> None:
    assert html_text(markup) == text


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("<p>R&amp;D</p>", "R&D"),
        ("&lt;p&gt;R&amp;amp;D&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;", "R&D Two"),  # escaped once more
        ("<p>Write &lt;div&gt; tags</p>", "Write <div> tags"),  # tags of its own: not escaped
        ("salary &lt; 100k", "salary < 100k"),
        ("Plain text,\n\non two lines", "Plain text, on two lines"),
    ],
)
def test_markup_text_for_json_ld(text: str, plain: str) -> None:
    assert markup_text(text) == plain


def test_descriptions_are_bounded() -> None:
    long = html_text("<p>" + "word " * 10_000 + "</p>")
    assert long is not None and len(long) <= DESCRIPTION_MAX_CHARS and long.endswith("word…")
    # A hostile board's megabytes of markup are cut before they are parsed.
    huge = html_text("<p>" + "x" * (HTML_MAX_CHARS * 5))
    assert huge is not None and len(huge) <= DESCRIPTION_MAX_CHARS


def test_html_is_parsed_only_when_the_description_is_read() -> None:
    calls: list[str] = []

    def counting(markup: str) -> str | None:
        calls.append(markup)
        return html_text(markup)

    posting = Posting(
        "greenhouse", "vercel", "1", "Engineer", description_source=SourceText("<p>Visa</p>", counting)
    )
    assert posting.fingerprint and posting == replace(posting, description_source=None)
    assert calls == []  # recognising a posting parses nothing...
    assert posting.description == "Visa" and posting.description == "Visa"
    assert len(calls) == 1  # ...and reading it parses once


def test_fingerprint_follows_the_description_as_received(payload: Callable[[str], Any]) -> None:
    data = payload("lever_spotify.json")
    (before, *_) = lever.parse(data, BoardRef("lever", "spotify"))
    changed = json.loads(json.dumps(data))
    changed[0]["description"] = changed[0]["description"].replace("Spotify", "Spotify AB", 1)
    (after, *_) = lever.parse(changed, BoardRef("lever", "spotify"))
    assert after.fingerprint != before.fingerprint
    assert after == before  # not a tracked change, and postings compare without it
    assert after.description != before.description
    assert lever.parse(data, BoardRef("lever", "spotify"))[0].fingerprint == before.fingerprint
