"""The email digest (body.html.j2) as a mail client gets it: a table layout
with inline styles only, a header with the period and the counts, one card
per posting, a footer saying why it came; and its plain-text part."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from alerts.notify.compose import compose, target_for
from alerts.notify.envelope import Envelope
from alerts.notify.samples import SHOWCASE_NOW, showcase_envelope, showcase_items

HOSTILE_TITLE = "<script>alert(1)</script> <!channel> @everyone [x](http://evil) *bold*"
MAIL_URL = "mailto://127.0.0.1:2525/?from=a@example.com&to=b@example.com"
# The tags the built-in email uses; anything else came from posting text.
TAGS = {
    "html", "head", "meta", "title", "body", "div", "table", "tr", "td",
    "p", "h1", "h2", "span", "strong", "a", "s", "br", "code", "em",
}  # fmt: skip
# Layout mail clients do not render (or drop): no flexbox, grid, floats, positions.
UNSUPPORTED_CSS = re.compile(r"display\s*:\s*(flex|grid)|position\s*:|float\s*:|@media|var\(", re.I)


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[str | Element] = []  # text and children in document order

    def all_text(self) -> str:
        return "".join(part if isinstance(part, str) else part.all_text() for part in self.parts)

    def find(self, tag: str) -> list[Element]:
        found = [self] if self.tag == tag else []
        return found + [e for child in self.children for e in child.find(tag)]


class Tree(HTMLParser):
    VOID = {"meta", "br"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root
        self.doctype = ""
        self.feed(html)

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        self.current.parts.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent or self.root

    def handle_data(self, data: str) -> None:
        self.current.parts.append(data)


def email(items=None, envelope: Envelope | None = None):
    (part,) = compose(
        showcase_items() if items is None else items,
        target_for(MAIL_URL),
        now=SHOWCASE_NOW,
        envelope=showcase_envelope() if envelope is None else envelope,
    )
    return part


def test_the_layout_is_tables_and_inline_styles_only() -> None:
    html = email().message.body
    tree = Tree(html)
    assert tree.doctype.lower() == "doctype html" and tree.current is tree.root  # every tag closed
    elements = tree.root.find("html")[0].find("body")[0]
    every = [e for tag in TAGS for e in tree.root.find(tag)]
    assert {e.tag for e in every} <= TAGS
    # Nothing that needs a stylesheet, a download or a script.
    for tag in ("style", "link", "script", "img", "iframe", "form"):
        assert not tree.root.find(tag), tag
    assert all("class" not in e.attrs and "id" not in e.attrs for e in every)
    for element in every:
        style = element.attrs.get("style") or ""
        assert not UNSUPPORTED_CSS.search(style), (element.tag, style)
        for width in re.findall(r"(?<![-\w])width\s*:\s*(\d+)px", style):
            assert int(width) <= 600, style
    # Presentation tables, as email clients lay them out.
    tables = tree.root.find("table")
    assert len(tables) >= 7
    for table in tables:
        assert table.attrs.get("role") == "presentation"
        assert (
            table.attrs.get("cellpadding"),
            table.attrs.get("cellspacing"),
            table.attrs.get("border"),
        ) == (
            "0",
            "0",
            "0",
        )
        assert table.attrs.get("width") in (None, "100%")  # never a fixed width wider than a phone
    # One centred column, at most 600px wide, whatever the window.
    column = tables[1]
    assert "max-width:600px" in column.attrs["style"] and column.parent.attrs.get("align") == "center"
    # Every piece of text carries its own style (clients drop inherited <style> rules).
    for tag in ("p", "h1", "h2", "a", "td"):
        for element in elements.find(tag):
            assert element.attrs.get("style"), (tag, element.all_text()[:40])
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_the_header_says_when_and_how_many() -> None:
    part = email()
    tree = Tree(part.message.body)
    (heading,) = tree.root.find("h1")
    # The digest's period, in the channel's time zone (07:00 UTC is 08:00 in Berlin).
    assert heading.all_text() == "Tue 24 Nov 08:00 – Wed 25 Nov 08:00"
    header = heading.parent
    assert "Job alerts · digest" in header.all_text() and "Europe/Berlin" in header.all_text()
    chips = [" ".join(span.all_text().split()) for span in header.find("span")]
    assert chips == ["2 new", "1 reposted", "1 updated", "1 closed"]
    assert part.message.title == "2 new, 1 reposted, 1 updated, 1 closed: Acme Corp, Globex, Initech +2 more"


def test_an_instant_message_says_when_it_was_written() -> None:
    envelope = Envelope("mail", "America/New_York")
    tree = Tree(email(envelope=envelope).message.body)
    (heading,) = tree.root.find("h1")
    assert heading.all_text() == "Wed 25 Nov 02:00"
    assert "digest" not in heading.parent.all_text()


def test_one_card_per_posting_with_what_a_job_seeker_looks_for() -> None:
    items = showcase_items()
    tree = Tree(email(items).message.body)
    titles = tree.root.find("h2")
    assert [h.all_text() for h in titles] == [item.event.posting.title for item in items]
    cards = [h.parent for h in titles]
    backend, analyst, sre, contract, closed = (" ".join(card.all_text().split()) for card in cards)
    assert backend.startswith("New Northwind Payments · Engineering Senior Backend Engineer, Payments")
    assert "Berlin, Germany · Hybrid · Full time · €85K–€105K/yr posted 2 days ago Apply" in backend
    assert "Remote, Canada · Remote · Contract · CA$70/hr" in contract
    # Every title links its posting; open ones have an Apply button, closed ones none.
    links = [[a.attrs["href"] for a in card.find("a")] for card in cards]
    for item, hrefs in zip(items, links, strict=True):
        posting = item.event.posting
        assert hrefs[0] == posting.url
        assert (posting.apply_url in hrefs) is (item.event.kind != "closed")
    # A repost says so and links the posting it repeats.
    assert analyst.startswith("Reposted Acme Corp")
    assert "it reposts an earlier posting (closed 5 days ago), open 4 months in total" in analyst
    assert "https://jobs.example.com/acme/fa-1870" in links[1]
    # An update shows old -> new.
    assert "work model: onsite → remote salary: $120K–$150K/yr → $135K–$165K/yr" in sre
    # A closed job is visibly closed: labelled, struck through, no Apply.
    assert closed.startswith("Closed OpenAI") and "No longer open · first seen 21 days ago" in closed
    assert [s.all_text() for s in cards[4].find("s")] == [items[4].event.posting.title]
    assert "matched: backend-eu, remote-us" in sre


@pytest.mark.parametrize(
    ("envelope", "items", "footer"),
    [
        (
            None,
            None,
            "You get this because of the subscriptions backend-eu, finance-hybrid and remote-us in "
            "alerts.toml, which send to the channel email. To change what you get, edit them there; "
            "alerts preview --channel email shows the next message.",
        ),
        (
            Envelope(),  # rendered outside delivery: no channel, no config file known
            showcase_items()[3:4],
            "You get this because of the subscription remote-us in your alerts config. To change what "
            "you get, edit it there; alerts preview shows the next message.",
        ),
        (
            Envelope("work mail", config_file="jobs.toml"),
            showcase_items()[:1],
            "You get this because of the subscription backend-eu in jobs.toml, which sends to the "
            "channel work mail. To change what you get, edit it there; alerts preview --channel work "
            "mail shows the next message.",
        ),
    ],
)
def test_the_footer_names_the_subscriptions_and_how_to_change_them(envelope, items, footer) -> None:
    part = email(items, envelope)
    paragraphs = [" ".join(p.all_text().split()) for p in Tree(part.message.body).root.find("p")]
    assert footer in paragraphs
    text = " ".join(part.text.split("\n--\n", 1)[1].split())  # the plain-text part says the same
    assert text == footer.replace("alerts preview", "`alerts preview").replace(" shows", "` shows")


def test_the_plain_text_part_has_every_link_of_the_html() -> None:
    part = email()
    html_links = {a.attrs["href"] for a in Tree(part.message.body).root.find("a")}
    assert len(html_links) == 10  # 5 postings, 4 Apply forms, 1 earlier posting
    for link in html_links:
        assert link in part.text
    assert part.text.startswith(
        "Job alerts (digest): Tue 24 Nov 08:00 – Wed 25 Nov 08:00 (Europe/Berlin)\n"
        "2 new, 1 reposted, 1 updated, 1 closed\n\nNorthwind Payments\n"
    )


def test_hostile_posting_text_stays_text_in_both_parts(make_item) -> None:
    hostile = '<img src=x onerror=alert(1)> "quoted" & <a href="http://evil">x</a>'
    item = make_item(
        title=HOSTILE_TITLE,
        company=hostile,
        department=hostile,
        location=hostile,
        salary_min=1,
        salary_currency="<b>",
        apply_url='https://example.com/apply?"onmouseover=alert(1)',
    )
    updated = make_item("updated", changes={"location": ["<b>old</b>", hostile]}, url="javascript:alert(1)")
    part = email([item, replace(updated, subscriptions=("<i>sub</i>",))], Envelope("<script>ch</script>"))
    html = part.message.body
    tree = Tree(html)
    every = [e for tag in TAGS for e in tree.root.find(tag)]
    assert {e.tag for e in tree.root.find("#root")[0].children} <= {"html"}
    assert {e.tag for e in every} <= TAGS and not tree.root.find("img") and not tree.root.find("script")
    assert all(not name.startswith("on") for e in every for name in e.attrs)
    hrefs = [a.attrs["href"] for a in tree.root.find("a")]
    assert all(href.startswith("https://") for href in hrefs), hrefs
    assert "https://example.com/apply?%22onmouseover=alert%281%29" in hrefs  # cannot end the attribute
    assert HOSTILE_TITLE in [h.all_text() for h in tree.root.find("h2")]
    assert "<i>sub</i>" in tree.root.all_text() and "<script>ch</script>" in tree.root.all_text()
    # The text part is plain text: the words as they are, nothing to escape.
    assert HOSTILE_TITLE in part.text and "location: <b>old</b> -> " + hostile in part.text


def test_a_user_template_sees_the_new_keys(tmp_path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text(
        "{{ period.text }}|{{ period.digest }}|{{ summary }}|{{ tally[0].word }}|{{ channel }}|"
        "{{ config_file }}|{{ subscriptions | join(',') }}|{{ groups[0].events[0].posting.salary_short }}"
    )
    (part,) = compose(
        showcase_items(),
        target_for(MAIL_URL),
        template=template,
        now=SHOWCASE_NOW,
        envelope=showcase_envelope(),
    )
    assert part.message.body == (
        "Tue 24 Nov 08:00 – Wed 25 Nov 08:00|True|2 new, 1 reposted, 1 updated, 1 closed|new|email|"
        "alerts.toml|backend-eu,finance-hybrid,remote-us|€85K–€105K/yr"
    )


def test_without_an_envelope_the_period_is_now_in_utc(make_item) -> None:
    now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    (part,) = compose([make_item()], target_for(MAIL_URL), now=now)
    assert "<h1" in part.message.body and ">Mon 2 Mar 09:30</h1>" in part.message.body
    assert part.text.startswith("Job alerts: Mon 2 Mar 09:30 (UTC)\n1 new\n")
