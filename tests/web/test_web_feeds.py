"""The Atom feeds: valid by RFC 4287's own grammar (lxml RELAX NG) and the
rules it cannot express, read by a real feed reader's parser (feedparser),
what each subscription matched, and posting text that stays text."""

from __future__ import annotations

import urllib.request
from datetime import datetime, timezone
from urllib.error import HTTPError

import feedparser
import pytest

from alerts.config import parse_config
from alerts.service.web.feeds import atom_feed
from alerts.store import Store

from atomcheck import atom_errors
from web_support import HOSTILE


def get(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_the_all_feed_is_valid_atom_and_lists_what_any_subscription_matched(server):
    status, headers, body = get(f"{server.url}/feeds/all.atom")
    assert status == 200
    assert headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert atom_errors(body) == []
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    # Newest first; the Office Manager opening matched no subscription.
    assert titles == [
        "Reopened: Data Engineer at Globex",
        "Closed: Data Engineer at Globex",
        "Updated: Senior Platform Engineer at Acme Corp",
        "Opened: Backend Engineer at Globex",
        f"Opened: {HOSTILE} at Acme Corp",
        "Opened: Finance Manager at Acme Corp",
    ]
    assert feed.feed.links[0].rel == "self" and feed.feed.links[0].href == f"{server.url}/feeds/all.atom"
    update = feed.entries[2]
    assert "Platform Engineer → Senior Platform Engineer" in update.content[0].value
    assert update.link == "https://jobs.example.com/acme/a1"
    assert update.updated_parsed is not None and update.id.startswith("urn:uuid:")


def test_a_subscription_feed_holds_only_its_matches(server):
    status, _, body = get(f"{server.url}/feeds/finance.atom")
    assert status == 200 and atom_errors(body) == []
    feed = feedparser.parse(body)
    assert [entry.title for entry in feed.entries] == ["Opened: Finance Manager at Acme Corp"]
    assert feed.feed.title == "alerts: finance"
    engineering = feedparser.parse(get(f"{server.url}/feeds/engineering.atom")[2])
    assert "Opened: Finance Manager at Acme Corp" not in [e.title for e in engineering.entries]
    assert len(engineering.entries) == 5


def test_ids_are_the_same_on_every_request(server):
    first = feedparser.parse(get(f"{server.url}/feeds/all.atom")[2])
    second = feedparser.parse(get(f"{server.url}/feeds/all.atom")[2])
    assert [e.id for e in first.entries] == [e.id for e in second.entries]
    assert first.feed.id == second.feed.id
    assert len({e.id for e in first.entries}) == len(first.entries)


def test_a_hostile_title_reaches_the_reader_as_text(server):
    body = get(f"{server.url}/feeds/engineering.atom")[2]
    assert b"<img" not in body and b"<script" not in body
    feed = feedparser.parse(body)
    entry = next(e for e in feed.entries if "onerror" in e.title)
    assert entry.title == f"Opened: {HOSTILE} at Acme Corp"
    # The HTML content is escaped once for HTML, once more for XML: a reader
    # that renders it shows the title's markup as characters.
    assert "&lt;img src=x onerror=alert(1)&gt;" in entry.content[0].value
    assert "<img" not in entry.content[0].value


def test_an_unknown_subscription_is_a_404_naming_the_known_ones(server):
    status, _, body = get(f"{server.url}/feeds/nope.atom")
    assert status == 404
    assert body.decode() == "no subscription 'nope'; defined: engineering, finance\n"


def test_links_use_the_host_the_request_named_once_allowed(server):
    port = server.server.port
    body = get(f"{server.url}/feeds/all.atom", host=f"localhost:{port}")[2]
    assert f'href="http://localhost:{port}/feeds/all.atom"'.encode() in body
    assert f'href="http://localhost:{port}/posting?board='.encode() in body  # entries' page links
    # A name the server does not answer to builds no link at all: 421.
    status, _, body = get(f"{server.url}/feeds/all.atom", host='evil"><x a="')
    assert status == 421 and b"evil" not in body


def test_an_empty_feed_is_still_valid(world):
    text = world.path.read_text().replace('boards = ["greenhouse:acme"]', 'boards = ["lever:quiet"]')
    config = parse_config(text, world.path)
    store = Store(world.url)
    try:
        body = atom_feed(config, store, "finance", "http://127.0.0.1:1", datetime.now(timezone.utc))
    finally:
        store.close()
    assert atom_errors(body) == []
    feed = feedparser.parse(body)
    assert feed.entries == [] and feed.feed.title == "alerts: finance"


def test_characters_xml_cannot_carry_are_dropped(world):
    from alerts.service.web.feeds import xml_text

    assert xml_text("a\x00b\x1bc\x0cd\ud800e\tf\ng") == "abcde\tf\ng"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda f: f.replace(b"<id>urn:uuid:", b"<idx>urn:uuid:", 1).replace(b"</id>", b"</idx>", 1), "id"),
        (lambda f: f.replace(b"Z</updated>", b"</updated>", 1), "RFC 3339"),
        (lambda f: f.replace(b"<author><name>alerts</name></author>", b""), "atom:author"),
        (lambda f: f.replace(b'rel="self"', b'rel="via"'), "self"),
        (lambda f: f.replace(b"Opened: Finance Manager", b"<b>Opened</b>", 1), "title"),
        (lambda f: f.replace(b"Opened: Finance", b"Opened & Finance", 1), "not well-formed"),
    ],
    ids=[
        "no-feed-id",
        "date-without-offset",
        "no-author",
        "no-self-link",
        "markup-in-text-title",
        "bare-ampersand",
    ],
)
def test_the_checker_can_fail(server, change, complaint):
    """atom_errors is not a rubber stamp: each broken variant is reported."""
    good = get(f"{server.url}/feeds/finance.atom")[2]
    assert atom_errors(good) == []
    errors = atom_errors(change(good))
    assert errors and complaint in " ".join(errors), errors
